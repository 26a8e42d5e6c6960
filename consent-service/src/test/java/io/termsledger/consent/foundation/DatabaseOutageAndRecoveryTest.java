package io.termsledger.consent.foundation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.consent.support.ConsentEvents;
import io.termsledger.consent.support.ConsentEvents.Event;
import io.termsledger.consent.support.Logged;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.service.FactService;
import io.termsledger.kit.messaging.BackgroundWorker;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.DatabaseOutageContract;
import io.termsledger.kit.testing.DatabaseProxy;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.upkeep.TableUpkeep;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The database goes away while the service runs (a proxy between the two closes every connection
 * and refuses new ones) and comes back. Meanwhile facts are refused with the 503 problem, each
 * batch failing as a whole rather than fact by fact, and nothing is half-recorded; afterwards the
 * same requests, retried with the same keys, are recorded, and reads answer again (status
 * queries on the I/O thread again, through the reactive pool) and the outbox relay sends the recorded
 * facts' events, without a restart. An event that
 * arrives meanwhile waits for the database instead of being parked, and a revision whose date passes
 * meanwhile reaches the projection through the sweep once the database is back. The background loops
 * (sweep, table upkeep) say once that the database is away and once that it is back.
 */
@QuarkusTest
@TestProfile(DatabaseOutageAndRecoveryTest.ThroughProxy.class)
class DatabaseOutageAndRecoveryTest {

    private static final String PROXY = "consent-service";

