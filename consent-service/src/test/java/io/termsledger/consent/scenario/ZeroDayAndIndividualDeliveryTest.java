package io.termsledger.consent.scenario;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 (Anheng): a revision is effective on publication (0 days) and binds at the
 * next use; and INDIVIDUAL_DELIVERY, where the lead time runs from the user's delivery
 * (notice.delivered-to-user.v1 on agreements.notices).
 */
@QuarkusTest
class ZeroDayAndIndividualDeliveryTest {

    @Inject
    Agreements agreements;

    @Test
    void zeroDayRevisionBindsAtTheNextUseAndNewUsersByUseGetTheCurrentVersion() {
        String key = Agreements.unique("anheng");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 0, "ON_CONTINUED_USE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(60));
        agreements.publish(key, a, 1, v1At, v1At, null);
        String old = Agreements.unique("old");
        Api.accept(old, key, 1, "CLICK", v1At.plus(Duration.ofDays(1))).statusCode(201);
        Instant v2At = Agreements.now().minus(Duration.ofHours(2));
        agreements.publish(key, a, 2, v2At, v2At, 1);

        JsonPath s = Api.status(old, key, Agreements.now()).extract().jsonPath();
        assertEquals(1, s.getInt("governingVersion"));
        assertEquals("AWAITING_USE", s.getString("pending[0].state"));
        Instant used = Agreements.now().minus(Duration.ofMinutes(30));
        Api.use(old, key, used).statusCode(202);
        JsonPath s2 = Api.status(old, key, Agreements.now()).extract().jsonPath();
        assertEquals(2, s2.getInt("governingVersion"));
        assertEquals(used, Instant.parse(s2.getString("basis.since")));

        String fresh = Agreements.unique("fresh");
        Api.use(fresh, key, used).statusCode(202);
        JsonPath f = Api.status(fresh, key, Agreements.now()).extract().jsonPath();
        assertEquals(2, f.getInt("governingVersion"));
        assertEquals("USE", f.getString("basis.method"));
        // and before its first use the new user was bound to nothing
        assertNull(Api.status(fresh, key, used.minusSeconds(1)).extract().path("governingVersion"));
    }

    @Test
    void individualDeliveryMovesTheUsersOwnEffectiveDate() {
        String key = Agreements.unique("individual");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\", \"USE\"",
                "INDIVIDUAL_DELIVERY");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(60));
        agreements.publish(key, a, 1, v1At, v1At, null);
        String notified = Agreements.unique("notified");
        String never = Agreements.unique("never");
        Api.accept(notified, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        Api.accept(never, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        Instant notice = Agreements.now().minus(Duration.ofDays(20));
        Instant effective = notice.plus(Duration.ofDays(7));
        agreements.publish(key, a, 2, notice, effective, 1);

        Instant delivered = Agreements.now().minus(Duration.ofDays(10));
        String noticeId = UUID.randomUUID().toString();
        delivered(key, noticeId, notified, delivered);

        Instant personal = delivered.atZone(java.time.ZoneId.of("Asia/Shanghai")).plusDays(7).toInstant();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath s = Api.status(notified, key, Agreements.now()).extract().jsonPath();
            assertEquals(2, s.getInt("governingVersion"));
            assertEquals(personal, Instant.parse(s.getString("basis.since")));
        });
        // a report of an earlier delivery (another channel) processed later: the notice period runs from it
        Instant earlier = delivered.minus(Duration.ofDays(1));
        delivered(key, noticeId, notified, earlier);
        Instant sooner = earlier.atZone(java.time.ZoneId.of("Asia/Shanghai")).plusDays(7).toInstant();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(sooner, Instant.parse(Api.status(notified, key, Agreements.now()).extract().jsonPath()
                        .getString("basis.since"))));
        JsonPath n = Api.status(never, key, Agreements.now()).extract().jsonPath();
        assertEquals(1, n.getInt("governingVersion"));
        assertEquals("SCHEDULED", n.getString("pending[0].state"));
    }

    private static void delivered(String key, String noticeId, String user, Instant at) {
        Map<String, String> h = new HashMap<>(TestKafka.ceHeaders(UUID.randomUUID().toString(), "notice.delivered-to-user.v1"));
        h.put("ce_source", "/notice-service");
        TestKafka.send(Topics.AGREEMENT_NOTICES, key, h, "{\"noticeId\": \"" + noticeId + "\", \"agreementKey\": \""
                + key + "\", \"version\": 2, \"userId\": \"" + user + "\", \"deliveredAt\": \"" + at + "\"}");
    }
}
