package io.termsledger.consent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Test fixtures for the engine: instants as days after a fixed origin, short fact and version builders. */
final class Fx {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2026-01-01 00:00 in Shanghai (no DST there, so a calendar day is 24 h). */
    static final Instant T0 = LocalDate.of(2026, 1, 1).atStartOfDay(SHANGHAI).toInstant();
    static final EffectiveVersionEngine ENGINE = new DefaultEffectiveVersionEngine();

    private Fx() {
    }

    static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    static Instant day(int d, int hours) {
        return day(d).plus(Duration.ofHours(hours));
    }

    static Policy policy(int noticeDays, BindingRule rule, boolean sealPrevails, Method... methods) {
        return new Policy(noticeDays, rule, sealPrevails, Set.copyOf(List.of(methods)), NoticeMeasuredFrom.ANNOUNCEMENT, SHANGHAI);
    }

    static Policy individual(int noticeDays, BindingRule rule, ZoneId zone) {
        return new Policy(noticeDays, rule, false, EnumSet.allOf(Method.class), NoticeMeasuredFrom.INDIVIDUAL_DELIVERY, zone);
    }

    /** 7 days, binds on the date, click and use (the asiayun seed). */
    static Policy onDate() {
        return policy(7, BindingRule.ON_EFFECTIVE_DATE, false, Method.CLICK, Method.USE);
    }

    /** 7 days, binds on continued use, click, seal and use, no seal precedence. */
    static Policy onUse() {
        return policy(7, BindingRule.ON_CONTINUED_USE, false, Method.CLICK, Method.SEAL, Method.USE);
    }

    /** 7 days, binds on continued use, seal prevails (the mashangyun seed). */
    static Policy onUseSealPrevails() {
        return policy(7, BindingRule.ON_CONTINUED_USE, true, Method.CLICK, Method.SEAL, Method.USE);
    }

    static VersionInfo v(int n, Instant noticeAt, Instant effectiveAt) {
        return new VersionInfo(n, noticeAt, effectiveAt, null, "sha-" + n);
    }

    static VersionInfo withdrawn(int n, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt) {
        return new VersionInfo(n, noticeAt, effectiveAt, withdrawnAt, "sha-" + n);
    }

    /** v1 in effect from day 0; v2 announced day 10, effective day 17. */
    static List<VersionInfo> twoVersions() {
        return List.of(v(1, day(0), day(0)), v(2, day(10), day(17)));
    }

    static Fact.Acceptance click(String id, Instant t, int version) {
        return new Fact.Acceptance(id, t, version, Method.CLICK);
    }

    static Fact.Acceptance seal(String id, Instant t, int version) {
        return new Fact.Acceptance(id, t, version, Method.SEAL);
    }

    static Fact.Acceptance useAcceptance(String id, Instant t, int version) {
        return new Fact.Acceptance(id, t, version, Method.USE);
    }

    static Fact.Objection object(String id, Instant t, int version) {
        return new Fact.Objection(id, t, version);
    }

    static Fact.Usage use(Instant t) {
        return new Fact.Usage(t);
    }

    static Fact.NoticeDelivered delivered(int version, Instant t) {
        return new Fact.NoticeDelivered(version, t);
    }

    static Status status(Policy p, List<VersionInfo> versions, Instant at, Fact... facts) {
        return ENGINE.status(p, versions, List.of(facts), at);
    }

    static Status.Pending pending(Status s, int version) {
        return s.pending().stream().filter(p -> p.version() == version).findFirst()
                .orElseGet(() -> fail("no pending entry for v" + version + " in " + s.pending()));
    }

    static Status.Note note(Status s, String code) {
        return s.notes().stream().filter(n -> n.code().equals(code)).findFirst()
                .orElseGet(() -> fail("no note " + code + " in " + s.notes()));
    }

    /** The note {@code code} is there, names the fact {@code eventId} and is dated {@code at}. */
    static void assertNote(Status s, String code, String eventId, Instant at) {
        Status.Note n = note(s, code);
        assertEquals(eventId, n.eventId(), () -> "event of " + code + " in " + s.notes());
        assertEquals(at, n.at(), () -> "instant of " + code + " in " + s.notes());
    }

    static boolean hasNote(Status s, String code) {
        return s.notes().stream().anyMatch(n -> n.code().equals(code));
    }

    static void assertGoverned(Status s, int version, String method, Instant since) {
        assertEquals(Integer.valueOf(version), s.governingVersion(), () -> "governing version in " + s);
        assertNotNull(s.basis(), "basis");
        assertEquals(method, s.basis().method(), () -> "basis method in " + s);
        assertEquals(since, s.basis().since(), () -> "basis.since in " + s);
    }

    static void assertPending(Status s, int version, PendingState state, Instant effectiveForUser) {
        Status.Pending p = pending(s, version);
        assertEquals(state, p.state(), () -> "state of v" + version + " in " + s);
        assertEquals(effectiveForUser, p.effectiveForUser(), () -> "effectiveForUser of v" + version + " in " + s);
    }
}