    /** Both pools reach the test database through the proxy; the JDBC pool waits 1 s for a connection. */
    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String jdbc = DatabaseProxy.startToTestDatabase(PROXY, "consent_service_test");
            return Map.of("quarkus.datasource.jdbc.url", jdbc,
                    "quarkus.datasource.reactive.url", jdbc.substring("jdbc:".length()),
                    "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @Inject
    Agreements agreements;

    @Inject
    MeterRegistry metrics;

    @Inject
    AgreementRepository repository;

    @Inject
    Db db;

    @Inject
    TableUpkeep upkeep;

    record Attempt(String user, String idempotencyKey, String body) {
        ExtractableResponse<Response> post() {
            return given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(body)
                    .post("/consents").then().extract();
        }
    }

    @Test
    void factsAreRefusedWhileTheDatabaseIsAwayAndRecordedWhenRetriedAfterItReturns() throws Exception {
        Instant notice = Instant.now().minus(Duration.ofDays(40));
        String key = agreements.generalWithVersionOne("outage", 7, "ON_EFFECTIVE_DATE", false, notice).key();
        String before = Agreements.unique("before");
        Api.accept(before, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);

        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = Agreements.unique("during");
            attempts.add(new Attempt(user, UUID.randomUUID().toString(),
                    Api.consent(user, key, 1, "CLICK", Instant.now().minus(Duration.ofHours(1)))));
        }
        double retriedBatches = metrics.counter("consent.writer.batch.failures").count();

        DatabaseProxy.cut(PROXY);
        try {
            // sent together: while the first batch waits for a connection, the rest queue up and make a batch of
            // several, which must fail as one instead of being written again fact by fact
            ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (Attempt a : attempts) {
                answers.add(pool.submit(a::post));
            }
            for (Future<ExtractableResponse<Response>> answer : answers) {
                DatabaseOutageContract.assertDatabaseUnavailable(answer.get().response().then());
            }
            pool.shutdown();
            DatabaseOutageContract.assertDatabaseUnavailable(Api.status(before, key, null));
        } finally {
            DatabaseProxy.restore(PROXY);
        }
        assertEquals(retriedBatches, metrics.counter("consent.writer.batch.failures").count(),
                "no batch was written again fact by fact while the database was away");

        // the pools reconnect by themselves; the refused requests, retried with their keys, are recorded afresh
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(201, attempts.get(0).post().statusCode()));
        Map<Attempt, String> recorded = new HashMap<>();
        for (Attempt a : attempts) {
            ExtractableResponse<Response> r = a.post();
            assertEquals(201, r.statusCode(), r.asString());
            if (a != attempts.get(0)) {
                assertNull(r.header("Idempotent-Replayed"), "the 503 was not stored as the key's answer");
            }
            recorded.put(a, r.jsonPath().getString("eventId"));
            Api.assertUnbrokenChain(a.user(), 1);
        }
        Api.assertUnbrokenChain(before, 1);
        // the outbox relay came through the outage as well (its connection was cut under it): each fact's
        // accepted event reaches consents.events
        for (Attempt a : attempts) {
            String eventId = recorded.get(a);
            List<Event> events = ConsentEvents.read(a.user(), Duration.ofSeconds(30),
                    l -> l.stream().anyMatch(e -> eventId.equals(e.id())));
            assertEquals(List.of(eventId), ConsentEvents.ofType(events, FactService.ACCEPTED_EVENT).stream()
                    .map(Event::id).distinct().toList(), "the accepted event of " + a.user());
        }
        Api.status(attempts.get(3).user(), key, null).statusCode(200).body("governingVersion", equalTo(1));
        // and the reactive pool too: a status query is answered by the router again, not on a worker for good
        repository.find(key);
        double byRouter = metrics.counter("consent.status.reads", "thread", "router").count();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Api.status(before, key, null).statusCode(200).body("governingVersion", equalTo(1));
            assertTrue(metrics.counter("consent.status.reads", "thread", "router").count() > byRouter);
        });
        // and so is the REST layer's own read on the I/O thread (an Accept that the router leaves to the REST layer)
        double onIoThread = metrics.counter("consent.status.reads", "thread", "io").count();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            repository.find(key);
            given().header("Accept", "application/json; charset=utf-8")
                    .get("/users/{u}/agreements/{k}/status", before, key).then().statusCode(200)
                    .body("governingVersion", equalTo(1));
            assertTrue(metrics.counter("consent.status.reads", "thread", "io").count() > onIoThread);
        });
    }

    @Test
    void anEventThatArrivesWhileTheDatabaseIsAwayWaitsForItAndIsNeverParked() throws Exception {
        String key = Agreements.unique("outage-event");
        String eventId = UUID.randomUUID().toString();
        // this event only: the consumer may also park other tests' malformed events, as it should
        List<String> parking;
        try (Logged log = new Logged(EventConsumers.class, text -> text.startsWith("parking event") && text.contains(eventId))) {
            DatabaseProxy.cut(PROXY);
            try {
                Map<String, String> headers = new HashMap<>(TestKafka.ceHeaders(eventId, "agreement.registered.v1"));
                headers.put("ce_time", Instant.now().toString());
                TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers, Agreements.agreementJson(key, "GENERAL", null, null,
                        7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT"));
                // longer than the consumer's five attempts for an ordinary failure (each at most the pool's 1-s wait
                // and a 1-s pause), after which such an event would be parked
                Thread.sleep(20_000);
            } finally {
                DatabaseProxy.restore(PROXY);
            }
            parking = log.lines();
        }
        assertEquals(List.of(), parking, "nothing was parked because the database was away");
        await().atMost(Duration.ofSeconds(30)).until(() -> repository.find(key).isPresent());
        assertEquals(0L, db.one("select count(*) from parked_event where event_id = ?", rs -> rs.getLong(1), eventId)
                .orElseThrow());
    }

    @Test
    void aRevisionThatTakesEffectWhileTheDatabaseIsAwayIsSweptIntoTheProjectionOnceItReturns() throws Exception {
        Agreements.Registered a = agreements.generalWithVersionOne("outage-sweep", 0, "ON_EFFECTIVE_DATE", false,
                Instant.now().minus(Duration.ofDays(40)));
        String user = Agreements.unique("sweep");
        Api.accept(user, a.key(), 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
        Instant effectiveAt = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
        agreements.publish(a.key(), a.json(), 2, Instant.now().truncatedTo(ChronoUnit.MILLIS), effectiveAt, 1);
        // the publication's re-evaluation: on version 1 until version 2 takes effect, when the sweep looks again
        await().atMost(Duration.ofSeconds(30)).until(() -> projected(user, a.key()).equals(new Projected(1, effectiveAt)));

        List<String> sweepLog;
        try (Logged log = new Logged(BackgroundWorker.class, text -> text.startsWith("projection-sweep"))) {
            DatabaseProxy.cut(PROXY);
            try {
                // the date passes while the database is away; the sweep, every 0.5 s here, fails about 25 times
                Thread.sleep(Duration.between(Instant.now(), effectiveAt.plusSeconds(8)).toMillis());
            } finally {
                DatabaseProxy.restore(PROXY);
            }
            // the row commits before the sweep returns and the worker says it is back: wait for both
            await().atMost(Duration.ofSeconds(30)).until(() -> projected(user, a.key()).governing() == 2
                    && log.lines().stream().anyMatch(line -> line.contains("reaches its database again")));
            sweepLog = log.lines();
        }
        assertEquals(2, sweepLog.size(), "one warning when the outage began, one line when it ended: " + sweepLog);
        assertTrue(sweepLog.get(0).contains("cannot reach its database"), sweepLog.get(0));
        assertTrue(sweepLog.get(1).contains("reaches its database again"), sweepLog.get(1));
        Api.status(user, a.key(), null).statusCode(200).body("governingVersion", equalTo(2));
    }

    @Test
    void theTableUpkeepSaysOnceThatTheDatabaseIsAwayAndOnceThatItIsBack() {
        List<String> upkeepLog;
        try (Logged log = new Logged(TableUpkeep.class, text -> true)) {
            DatabaseProxy.cut(PROXY);
            try {
                // three timed rounds while the database is away (each waits the pool's 1 s for a connection)
                for (int i = 0; i < 3; i++) {
                    upkeep.round();
                }
            } finally {
                DatabaseProxy.restore(PROXY);
            }
            // the pool reconnects by itself; the first round that gets through says so
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                upkeep.round();
                return log.lines().size() > 1;
            });
            upkeep.round();
            upkeepLog = log.lines();
        }
        assertEquals(2, upkeepLog.size(), "one warning when the outage began, one line when it ended: " + upkeepLog);
        assertTrue(upkeepLog.get(0).startsWith("table upkeep cannot reach its database"), upkeepLog.get(0));
        Matcher back = Pattern.compile("table upkeep reaches its database again \\((\\d+) attempt\\(s\\) failed meanwhile\\)").matcher(upkeepLog.get(1));
        assertTrue(back.matches(), upkeepLog.get(1));
        assertTrue(Integer.parseInt(back.group(1)) >= 3, "the three rounds during the outage counted: " + upkeepLog.get(1));
    }

    record Projected(Integer governing, Instant nextCheck) {
    }

    private Projected projected(String user, String key) {
        return db.one("select governing_version, next_check_at from user_agreement_status where user_id = ? and agreement_key = ?",
                rs -> new Projected(Db.integer(rs, "governing_version"), Db.instant(rs, "next_check_at")), user, key)
                .orElse(new Projected(null, null));
    }
}
