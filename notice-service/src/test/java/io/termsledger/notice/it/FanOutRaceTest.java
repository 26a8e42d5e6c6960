package io.termsledger.notice.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.service.FanoutService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A revision's audience is read chunk by chunk, each chunk reading its users' versions when it runs. A
 * member bound below the revision when it was issued, and bound to it (by its date or by use) before their
 * chunk ran, was skipped and never got its notice. With the scheduler off, this test runs the fan-out's
 * chunks itself, after the member moved.
 */
@QuarkusTest
@TestProfile(FanOutRaceTest.FanOutByHand.class)
class FanOutRaceTest {

    public static class FanOutByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ledger.notices.scheduler-enabled", "false");
        }
    }

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Inject
    FanoutService fanout;

    @Test
    void aMemberBoundToTheRevisionBeforeTheirChunkRanStillGetsItsNotice() {
        String key = Inputs.key("race");
        // 0 days of notice, as Anheng's terms: the revision is in effect at once, and use binds to it
        Map<String, Object> agreement = Inputs.agreement(key, 0, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().truncatedTo(ChronoUnit.SECONDS).minus(100, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String waiting = key + "-a-waiting"; // still at version 1 when the fan-out reaches them
        String moved = key + "-b-moved";     // uses the service, bound to version 2, before the fan-out runs
        String newcomer = key + "-c-new";    // first known bound to version 2: never below it, no notice
        Inputs.bind(Inputs.bound(waiting, key, 1, null, v1At), UUID.randomUUID().toString());
        String last = Inputs.bind(Inputs.bound(moved, key, 1, null, v1At), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, last));

        Instant noticeAt = clock.now().truncatedTo(ChronoUnit.SECONDS);
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt, Inputs.clausesV2(), false),
                UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "select count(*) from notice where agreement_key = ? and to_version = 2 and fanout_done_at is null", key) == 1);

        Map<String, Object> use = Inputs.bound(moved, key, 2, 1, noticeAt.plusSeconds(1));
        use.put("basis", "USE");
        Inputs.bind(use, UUID.randomUUID().toString());
        String joined = Inputs.bind(Inputs.bound(newcomer, key, 2, 1, noticeAt.plusSeconds(1)), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, joined));
        assertEquals(2, Db.count(ds, "select version from audience_member where agreement_key = ? and user_id = ?", key, moved));
        assertEquals(4, deliveries(key, moved), "the member who moved past the running revision gets it at once");
        assertEquals(0, deliveries(key, waiting), "the fan-out has not run yet");

        while (fanout.step()) {
            // the chunks, as the scheduler would run them
        }
        assertEquals(4, deliveries(key, waiting));
        assertEquals(4, deliveries(key, moved), "the chunks skip a member bound to the revision's version");
        assertEquals(0, deliveries(key, newcomer));
        assertFalse(Db.count(ds, "select count(*) from notice where agreement_key = ? and fanout_done_at is null", key) > 0);
    }

    private long deliveries(String key, String userId) {
        return Db.count(ds, "select count(*) from delivery d join notice n on n.id = d.notice_id"
                + " where n.agreement_key = ? and n.to_version = 2 and d.user_id = ?", key, userId);
    }
}
