package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.service.EffectiveDateService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * "Exactly once with two instances": two instances differ from two threads here only in
 * running in separate JVMs; what makes the claim safe is the database (each claimer runs
 * its own transaction on its own connection, and the row claim is decided by PostgreSQL),
 * so two claimer threads on separate connections, plus this instance's own scheduler as
 * a third, race exactly as two processes would.
 */
@QuarkusTest
class EffectiveEventTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Inject
    EffectiveDateService effective;

    @Test
    void revisionEffectiveEventsFireOnceEachWhileTwoClaimersAndTheSchedulerRace() throws Exception {
        Instant start = Instant.now();
        String key = Inputs.key("eff");
        Map<String, Object> agreement = Inputs.agreement(key, 0, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(1, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        Instant noticeAt = clock.now().truncatedTo(ChronoUnit.MILLIS);
        Instant effectiveAt = noticeAt.plusSeconds(6);
        int revisions = 20;
        String last = null;
        for (int v = 2; v <= revisions + 1; v++) {
            last = Inputs.publish(Inputs.published(agreement, v, v - 1, noticeAt, effectiveAt,
                    v % 2 == 0 ? Inputs.clausesV2() : Inputs.clausesV1(), false), UUID.randomUUID().toString());
        }
        String lastId = last;
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, lastId));
        List<String> ids = given().queryParam("agreementKey", key).get("/notices").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(revisions, ids.size());

        ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> claimers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            claimers.add(pool.submit(() -> {
                go.await();
                Instant until = effectiveAt.plusSeconds(2);
                while (clock.now().isBefore(until)) {
                    List<UUID> mine = effective.fireDue();
                    claimed.addAll(mine);
                    for (UUID id : mine) {
                        assertFalse(clock.now().isBefore(effectiveAt), "fired before its effective date");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : claimers) {
            f.get();
        }
        pool.shutdown();

        Set<UUID> ours = new HashSet<>();
        ids.forEach(id -> ours.add(UUID.fromString(id)));
        List<UUID> claimedHere = claimed.stream().filter(ours::contains).toList();
        assertEquals(new HashSet<>(claimedHere).size(), claimedHere.size(), "no notice claimed twice");
        for (String id : ids) {
            JsonPath n = given().get("/notices/" + id).then().statusCode(200).body("status", is("EFFECTIVE"))
                    .extract().jsonPath();
            assertFalse(Instant.parse(n.getString("firedAt")).isBefore(effectiveAt));
        }
        // a restarted instance finds nothing left to fire
        assertTrue(effective.fireDue().stream().noneMatch(ours::contains));

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> Db.relayed(ds, id)));
        List<ConsumerRecord<String, String>> fired = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> key.equals(r.key()) && "notice.revision-effective.v1".equals(TestKafka.header(r, "ce_type")));
        assertEquals(revisions, fired.size(), "one revision-effective event per revision");
        Set<String> firedIds = new HashSet<>();
        for (ConsumerRecord<String, String> r : fired) {
            JsonNode data = Inputs.JSON.readTree(r.value());
            Set<String> names = new HashSet<>();
            data.fieldNames().forEachRemaining(names::add);
            assertEquals(Set.of("noticeId", "agreementKey", "version", "effectiveAt"), names);
            assertEquals(effectiveAt, Instant.parse(data.get("effectiveAt").asText()));
            firedIds.add(data.get("noticeId").asText());
        }
        assertEquals(new HashSet<>(ids), firedIds);
    }

    @Test
    void aRevisionWhoseDateWentByWhileNobodyRanFiresAtTheNextRun() {
        Instant start = Instant.now();
        String key = Inputs.key("late");
        Map<String, Object> agreement = Inputs.agreement(key, 7, "ANNOUNCEMENT", Map.of());
        Inputs.register(agreement);
        Instant v1At = clock.now().minus(400, ChronoUnit.DAYS);
        Inputs.publish(Inputs.published(agreement, 1, null, v1At, v1At, Inputs.clausesV1(), true),
                UUID.randomUUID().toString());
        Instant noticeAt = clock.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant effectiveAt = noticeAt.plus(7, ChronoUnit.DAYS);
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, effectiveAt, Inputs.clausesV2(), true),
                UUID.randomUUID().toString());
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .get("/notices").then().extract().jsonPath().getString("[0].id"), v -> v != null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "EFFECTIVE".equals(given().get("/notices/" + id).then().extract().jsonPath().getString("status")));
        given().get("/notices/" + id).then().body("imported", is(true)).body("deliveries", is(0))
                .body("leadTimeMet", is(true)).body("actualLeadDays", is(7));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.relayed(ds, id));
        List<ConsumerRecord<String, String>> fired = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> r.value().contains(id) && "notice.revision-effective.v1".equals(TestKafka.header(r, "ce_type")));
        assertEquals(1, fired.size());
    }
}
