package io.termsledger.consent.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.consent.support.ConsentEvents;
import io.termsledger.consent.support.ConsentEvents.Event;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Consumers (agreements.versions, usage.signals), parking, consents.events payloads, retraction, rebuild. */
@QuarkusTest
class EventHandlingTest {

    @Inject
    Agreements agreements;

    @Inject
    AgreementRepository repository;

    @Inject
    Db db;

    @Inject
    UsageSignalsConsumer signals;

    private String reason(String eventId) {
        return db.one("select reason from parked_event where event_id = ?", rs -> rs.getString(1), eventId).orElse("");
    }

    private long parked(String eventId) {
        return db.one("select count(*) from parked_event where event_id = ?", rs -> rs.getLong(1), eventId).orElse(0L);
    }

    /** A 0-day ON_CONTINUED_USE agreement (click or use) whose version 1 was noticed and took effect at {@code at}. */
    private String continuedUseAgreement(String prefix, Instant at) {
        String key = Agreements.unique(prefix);
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 0, "ON_CONTINUED_USE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        agreements.publish(key, a, 1, at, at, null);
        return key;
    }

    private static Map<String, String> headers(String id, String type) {
        Map<String, String> h = new HashMap<>(TestKafka.ceHeaders(id, type));
        h.put("ce_time", Instant.now().toString());
        return h;
    }

