package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.DatabaseOutageContract;
import io.termsledger.kit.testing.DatabaseProxy;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * notice-service's database goes away while a revision is published and while its effective date
 * passes, and comes back (a proxy between the two closes every connection and refuses new ones).
 * Meanwhile reads answer 503; afterwards, without a restart, the publication that arrived in the
 * outage is applied (it waited for the database, it was not parked), the scheduler fires the
 * revision whose date went by, and the relay sends its one revision-effective event.
 */
@QuarkusTest
@TestProfile(DatabaseOutageAndRecoveryTest.ThroughProxy.class)
class DatabaseOutageAndRecoveryTest {

    private static final String PROXY = "notice-service";

    /** The pool reaches the test database through the proxy and waits 1 s for a connection. */
    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", DatabaseProxy.startToTestDatabase(PROXY, "notice_service_test"),
                    "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Test
    void aRevisionPublishedAndDueWhileTheDatabaseIsAwayTakesEffectOnceWhenItReturns() {
        Instant start = Instant.now();
        String key = Inputs.key("outage");
        Map<String, Object> agreement = Inputs.agreement(key, 0, "ANNOUNCEMENT", Map.of());
        Inputs.register(agreement);
        Instant v1At = clock.now().minus(1, ChronoUnit.DAYS);
        String v1 = Inputs.publish(Inputs.published(agreement, 1, null, v1At, v1At, Inputs.clausesV1(), false),
                UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, v1));

        Instant noticeAt = clock.now().truncatedTo(ChronoUnit.MILLIS);
        Instant effectiveAt = noticeAt.plusSeconds(8);
        String v2;
        DatabaseProxy.cut(PROXY);
        try {
            v2 = Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, effectiveAt, Inputs.clausesV2(), false),
                    UUID.randomUUID().toString());
            DatabaseOutageContract.assertDatabaseUnavailable(given().queryParam("agreementKey", key).get("/notices").then());
            // past the effective date, and longer than a consumer's five attempts for an ordinary failure (each at
            // most the pool's 1-s wait and a 1-s pause), after which the publication would have been parked
            sleepUntil(effectiveAt.plusSeconds(12));
        } finally {
            DatabaseProxy.restore(PROXY);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> Db.consumed(ds, v2));
        assertEquals(0, Db.count(ds, "select count(*) from parked_event where event_id = ?", v2),
                "the publication waited for the database instead of being parked");
        String id = given().queryParam("agreementKey", key).get("/notices").then().statusCode(200)
                .body("size()", is(1)).extract().jsonPath().getString("[0].id");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "EFFECTIVE".equals(given().get("/notices/" + id).then().extract().jsonPath().getString("status")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.relayed(ds, id));
        List<ConsumerRecord<String, String>> fired = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> r.value().contains(id) && "notice.revision-effective.v1".equals(TestKafka.header(r, "ce_type")));
        assertEquals(1, fired.size(), "one revision-effective event, sent after the database came back");
    }

    private static void sleepUntil(Instant t) {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
