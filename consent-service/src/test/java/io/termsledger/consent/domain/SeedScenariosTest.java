package io.termsledger.consent.domain;

import static io.termsledger.consent.domain.Fx.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Scenarios drawn from the seed agreements (seeds/manifest.json policies), several users of one agreement at once.
 */
class SeedScenariosTest {

    static Instant sh(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    static Map<String, Integer> governing(Policy p, List<VersionInfo> versions, Map<String, List<Fact>> users, Instant at) {
        Map<String, Integer> out = new TreeMap<>();
        users.forEach((u, facts) -> out.put(u, ENGINE.status(p, versions, facts, at).governingVersion()));
        return out;
    }

    /** 000 asiayun: "修订内容在发出修订通知 7 日后生效" — 7 days, binds on the effective date; click or use. */
    @Test
    void asiayunSevenDayRevisionWithAnObjectorAndAnEarlyAccepter() {
        Policy p = policy(7, BindingRule.ON_EFFECTIVE_DATE, false, Method.CLICK, Method.USE);
        Instant notice = sh("2024-06-01T10:00");
        Instant effective = sh("2024-06-08T10:00");
        List<VersionInfo> versions = List.of(v(1, sh("2021-04-05T00:00"), sh("2021-04-05T00:00")), v(2, notice, effective));

        List<Fact> steady = List.of(click("steady-1", sh("2022-01-10T09:00"), 1), use(sh("2024-06-03T08:00")));
        List<Fact> objector = List.of(click("obj-1", sh("2023-02-01T12:00"), 1), object("obj-o2", sh("2024-06-03T18:00"), 2));
        List<Fact> objectorWhoKeepsUsing = List.of(click("objuse-1", sh("2023-02-01T12:00"), 1),
                object("objuse-o2", sh("2024-06-03T18:00"), 2), use(sh("2024-06-05T09:00")), use(sh("2024-06-20T09:00")));
        List<Fact> early = List.of(click("early-1", sh("2023-05-01T12:00"), 1), click("early-2", sh("2024-06-02T15:00"), 2));
        List<Fact> joinsByUseAfter = List.of(use(sh("2024-06-09T00:00")));
        List<Fact> joinsByUseBefore = List.of(use(sh("2024-06-04T00:00")));
        Map<String, List<Fact>> users = Map.of("steady", steady, "objector", objector, "objectorWhoKeepsUsing", objectorWhoKeepsUsing,
                "early", early, "joinsByUseAfter", joinsByUseAfter, "joinsByUseBefore", joinsByUseBefore);

        Instant during = sh("2024-06-05T12:00");
        assertEquals(Map.of("steady", 1, "objector", 1, "objectorWhoKeepsUsing", 1, "early", 2, "joinsByUseBefore", 1),
                withoutNulls(governing(p, versions, users, during)));
        Status earlyDuring = ENGINE.status(p, versions, early, during);
        assertPending(earlyDuring, 2, PendingState.ACCEPTED_EARLY, sh("2024-06-02T15:00"));
        assertPending(ENGINE.status(p, versions, steady, during), 2, PendingState.SCHEDULED, null);
        assertPending(ENGINE.status(p, versions, objector, during), 2, PendingState.OBJECTED, null);

        Instant after = sh("2024-07-01T00:00");
        assertEquals(Map.of("steady", 2, "objector", 1, "objectorWhoKeepsUsing", 2, "early", 2, "joinsByUseAfter", 2,
                "joinsByUseBefore", 2), governing(p, versions, users, after));

        Status s = ENGINE.status(p, versions, steady, after);
        assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, effective);
        Status e = ENGINE.status(p, versions, early, after);
        assertGoverned(e, 2, "CLICK", sh("2024-06-02T15:00"));
        assertPending(e, 2, PendingState.EFFECTIVE, sh("2024-06-02T15:00"));
        Status o = ENGINE.status(p, versions, objector, after);
        assertGoverned(o, 1, "CLICK", sh("2023-02-01T12:00"));
        assertPending(o, 2, PendingState.OBJECTED, null);
        Status ou = ENGINE.status(p, versions, objectorWhoKeepsUsing, after);
        assertGoverned(ou, 2, "USE", sh("2024-06-20T09:00"));
        assertEquals("objuse-o2", note(ou, Status.Note.OBJECTION_LAPSED_BY_USE).eventId());
        Status jb = ENGINE.status(p, versions, joinsByUseBefore, after);
        assertGoverned(jb, 2, Status.Basis.EFFECTIVE_DATE, effective);
        Status ja = ENGINE.status(p, versions, joinsByUseAfter, after);
        assertGoverned(ja, 2, "USE", sh("2024-06-09T00:00"));
    }