    @Test
    void malformedAndUnknownAgreementEventsAreParkedAndTheConsumerMovesOn() {
        String key = Agreements.unique("park");
        String bad = UUID.randomUUID().toString();
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(bad, "agreement.registered.v1"),
                "{\"agreementKey\": \"" + key + "\", \"scope\": \"GENERAL\"}");
        String notJson = UUID.randomUUID().toString();
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(notJson, "agreement.version.published.v1"), "{oops");
        String unknownWithdrawal = UUID.randomUUID().toString();
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(unknownWithdrawal, "agreement.version.withdrawn.v1"),
                "{\"agreementKey\": \"" + key + "\", \"version\": 5, \"reason\": \"x\", \"withdrawnAt\": \"" + Instant.now() + "\"}");
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(UUID.randomUUID().toString(), "agreement.something-new.v9"), "{}");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        assertEquals(1, parked(bad));
        assertEquals(1, parked(notJson));
        assertEquals(1, parked(unknownWithdrawal));
        // what notice-service parks is parked here too: a version taken here and not there binds with no notice
        String now = Instant.now().toString();
        String noClauses = UUID.randomUUID().toString();
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(noClauses, "agreement.version.published.v1"),
                "{\"agreementKey\": \"" + key + "\", \"version\": 1, \"agreement\": " + a + ", \"noticeAt\": \"" + now
                        + "\", \"effectiveAt\": \"" + now + "\", \"contentSha256\": \"" + "ab".repeat(32) + "\"}");
        String negativePeriod = UUID.randomUUID().toString();
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(negativePeriod, "agreement.registered.v1"),
                a.replace("\"DATA_CENTRE_MIGRATION\": 7", "\"DATA_CENTRE_MIGRATION\": -1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(noClauses) == 1 && parked(negativePeriod) == 1);
        assertTrue(reason(noClauses).contains("clauses must be an array"), reason(noClauses));
        assertTrue(reason(negativePeriod).contains("noticePeriods must hold whole days"), reason(negativePeriod));
        assertTrue(repository.version(key, 1).isEmpty());
    }

    @Test
    void redeliveredPublicationHasOneEffect() {
        String key = Agreements.unique("redeliver");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        agreements.publish(key, a, 1, at, at, null);
        String id = UUID.randomUUID().toString();
        String withdrawal = "{\"agreementKey\": \"" + key + "\", \"version\": 1, \"reason\": \"first\", \"withdrawnAt\": \""
                + at.plusSeconds(10) + "\", \"noticeAt\": \"" + at + "\", \"effectiveAt\": \"" + at + "\"}";
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(id, "agreement.version.withdrawn.v1"), withdrawal);
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers(id, "agreement.version.withdrawn.v1"),
                withdrawal.replace("first", "second"));
        await().atMost(Duration.ofSeconds(30)).until(() -> repository.version(key, 1).get().withdrawnAt() != null);
        String marker = Agreements.unique("marker");
        agreements.register(marker, Agreements.agreementJson(marker, "GENERAL", null, null, 0, "ON_CONTINUED_USE", false,
                "\"USE\"", "ANNOUNCEMENT"));
        assertEquals("first", repository.version(key, 1).get().withdrawReason());
    }

    @Test
    void usageSignalsFromKafkaBindAndBadSignalsAreParked() {
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        String key = continuedUseAgreement("signals", at);
        String user = Agreements.unique("signal-user");
        String bad = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(bad, "usage.signal.v1"),
                "{\"userId\": \"" + user + "\", \"agreementKey\": \"nope-" + UUID.randomUUID() + "\", \"occurredAt\": \"" + at + "\"}");
        Instant used = Agreements.now().minus(Duration.ofHours(1));
        String id = UUID.randomUUID().toString();
        String signal = "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + used + "\"}";
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(id, "usage.signal.v1"), signal);
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(id, "usage.signal.v1"), signal);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(1, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion")));
        assertEquals(used, Instant.parse(Api.status(user, key, Agreements.now()).extract().path("basis.since")));
        assertEquals(1, parked(bad));
        List<Event> events = ConsentEvents.read(user, Duration.ofSeconds(30), l -> !l.isEmpty());
        Event bound = events.get(0);
        assertEquals("consent.bound.v1", bound.type());
        assertEquals(Map.of("userId", user, "agreementKey", key, "version", 1, "basis", "USE", "since", used.toString()),
                withoutNulls(bound.data().getMap("")));
        assertTrue(bound.raw().contains("\"previousVersion\":null"), bound.raw());
    }

    /**
     * A product that flushes its buffered signals newest first: each signal was earlier than every one stored before
     * it in its interval, so each was stored. A poll's signals are applied earliest first: one row, the earliest
     * instant, and the user bound by it as before.
     */
    @Test
    void aPollOfSignalsNewestFirstIsStoredBounded() throws Exception {
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        String key = continuedUseAgreement("flush", at);
        String user = Agreements.unique("flush-user");
        Instant earliest = Agreements.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        List<IncomingEvent> poll = new ArrayList<>();
        for (int i = 19; i >= 0; i--) {
            poll.add(new IncomingEvent(Topics.USAGE_SIGNALS, 0, 19 - i, user, UUID.randomUUID().toString(),
                    UsageSignalsConsumer.TYPE, "test", null, Instant.now(), "{\"userId\": \"" + user
                    + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + earliest.plusSeconds(i) + "\"}"));
        }
        signals.handleAll(poll);
        assertEquals(List.of(earliest), db.list("select occurred_at from usage_signal where user_id = ?",
                rs -> rs.getTimestamp(1).toInstant(), user));
        Api.status(user, key, null).statusCode(200).body("governingVersion", is(1))
                .body("basis.since", is(earliest.toString()));
    }

    /**
     * A usage signal that arrives before its agreement reached this service is parked; once the agreement is
     * there, an operator's replay records it as if it had just arrived, with the instant the product sent.
     */
    @Test
    void aUsageSignalParkedBeforeItsAgreementArrivedIsRecordedWhenReplayed() {
        String key = Agreements.unique("early");
        String user = Agreements.unique("early-user");
        Instant at = Agreements.now().minus(Duration.ofDays(2));
        Instant used = Agreements.now().minus(Duration.ofHours(3));
        String id = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(id, "usage.signal.v1"),
                "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + used + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(id) == 1);
        long parkedId = db.one("select id from parked_event where event_id = ?", rs -> rs.getLong(1), id).orElseThrow();
        given().post("/admin/parked-events/{id}/replay", parkedId).then().statusCode(422)
                .body("detail", containsString("No agreement '" + key + "'"));

        String a = Agreements.agreementJson(key, "GENERAL", null, null, 0, "ON_CONTINUED_USE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        agreements.publish(key, a, 1, at, at, null);
        given().post("/admin/parked-events/{id}/replay", parkedId).then().statusCode(200)
                .body("replayOutcome", is("APPLIED"));
        Api.status(user, key, Agreements.now()).statusCode(200)
                .body("governingVersion", is(1))
                .body("basis.since", is(used.toString()));
    }

    @Test
    void usageSignalsThatCouldNotBeStoredAsSentAreRefusedAndNeverStored() {
        // the driver wrote an instant before 4713 BC as -infinity, and a lone surrogate as '?': a usage signal was
        // stored with a date nobody sent, or for a user nobody named
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        String key = continuedUseAgreement("ancient", at);
        String user = Agreements.unique("ancient-user");
        given().contentType("application/json")
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"-5000-01-01T00:00:00Z\"}")
                .post("/usage").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("occurredAt"));
        String ancient = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(ancient, "usage.signal.v1"),
                "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"-5000-01-01T00:00:00Z\"}");
        String surrogate = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(surrogate, "usage.signal.v1"),
                "{\"userId\": \"\\ud800" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + at + "\"}");
        // user ids POST /usage refuses (a control character; a dot segment no URL can address) were stored from Kafka
        String control = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(control, "usage.signal.v1"),
                "{\"userId\": \"" + user + "\\nx\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + at + "\"}");
        String dot = UUID.randomUUID().toString();
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(dot, "usage.signal.v1"),
                "{\"userId\": \"..\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + at + "\"}");
        Instant used = Agreements.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        TestKafka.send(Topics.USAGE_SIGNALS, user, headers(UUID.randomUUID().toString(), "usage.signal.v1"),
                "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + used + "\"}");
        // the consumer parks the ancient signal and goes on to the next
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(1, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion")));
        assertEquals(1, parked(ancient));
        assertTrue(db.one("select reason from parked_event where event_id = ?", rs -> rs.getString(1), ancient).get()
                .contains("out of range"));
        assertEquals(1, parked(surrogate));
        assertTrue(db.one("select reason from parked_event where event_id = ?", rs -> rs.getString(1), surrogate).get()
                .contains("unpaired surrogate"));
        assertEquals(List.of(used), db.list("select occurred_at from usage_signal where user_id = ?",
                rs -> Db.instant(rs, "occurred_at"), user));
        assertEquals(0, db.one("select count(*) from usage_signal where user_id = ?", rs -> rs.getLong(1), "?" + user).get());
        for (String id : List.of(control, dot)) {
            assertEquals(1, parked(id));
            assertTrue(db.one("select reason from parked_event where event_id = ?", rs -> rs.getString(1), id).get()
                    .contains("userId must not contain control characters"));
        }
        assertEquals(0, db.one("select count(*) from usage_signal where user_id in (?, ?)", rs -> rs.getLong(1),
                user + "\nx", "..").get());
    }

    @Test
    void acceptedEventPayloadIsTheDocumentedOne() {
        String key = Agreements.unique("golden");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        agreements.publish(key, a, 1, at, at, null);
        String user = Agreements.unique("golden-user");
        Instant clicked = at.plusSeconds(30);
        JsonPath r = Api.accept(user, key, 1, "CLICK", clicked).statusCode(201).extract().jsonPath();
        List<Event> events = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> !ConsentEvents.ofType(l, "consent.accepted.v1").isEmpty());
        Event e = ConsentEvents.ofType(events, "consent.accepted.v1").get(0);
        assertEquals(r.getString("eventId"), e.id());
        assertEquals(user + "/" + key, e.subject());
        assertEquals(List.of("eventId", "userId", "agreementKey", "version", "method", "occurredAt", "recordedAt", "hash"),
                List.copyOf(e.data().getMap("").keySet()));
        assertEquals(r.getString("hash"), e.data().getString("hash"));
        assertEquals(r.getString("recordedAt"), e.data().getString("recordedAt"));
        assertEquals(clicked.toString(), e.data().getString("occurredAt"));
        assertEquals("CLICK", e.data().getString("method"));
    }

    @Test
    void aLateObjectionBeforeTheDateRetractsTheBoundByDateEvent() {
        String key = Agreements.unique("retract");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(40));
        agreements.publish(key, a, 1, v1At, v1At, null);
        Instant notice = Agreements.now().minus(Duration.ofDays(10));
        agreements.publish(key, a, 2, notice, notice.plus(Duration.ofDays(7)), 1);
        String user = Agreements.unique("retract-user");
        Api.accept(user, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        assertEquals(2, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion"));
        String line = "{\"type\": \"OBJECTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 2, \"occurredAt\": \"" + notice.plus(Duration.ofDays(1)) + "\"}";
        given().contentType("application/x-ndjson").body(line.getBytes(StandardCharsets.UTF_8)).post("/consents/import")
                .then().statusCode(200);
        assertEquals(1, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion"));
        List<Event> events = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> !ConsentEvents.ofType(l, "consent.bound.retracted.v1").isEmpty());
        List<String> types = events.stream().map(Event::type).toList();
        assertEquals(List.of("consent.accepted.v1", "consent.bound.v1", "consent.bound.v1", "consent.objected.v1",
                "consent.bound.retracted.v1"), types);
        Event retracted = ConsentEvents.ofType(events, "consent.bound.retracted.v1").get(0);
        assertEquals(2, retracted.data().getInt("version"));
        assertEquals(1, retracted.data().getInt("governingVersion"));
    }

    /** The users of a product are its terms' audience (DOMAIN.md §6), bound or not: notice-service learns of them. */
    @Test
    void aProductsFirstStoredUseIsAnnouncedOnceAsAProductUser() {
        String key = Agreements.unique("used");
        String product = Agreements.unique("used-product");
        String a = Agreements.agreementJson(key, "PRODUCT", null, product, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"",
                "ANNOUNCEMENT");
        Instant v1At = Agreements.now().minus(Duration.ofDays(30));
        agreements.withVersionOne(key, a, v1At);
        String general = agreements.generalWithVersionOne("used-general", 7, "ON_EFFECTIVE_DATE", false, v1At).key();
        String user = Agreements.unique("used-user");
        Instant first = Agreements.now().minus(Duration.ofDays(2));
        given().contentType("application/json").body("{\"userId\": \"" + user + "\", \"product\": \"" + product
                + "\", \"occurredAt\": \"" + first + "\"}").post("/usage").then().statusCode(202);
        // an earlier use reported later is stored, but the user is no newer to the product
        Api.use(user, key, first.minus(Duration.ofDays(1))).statusCode(202);
        Api.use(user, general, first).statusCode(202);
        // usage binds no one to these CLICK-only terms; the click is where the reading stops
        Api.accept(user, key, 1, "CLICK", Agreements.now()).statusCode(201);
        List<Event> events = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> !ConsentEvents.ofType(l, "consent.accepted.v1").isEmpty());
        List<Event> used = ConsentEvents.ofType(events, "consent.product-used.v1");
        assertEquals(1, used.size(), events.toString());
        assertEquals(user, used.get(0).data().getString("userId"));
        assertEquals(key, used.get(0).data().getString("agreementKey"));
        assertEquals(product, used.get(0).data().getString("product"));
        assertEquals(first.toString(), used.get(0).data().getString("firstUsedAt"));
        assertEquals(user + "/" + key, used.get(0).subject());
    }

    @Test
    void aRevisionWithdrawnAfterALaterOneBoundTheUserIsRetracted() {
        String key = Agreements.unique("retract-below");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(40));
        agreements.publish(key, a, 1, v1At, v1At, null);
        Instant n2 = Agreements.now().minus(Duration.ofDays(2));
        agreements.publish(key, a, 2, n2, n2.plus(Duration.ofDays(7)), 1);
        Instant n3 = Agreements.now().minus(Duration.ofDays(1));
        agreements.publish(key, a, 3, n3, n3.plus(Duration.ofDays(7)), 2);
        String user = Agreements.unique("retract-below-user");
        // the user clicks each version as it is announced: 2 and 3 bind them early
        Api.accept(user, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        Api.accept(user, key, 2, "CLICK", n2.plusSeconds(60)).statusCode(201);
        Api.accept(user, key, 3, "CLICK", n3.plusSeconds(60)).statusCode(201);
        assertEquals(3, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion"));

        // version 2 is withdrawn before its date: it never bound anyone, so its announced binding is retracted,
        // though the governing version 3 is above it
        agreements.withdraw(key, 2, Agreements.now(), n2, n2.plus(Duration.ofDays(7)));
        assertEquals(3, (Integer) Api.status(user, key, Agreements.now()).extract().path("governingVersion"));
        List<Event> events = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> !ConsentEvents.ofType(l, "consent.bound.retracted.v1").isEmpty());
        List<Event> bound = ConsentEvents.ofType(events, "consent.bound.v1");
        assertEquals(List.of(1, 2, 3), bound.stream().map(e -> e.data().getInt("version")).toList());
        List<Event> retracted = ConsentEvents.ofType(events, "consent.bound.retracted.v1");
        assertEquals(1, retracted.size());
        assertEquals(2, retracted.get(0).data().getInt("version"));
        assertEquals(3, retracted.get(0).data().getInt("governingVersion"));
    }

    @Test
    void projectionIsRebuiltFromTheLedger() {
        String key = Agreements.unique("rebuild");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant at = Agreements.now().minus(Duration.ofDays(1));
        agreements.publish(key, a, 1, at, at, null);
        for (int i = 0; i < 3; i++) {
            Api.accept(Agreements.unique("r"), key, 1, "CLICK", at.plusSeconds(i + 1)).statusCode(201);
        }
        given().get("/agreements/{k}/population", key).then().body("users", is(3));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            db.update("delete from user_pending_state where agreement_key = ?", key);
            db.update("delete from user_agreement_status where agreement_key = ?", key);
            db.update("delete from population_counter where agreement_key = ?", key);
        });
        given().get("/agreements/{k}/population", key).then().body("users", is(0));
        given().queryParam("wait", true).post("/admin/projection/rebuild").then().statusCode(200);
        given().get("/agreements/{k}/population", key).then().body("users", is(3))
                .body("governing[0].version", is(1));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
