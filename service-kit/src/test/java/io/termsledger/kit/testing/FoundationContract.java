package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.upkeep.TableUpkeep;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every service must do on the real PostgreSQL and Kafka of the test run: report
 * health, relay an outbox row to the broker as a CloudEvent, and apply a consumed event
 * once however often it arrives. Each service runs it by extending this class with
 * {@code @QuarkusTest}.
 */
public abstract class FoundationContract {

    @Inject
    Outbox outbox;

    @Inject
    EventConsumers consumers;

    @Inject
    EntityManager em;

    @Inject
    TableUpkeep upkeep;

    @Test
    void liveAndReadyWithDatabaseAndKafka() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }

    @Test
    void outboxRowIsRelayedToKafkaAsCloudEvent() {
        String topic = "selftest.outbox";
        TestKafka.createTopic(topic, 3);
        String key = "key-" + UUID.randomUUID();
        UUID id = QuarkusTransaction.requiringNew().call(
                () -> outbox.append(topic, key, "selftest.happened.v1", "subject-1", Map.of("n", 1)));

        List<ConsumerRecord<String, String>> seen = TestKafka.readUntil(topic, Duration.ofSeconds(30),
                r -> id.toString().equals(TestKafka.header(r, "ce_id")));
        ConsumerRecord<String, String> r = seen.get(seen.size() - 1);
        assertEquals(id.toString(), TestKafka.header(r, "ce_id"));
        assertEquals(key, r.key());
        assertEquals("{\"n\":1}", r.value());
        assertEquals("1.0", TestKafka.header(r, "ce_specversion"));
        assertEquals("selftest.happened.v1", TestKafka.header(r, "ce_type"));
        assertEquals("subject-1", TestKafka.header(r, "ce_subject"));
        assertTrue(TestKafka.header(r, "ce_source").startsWith("/"), "ce_source is a URI reference");
        await().atMost(Duration.ofSeconds(10)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select count(*) from outbox where event_id = ?1")
                        .setParameter(1, id).getSingleResult()).intValue() == 0));
    }

    /** Events appended together reach the topic in the order given, each with its own time, key and subject. */
    @Test
    void eventsAppendedTogetherGoOutInTheirOrderWithTheirOwnTimes() {
        String topic = "selftest.order";
        TestKafka.createTopic(topic, 1);
        java.time.Instant base = java.time.Instant.parse("2026-03-01T08:00:00.123456Z");
        List<Outbox.Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // later events get earlier times: the order is the list's, not the times'
            events.add(new Outbox.Event(UUID.randomUUID(), base.minusMillis(i * 1001L), topic, "k" + (i % 3),
                    "selftest.order.v1", i % 2 == 0 ? null : "s" + i, Map.of("n", i)));
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.appendAll(events));
        String last = events.get(events.size() - 1).eventId().toString();
        List<ConsumerRecord<String, String>> seen = TestKafka.readUntil(topic, Duration.ofSeconds(30),
                r -> last.equals(TestKafka.header(r, "ce_id")));
        List<String> ours = events.stream().map(e -> e.eventId().toString()).toList();
        List<ConsumerRecord<String, String>> got = seen.stream().filter(r -> ours.contains(TestKafka.header(r, "ce_id"))).toList();
        assertEquals(ours, got.stream().map(r -> TestKafka.header(r, "ce_id")).toList(), "the order appended");
        for (int i = 0; i < events.size(); i++) {
            Outbox.Event e = events.get(i);
            ConsumerRecord<String, String> r = got.get(i);
            assertEquals(e.time().toString(), TestKafka.header(r, "ce_time"));
            assertEquals(e.key(), r.key());
            assertEquals(e.subject(), TestKafka.header(r, "ce_subject"));
            assertEquals("{\"n\":" + i + "}", r.value());
        }
    }

    /**
     * The outbox is a queue table: the relay vacuums it itself after many deleted rows (the
     * services' test profiles set {@code ledger.kafka.relay-vacuum-after-rows=100}), so
     * dead rows never pile up, even with autovacuum off. Manual vacuums are counted apart
     * from autovacuum's, so this sees the relay's.
     */
    @Test
    void relayVacuumsTheOutboxAfterManyRelayedRows() {
        String topic = "selftest.vacuum";
        TestKafka.createTopic(topic, 1);
        long before = outboxVacuums();
        List<Outbox.Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(new Outbox.Event(UUID.randomUUID(), java.time.Instant.now(), topic, "k" + i, "selftest.vacuum.v1",
                    null, Map.of("n", i)));
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.appendAll(events));
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select count(*) from outbox where topic = ?1").setParameter(1, topic)
                        .getSingleResult()).intValue() == 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxVacuums() > before);
    }

    private long outboxVacuums() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select vacuum_count from pg_stat_user_tables where relname = 'outbox'").getSingleResult()).longValue());
    }

    @Test
    void consumedEventHasOneEffectAndBadRecordsAreParked() {
        String topic = "selftest.consume." + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
        consumers.start("selftest-" + UUID.randomUUID(), List.of(topic),
                e -> applied.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet());

        String id = UUID.randomUUID().toString();
        TestKafka.send(topic, "k", TestKafka.ceHeaders(id, "selftest.v1"), "{}");
        TestKafka.send(topic, "k", TestKafka.ceHeaders(id, "selftest.v1"), "{}");
        TestKafka.send(topic, "k", Map.of("content-type", "application/json"), "{\"no\":\"ce_id\"}");
        String last = UUID.randomUUID().toString();
        TestKafka.send(topic, "k", TestKafka.ceHeaders(last, "selftest.v1"), "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> applied.containsKey(last));
        assertEquals(1, applied.get(id).get(), "a redelivered event is applied once");
        // the record without ce_id was parked (a row written through Panache), not retried forever;
        // an operator reads it back over REST
        given().queryParam("topic", topic).get("/admin/parked-events").then().statusCode(200)
                .body("total", is(1))
                .body("items[0].payload", is("{\"no\":\"ce_id\"}"))
                .body("items[0].reason", containsString("ce_id"));
    }

    /**
     * An offset commit the broker refuses does not end the consumer. Here the handler outlasts the
     * consumer's poll interval once, so the group moves on without it and its commit fails (as it
     * does in a rebalance, or when the broker is away past the client's timeout). Before, the
     * consumer thread logged "stopped" and ended, and nothing consumed the topics again until a
     * restart. Now it goes back to the committed offsets, gets the event again (applied once) and
     * carries on.
     */
    @Test
    void aRefusedOffsetCommitDoesNotStopTheConsumer() {
        String topic = "selftest.commit." + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
        AtomicInteger slow = new AtomicInteger(1);
        Properties shortPollInterval = new Properties();
        shortPollInterval.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 2_000);
        consumers.start("selftest-" + UUID.randomUUID(), List.of(topic), e -> {
            applied.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
            if (slow.getAndDecrement() > 0) {
                Thread.sleep(6_000);
            }
        }, shortPollInterval);

        String first = UUID.randomUUID().toString();
        TestKafka.send(topic, "k", TestKafka.ceHeaders(first, "selftest.v1"), "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> applied.containsKey(first));
        String later = UUID.randomUUID().toString();
        TestKafka.send(topic, "k", TestKafka.ceHeaders(later, "selftest.v1"), "{}");

        await().atMost(Duration.ofSeconds(60)).until(() -> applied.containsKey(later));
        assertEquals(1, applied.get(first).get(), "the event polled again after the refused commit has one effect");
    }

    /**
     * A record that cannot be stored as it came is parked with its exact bytes and holds back nothing:
     * a value that is not UTF-8 (a lenient decoder would apply it with U+FFFD in place of the bytes), a
     * NUL character in a {@code ce_} header, a refusal whose message echoes a NUL, and a raw NUL byte that
     * the handler's statement carries into the database, which refuses it: that record is parked at the
     * first attempt, not retried. Before, parking the last three failed (no text column takes NUL) and
     * the partition was retried forever.
     */
    @Test
    void recordsThatCannotBeStoredAsTheyCameAreParkedExactlyAndHoldBackNothing() {
        String topic = "selftest.unstorable." + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        consumers.start("selftest-" + UUID.randomUUID(), List.of(topic), e -> {
            attempts.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
            if (e.data().contains("echo")) {
                throw new MalformedEventException("refused for a NUL: a\0b");
            }
            em.createNativeQuery("insert into consumed_event (event_id, topic) values (?1, ?2)")
                    .setParameter(1, "effect-" + e.id()).setParameter(2, e.data()).executeUpdate();
        });

        byte[] notUtf8 = {'{', (byte) 0xFF, '}'};
        TestKafka.sendBytes(topic, "k", utf8(TestKafka.ceHeaders(UUID.randomUUID().toString(), "selftest.v1")), notUtf8);
        Map<String, String> nulHeader = new HashMap<>(TestKafka.ceHeaders(UUID.randomUUID().toString(),
                "selftest.v1"));
        nulHeader.put("ce_subject", "user\0x");
        TestKafka.send(topic, "k", nulHeader, "{\"header\":true}");
        TestKafka.send(topic, "k", TestKafka.ceHeaders(UUID.randomUUID().toString(), "selftest.v1"), "{\"echo\":true}");
        String rawNul = UUID.randomUUID().toString();
        byte[] withNul = "{\"a\":\"x\0y\"}".getBytes(StandardCharsets.UTF_8);
        TestKafka.sendBytes(topic, "k", utf8(TestKafka.ceHeaders(rawNul, "selftest.v1")), withNul);
        String last = UUID.randomUUID().toString();
        TestKafka.send(topic, "k", TestKafka.ceHeaders(last, "selftest.v1"), "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.containsKey(last) && parkedCount(topic) == 4);
        // once on its own, and once before that when a poll brought it with other records that parse (they are
        // first applied together, and one by one when that fails): retried, it would be tried five times
        assertTrue(attempts.get(rawNul).get() <= 2,
                "a statement the database refuses for its text is not retried: " + attempts.get(rawNul).get());
        given().queryParam("topic", topic).get("/admin/parked-events").then().statusCode(200)
                .body("total", is(4))
                // newest first
                .body("items[0].payload", is(EventConsumers.BASE64_PREFIX + Base64.getEncoder().encodeToString(withNul)))
                .body("items[0].reason", containsString("0x00"))
                .body("items[1].payload", is("{\"echo\":true}"))
                .body("items[1].reason", is("refused for a NUL: a\\u0000b"))
                .body("items[2].payload", is("{\"header\":true}"))
                .body("items[2].reason", is("header ce_subject holds the NUL character"))
                .body("items[3].payload", is(EventConsumers.BASE64_PREFIX + Base64.getEncoder().encodeToString(notUtf8)))
                .body("items[3].reason", is("the record's value is not UTF-8 text"));
    }

    /**
     * A parked event is applied again on an operator's request once its cause is gone: through its topic's
     * handler, as it came (key and headers kept), exactly once. While it is still refused the replay is a 422
     * with the reason and the event stays parked; a second replay is a 409.
     */
    @Test
    void aParkedEventIsReplayedOnceItsCauseIsGoneAndOnlyOnce() {
        String topic = "selftest.replay." + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        AtomicBoolean refuse = new AtomicBoolean(true);
        Map<String, String> seen = new ConcurrentHashMap<>();
        consumers.start("selftest-" + UUID.randomUUID(), List.of(topic), e -> {
            if (refuse.get()) {
                throw new MalformedEventException("its agreement is not known yet");
            }
            seen.put(e.id(), e.key() + " " + e.subject() + " " + e.data());
            em.createNativeQuery("insert into consumed_event (event_id, topic) values (?1, ?2)")
                    .setParameter(1, "effect-" + e.id()).setParameter(2, topic + ".effect").executeUpdate();
        });
        String id = UUID.randomUUID().toString();
        Map<String, String> headers = new HashMap<>(TestKafka.ceHeaders(id, "selftest.v1"));
        headers.put("ce_subject", "users/u-1");
        TestKafka.send(topic, "u-1", headers, "{\"n\": 1}");
        String notUtf8 = UUID.randomUUID().toString();
        TestKafka.sendBytes(topic, "u-2", utf8(TestKafka.ceHeaders(notUtf8, "selftest.v1")), new byte[] {'{', (byte) 0xFF, '}'});
        String nulHeader = UUID.randomUUID().toString();
        Map<String, String> withNul = new HashMap<>(TestKafka.ceHeaders(nulHeader, "selftest.v1"));
        withNul.put("ce_subject", "users/u\0");
        TestKafka.send(topic, "u-3", withNul, "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedCount(topic) == 3);
        // its headers could not be kept: replayed without them it would not be the event that came
        given().post("/admin/parked-events/{id}/replay", parkedId(topic, nulHeader)).then().statusCode(409)
                .body("type", is("urn:terms-ledger:problem:not-replayable"));
        long parked = parkedId(topic, id);

        given().post("/admin/parked-events/{id}/replay", parked).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", is("urn:terms-ledger:problem:still-refused"))
                .body("detail", containsString("its agreement is not known yet"));
        refuse.set(false);
        given().post("/admin/parked-events/{id}/replay", parked).then().statusCode(200)
                .body("eventId", is(id)).body("key", is("u-1")).body("replayOutcome", is("APPLIED"))
                .body("replayedBy", is("test-operator")).body("replayedAt", notNullValue());
        assertEquals("u-1 users/u-1 {\"n\": 1}", seen.get(id), "applied as it came");
        assertEquals(1, effects(topic, id));
        given().post("/admin/parked-events/{id}/replay", parked).then().statusCode(409)
                .body("type", is("urn:terms-ledger:problem:already-replayed"));
        assertEquals(1, effects(topic, id), "once");

        given().post("/admin/parked-events/{id}/replay", parkedId(topic, notUtf8)).then().statusCode(422)
                .body("detail", containsString("not UTF-8"));
        given().queryParam("topic", topic).queryParam("state", "PARKED").get("/admin/parked-events").then()
                .statusCode(200).body("total", is(2)).body("items[1].eventId", is(notUtf8))
                .body("items[1].replayedAt", is((Object) null));
        given().queryParam("topic", topic).queryParam("state", "REPLAYED").get("/admin/parked-events").then()
                .statusCode(200).body("total", is(1)).body("items[0].eventId", is(id));
        given().queryParam("state", "LOST").get("/admin/parked-events").then().statusCode(400)
                .body("field", is("state")).body("detail", containsString("PARKED, REPLAYED"));
        given().post("/admin/parked-events/{id}/replay", Long.MAX_VALUE).then().statusCode(404)
                .contentType("application/problem+json");
    }

    private long parkedId(String topic, String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from parked_event where topic = ?1 and event_id = ?2").setParameter(1, topic)
                .setParameter(2, eventId).getSingleResult()).longValue());
    }

    private static Map<String, byte[]> utf8(Map<String, String> headers) {
        Map<String, byte[]> out = new HashMap<>();
        headers.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private long parkedCount(String topic) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from parked_event where topic = ?1").setParameter(1, topic).getSingleResult()).longValue());
    }

    /**
     * Records waiting on the topic are consumed many per poll, in one transaction: each
     * event still has exactly one effect (an effect made in that transaction), a duplicate
     * none, and a record whose handler refuses it is parked without holding back the others.
     */
    @Test
    void aPollOfManyRecordsHasOneEffectPerEventAndARefusedRecordHoldsBackOnlyItself() {
        String topic = "selftest.batch." + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            TestKafka.send(topic, "k", TestKafka.ceHeaders(id, "selftest.v1"), i == 30 ? "{\"refuse\":true}" : "{}");
            if (i == 10) {
                TestKafka.send(topic, "k", TestKafka.ceHeaders(id, "selftest.v1"), "{}");
            }
        }
        consumers.start("selftest-" + UUID.randomUUID(), List.of(topic), e -> {
            if (e.data().contains("refuse")) {
                throw new MalformedEventException("refused on purpose");
            }
            em.createNativeQuery("insert into consumed_event (event_id, topic) values (?1, ?2)")
                    .setParameter(1, "effect-" + e.id()).setParameter(2, topic + ".effect").executeUpdate();
        });

        String last = ids.get(ids.size() - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> effects(topic, last) == 1);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i == 30 ? 0 : 1, effects(topic, ids.get(i)), "effects of record " + i);
        }
        given().queryParam("topic", topic).get("/admin/parked-events").then().statusCode(200)
                .body("total", is(1))
                .body("items[0].eventId", is(ids.get(30)))
                .body("items[0].reason", containsString("refused on purpose"));
    }

    private int effects(String topic, String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from consumed_event where event_id = ?1 and topic = ?2")
                .setParameter(1, "effect-" + id).setParameter(2, topic + ".effect").getSingleResult()).intValue());
    }

    /**
     * With the server's autovacuum off, the service analyzes its own tables once they have
     * changed as much as autovacuum would wait for (the planner needs statistics to use the
     * indexes of a busy table); with autovacuum on it leaves them to the server.
     */
    @Test
    void upkeepAnalyzesChangedTablesWhenTheServersAutovacuumIsOff() throws Exception {
        boolean autovacuumOff = QuarkusTransaction.requiringNew().call(() ->
                "off".equals(em.createNativeQuery("select current_setting('autovacuum')").getSingleResult()));
        String topic = "selftest.upkeep." + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into consumed_event (event_id, topic)"
                + " select ?1 || g, ?1 from generate_series(1, 2000) g").setParameter(1, topic).executeUpdate());
        // the server's statistics of the inserts arrive within seconds, once the connection is idle
        await().atMost(Duration.ofSeconds(30)).until(() -> consumedEventStat("n_mod_since_analyze") >= 2000 || !autovacuumOff);
        long analyzedBefore = consumedEventAnalyzeCount();

        List<TableUpkeep.Action> done = upkeep.runOnce();
        if (autovacuumOff) {
            assertTrue(done.stream().anyMatch(a -> a.table().equals("consumed_event") && a.analyzed()), done.toString());
            assertTrue(consumedEventAnalyzeCount() > analyzedBefore, "consumed_event analyzed");
        } else {
            assertEquals(List.of(), done, "autovacuum is on: the server keeps the tables");
        }
    }

    /**
     * A table's own autovacuum storage parameters come before the server's settings, as
     * autovacuum reads them; and inserts alone make a table due for vacuum (it sets the
     * visibility map that index-only scans rely on), without an analyze that is not due.
     */
    @Test
    void upkeepHonoursATablesOwnParametersAndVacuumsAfterInserts() throws Exception {
        boolean autovacuumOff = QuarkusTransaction.requiringNew().call(() ->
                "off".equals(em.createNativeQuery("select current_setting('autovacuum')").getSingleResult()));
        Assumptions.assumeTrue(autovacuumOff, "autovacuum is on: the server keeps the tables");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("alter table consumed_event set"
                + " (autovacuum_analyze_threshold = 1000000000, autovacuum_vacuum_insert_threshold = 1000,"
                + " autovacuum_vacuum_insert_scale_factor = 0)").executeUpdate());
        try {
            String topic = "selftest.upkeep-insert." + UUID.randomUUID();
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into consumed_event (event_id, topic)"
                    + " select ?1 || g, ?1 from generate_series(1, 2000) g").setParameter(1, topic).executeUpdate());
            await().atMost(Duration.ofSeconds(30)).until(() -> consumedEventStat("n_ins_since_vacuum") >= 2000);
            long vacuumedBefore = consumedEventStat("vacuum_count + autovacuum_count");
            long analyzedBefore = consumedEventAnalyzeCount();

            List<TableUpkeep.Action> done = upkeep.runOnce();
            assertTrue(done.contains(new TableUpkeep.Action("consumed_event", true, false)), done.toString());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> consumedEventStat("vacuum_count + autovacuum_count") > vacuumedBefore);
            assertEquals(analyzedBefore, consumedEventAnalyzeCount(), "its own analyze threshold is not reached");
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("alter table consumed_event reset"
                    + " (autovacuum_analyze_threshold, autovacuum_vacuum_insert_threshold,"
                    + " autovacuum_vacuum_insert_scale_factor)").executeUpdate());
        }
    }

    private long consumedEventStat(String expression) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select " + expression + " from pg_stat_user_tables where relname = 'consumed_event'"
                        + " and schemaname = current_schema()").getSingleResult()).longValue());
    }

    private long consumedEventAnalyzeCount() {
        return consumedEventStat("analyze_count + autoanalyze_count");
    }
}
