package io.termsledger.notice.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A burst of consents.events, applied a poll at a time with set-based statements, leaves the
 * audience and the deliveries exactly as applying the events one by one would, and a malformed
 * event in the burst is parked without holding back the others.
 */
@QuarkusTest
class AudienceBatchTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Test
    void aBurstOfEventsGivesTheAudienceAndDeliveriesOfApplyingThemInOrder() {
        String key = Inputs.key("burst");
        Map<String, Object> agreement = Inputs.agreement(key, 30, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().truncatedTo(ChronoUnit.SECONDS).minus(100, ChronoUnit.DAYS);
        Instant earlier = v1At.plus(1, ChronoUnit.DAYS);
        Instant later = v1At.plus(2, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String known = key + "-known";
        String before = Inputs.bind(Inputs.bound(known, key, 1, null, earlier), UUID.randomUUID().toString());
        Instant noticeAt = clock.now().truncatedTo(ChronoUnit.SECONDS);
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(30, ChronoUnit.DAYS),
                Inputs.clausesV2(), false), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, before)
                && Db.count(ds, "select count(*) from notice where agreement_key = ? and to_version = 2", key) == 1);

        String newcomer = key + "-newcomer";     // accepts version 1: joins, gets the running revision's notice
        String upgraded = key + "-upgraded";     // accepts 1, then is bound to 2: joined at 1 first, so notified
        String lateOlder = key + "-late-older";  // bound to 2, then a late binding to 1 from before: stays at 2
        accepted(newcomer, key, 1, later);
        accepted(upgraded, key, 1, earlier);
        Inputs.bind(Inputs.bound(upgraded, key, 2, 1, later), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(lateOlder, key, 2, 1, later), UUID.randomUUID().toString());
        String malformed = Inputs.send(Topics.CONSENT_EVENTS, "nobody", UUID.randomUUID().toString(), "consent.bound.v1",
                null, Map.of("agreementKey", key, "version", 1));
        Inputs.bind(Inputs.bound(lateOlder, key, 1, null, earlier), UUID.randomUUID().toString());
        accepted(known, key, 2, later);          // already known: the bound event decides, this changes nothing
        String last = accepted(key + "-last", key, 2, later); // bound to 2 on arrival: no revision above it

        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, last)
                && Db.count(ds, "select count(*) from parked_event where event_id = ?", malformed) == 1);
        assertEquals("1@" + later, member(key, newcomer));
        assertEquals("2@" + later, member(key, upgraded));
        assertEquals("2@" + later, member(key, lateOlder));
        assertEquals("1@" + earlier, member(key, known));
        assertEquals(5, Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key));

        // four channels each for the users who were at version 1 while the revision to 2 runs
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(key, known) == 4);
        assertEquals(4, deliveries(key, newcomer));
        assertEquals(4, deliveries(key, upgraded));
        assertEquals(0, deliveries(key, lateOlder));
        assertEquals(0, deliveries(key, key + "-last"));
    }

    private static String accepted(String userId, String key, int version, Instant occurredAt) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("eventId", UUID.randomUUID().toString());
        a.put("userId", userId);
        a.put("agreementKey", key);
        a.put("version", version);
        a.put("method", "CLICK");
        a.put("occurredAt", occurredAt.toString());
        a.put("recordedAt", occurredAt.toString());
        a.put("hash", "cd".repeat(32));
        return Inputs.send(Topics.CONSENT_EVENTS, userId, UUID.randomUUID().toString(), "consent.accepted.v1", null, a);
    }

    private String member(String key, String userId) {
        return Db.count(ds, "select version from audience_member where agreement_key = ? and user_id = ?", key, userId)
                + "@" + Instant.ofEpochSecond(Db.count(ds, "select extract(epoch from since)::bigint from audience_member"
                + " where agreement_key = ? and user_id = ?", key, userId));
    }

    private long deliveries(String key, String userId) {
        return Db.count(ds, "select count(*) from delivery d join notice n on n.id = d.notice_id"
                + " where n.agreement_key = ? and d.user_id = ?", key, userId);
    }
}