    /** 002 aliyun general terms: 30 days, continued use binds, a sealed copy prevails. */
    @Test
    void aliyunThirtyDayContinuedUseWithASealedCustomerAndAUseOnlyCustomer() {
        Policy p = policy(30, BindingRule.ON_CONTINUED_USE, true, Method.CLICK, Method.SEAL, Method.USE);
        Instant notice = sh("2024-03-01T09:00");
        Instant effective = sh("2024-03-31T09:00");
        List<VersionInfo> versions = List.of(v(1, sh("2020-01-01T00:00"), sh("2020-01-01T00:00")), v(2, notice, effective));

        List<Fact> sealed = List.of(seal("corp-s1", sh("2021-07-01T00:00"), 1), use(sh("2024-03-10T10:00")),
                use(sh("2024-04-01T10:00")), click("corp-c2", sh("2024-04-02T10:00"), 2), seal("corp-s2", sh("2024-05-10T00:00"), 2));
        List<Fact> useOnly = List.of(use(sh("2022-05-01T08:00")), use(sh("2024-03-15T08:00")), use(sh("2024-04-03T08:00")));

        Status corpApril = ENGINE.status(p, versions, sealed, sh("2024-04-20T00:00"));
        assertGoverned(corpApril, 1, "SEAL", sh("2021-07-01T00:00"));
        assertPending(corpApril, 2, PendingState.BLOCKED_BY_SEAL, null);
        assertEquals("corp-c2", note(corpApril, Status.Note.CLICK_BESIDE_SEAL).eventId());
        Status corpMay = ENGINE.status(p, versions, sealed, sh("2024-05-10T00:00"));
        assertGoverned(corpMay, 2, "SEAL", sh("2024-05-10T00:00"));
        assertEquals("corp-s2", corpMay.basis().eventId());
        assertPending(corpMay, 2, PendingState.EFFECTIVE, sh("2024-05-10T00:00"));

        Status useMarch = ENGINE.status(p, versions, useOnly, sh("2024-03-20T00:00"));
        assertGoverned(useMarch, 1, "USE", sh("2022-05-01T08:00"));
        assertPending(useMarch, 2, PendingState.SCHEDULED, null);
        assertEquals(effective, pending(useMarch, 2).effectiveAt());
        assertPending(ENGINE.status(p, versions, useOnly, sh("2024-04-02T00:00")), 2, PendingState.AWAITING_USE, null);
        Status useApril = ENGINE.status(p, versions, useOnly, sh("2024-04-03T08:00"));
        assertGoverned(useApril, 2, "USE", sh("2024-04-03T08:00"));
        assertPending(useApril, 2, PendingState.EFFECTIVE, sh("2024-04-03T08:00"));
    }

    /** 004 anheng: effective on publication (0 days), continued use binds, a written objection ends the service. */
    @Test
    void anhengZeroDayRevision() {
        Policy p = policy(0, BindingRule.ON_CONTINUED_USE, false, Method.CLICK, Method.USE);
        Instant published = sh("2024-09-01T12:00");
        List<VersionInfo> versions = List.of(v(1, sh("2022-01-01T00:00"), sh("2022-01-01T00:00")), v(2, published, published));

        List<Fact> user = List.of(click("u-1", sh("2023-01-01T00:00"), 1), use(sh("2024-09-01T11:59")), use(sh("2024-09-01T12:00")));
        Status beforeNoon = ENGINE.status(p, versions, user, sh("2024-09-01T11:59:59"));
        assertGoverned(beforeNoon, 1, "CLICK", sh("2023-01-01T00:00"));
        assertEquals(List.of(), beforeNoon.pending(), "v2 is not published yet");
        Status atNoon = ENGINE.status(p, versions, user, published);
        assertGoverned(atNoon, 2, "USE", published);

        List<Fact> idle = List.of(click("idle-1", sh("2023-01-01T00:00"), 1));
        assertPending(ENGINE.status(p, versions, idle, published), 2, PendingState.AWAITING_USE, null);

        List<Fact> objector = List.of(click("w-1", sh("2023-01-01T00:00"), 1), object("w-o2", sh("2024-09-01T12:30"), 2),
                use(sh("2024-09-01T13:00")));
        Status objected = ENGINE.status(p, versions, objector, sh("2024-09-01T12:45"));
        assertGoverned(objected, 1, "CLICK", sh("2023-01-01T00:00"));
        assertPending(objected, 2, PendingState.OBJECTED, null);
        Status lapsed = ENGINE.status(p, versions, objector, sh("2024-09-02T00:00"));
        assertGoverned(lapsed, 2, "USE", sh("2024-09-01T13:00"));
        assertTrue(hasNote(lapsed, Status.Note.OBJECTION_LAPSED_BY_USE));

        List<Fact> registersAfter = List.of(use(sh("2024-09-03T08:00")));
        Status newcomer = ENGINE.status(p, versions, registersAfter, sh("2024-09-04T00:00"));
        assertGoverned(newcomer, 2, "USE", sh("2024-09-03T08:00"));
    }

    /** A design-choice regime (DOMAIN.md §2): the 15-day lead time runs from each user's own notice. */
    @Test
    void individualDeliveryAgreement() {
        Policy p = new Policy(15, BindingRule.ON_EFFECTIVE_DATE, false, EnumSet.of(Method.CLICK, Method.USE),
                NoticeMeasuredFrom.INDIVIDUAL_DELIVERY, SHANGHAI);
        Instant notice = sh("2024-01-10T10:00");
        Instant effective = sh("2024-01-25T10:00");
        List<VersionInfo> versions = List.of(v(1, sh("2023-01-01T00:00"), sh("2023-01-01T00:00")), v(2, notice, effective));
        Fact signup = click("i-1", sh("2023-03-01T00:00"), 1);

        List<Fact> onTime = List.of(signup, delivered(2, sh("2024-01-10T10:05")));
        List<Fact> late = List.of(signup, delivered(2, sh("2024-01-20T23:30")), delivered(2, sh("2024-01-22T08:00")));
        List<Fact> never = List.of(signup);
        List<Fact> lateObjector = List.of(signup, delivered(2, sh("2024-01-20T23:30")), object("i-o2", sh("2024-01-30T00:00"), 2));

        Instant feb1 = sh("2024-02-01T00:00");
        Status a = ENGINE.status(p, versions, onTime, feb1);
        assertGoverned(a, 2, Status.Basis.EFFECTIVE_DATE, sh("2024-01-25T10:05"));
        Status b = ENGINE.status(p, versions, late, feb1);
        assertGoverned(b, 1, "CLICK", sh("2023-03-01T00:00"));
        assertPending(b, 2, PendingState.SCHEDULED, null);
        assertEquals(sh("2024-02-04T23:30"), pending(b, 2).effectiveAt(), "15 calendar days after the first delivery");
        Status c = ENGINE.status(p, versions, never, sh("2025-01-01T00:00"));
        assertGoverned(c, 1, "CLICK", sh("2023-03-01T00:00"));
        assertPending(c, 2, PendingState.SCHEDULED, null);
        assertNull(pending(c, 2).effectiveAt());

        Status bLater = ENGINE.status(p, versions, late, sh("2024-02-05T00:00"));
        assertGoverned(bLater, 2, Status.Basis.EFFECTIVE_DATE, sh("2024-02-04T23:30"));
        Status d = ENGINE.status(p, versions, lateObjector, sh("2024-02-05T00:00"));
        assertGoverned(d, 1, "CLICK", sh("2023-03-01T00:00"));
        assertPending(d, 2, PendingState.OBJECTED, null); // after the announced date, before this user's own date
    }

    private static Map<String, Integer> withoutNulls(Map<String, Integer> m) {
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
