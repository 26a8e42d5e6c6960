package io.termsledger.consent.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.consent.rest.ConsentRequest;
import io.termsledger.consent.service.Canonical;
import io.termsledger.consent.service.FactService;
import io.termsledger.consent.service.IdempotencyService;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit: live facts that arrive together are written in shared transactions by the
 * fact writer. Whatever the batching, every user keeps one unbroken chain, each fact's
 * answer is its own, every key is stored with its own answer, and the projection counts
 * each user once.
 */
@QuarkusTest
class GroupCommitTest {

    @Inject
    Agreements agreements;

    @Inject
    IdempotencyService idempotency;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Db db;

    @Inject
    LedgerRepository ledger;

    @Inject
    FactService facts;

    String key;
    final Instant notice = Instant.now().minus(Duration.ofDays(40));

    @BeforeEach
    void agreement() {
        key = agreements.generalWithVersionOne("batch", 0, "ON_CONTINUED_USE", true, notice).key();
    }

    @Test
    void manyConcurrentFactsOfFewUsersKeepOneChainPerUserAndEachKeyItsOwnAnswer() throws Exception {
        int users = 6;
        int perUser = 12;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String[]>> results = new ArrayList<>();
        for (int i = 0; i < users * perUser; i++) {
            String user = "gc-" + (i % users) + "-" + key;
            String body = Api.consent(user, key, 1, "CLICK", notice.plusSeconds(i + 1));
            String idem = UUID.randomUUID().toString();
            results.add(pool.submit(() -> {
                start.await();
                String eventId = given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body)
                        .post("/consents").then().statusCode(201).extract().path("eventId");
                return new String[] {idem, body, eventId};
            }));
        }
        start.countDown();
        List<String[]> answers = new ArrayList<>();
        for (Future<String[]> f : results) {
            answers.add(f.get());
        }
        pool.shutdown();

        for (int u = 0; u < users; u++) {
            Api.assertUnbrokenChain("gc-" + u + "-" + key, perUser);
        }
        // a retry of any of them replays exactly its own answer
        for (String[] a : answers.subList(0, 10)) {
            String replayed = given().contentType(ContentType.JSON).header("Idempotency-Key", a[0]).body(a[1])
                    .post("/consents").then().statusCode(201).header("Idempotent-Replayed", "true")
                    .extract().path("eventId");
            assertEquals(a[2], replayed);
        }
        JsonPath p = given().get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
        assertEquals(users, p.getInt("users"));
        assertEquals(List.of(users), p.getList("governing.users"));
    }

    /**
     * A fact is validated against the cached catalog and may then wait in the writer's queue. When its
     * version is withdrawn meanwhile, the write refuses it as validation would have: the ledger never holds
     * an acceptance dated after its version's withdrawal.
     */
    @Test
    void aFactWhoseVersionWasWithdrawnWhileItWaitedIsRefusedWhenWritten() throws SQLException {
        String user = Agreements.unique("gc-withdrawn");
        Instant now = Instant.now();
        FactService.Draft draft = facts.prepareAccept(new ConsentRequest(user, key, 1, Method.CLICK, now, null), false);
        agreements.withdraw(key, 1, now.minusSeconds(1), notice, notice);

        ApiProblem refused = assertThrows(ApiProblem.class,
                () -> QuarkusTransaction.requiringNew().call(() -> facts.recordAll(List.of(draft), false)));
        assertEquals("version-withdrawn", refused.slug());
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from consent_fact where user_id = ?")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "nothing was recorded");
            }
        }
    }

    /**
     * A retry with the same key and body replays the first answer even when today's rules refuse the fact:
     * without {@code occurredAt} the retry is dated now, after its version's withdrawal, and was answered 422
     * version-withdrawn, telling the client nothing had been recorded.
     */
    @Test
    void aRetryOfARecordedFactReplaysItsAnswerAfterItsVersionWasWithdrawn() {
        String user = Agreements.unique("gc-retry");
        String idem = UUID.randomUUID().toString();
        String body = "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1,"
                + " \"method\": \"CLICK\"}";
        String eventId = given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body)
                .post("/consents").then().statusCode(201).extract().path("eventId");
        agreements.withdraw(key, 1, Instant.now(), notice, notice);

        given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/consents").then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("eventId", is(eventId))
                .header("Location", endsWith("/consents/" + eventId));
        // another body under the key is still the reuse it is; a new key meets today's rules
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body.replace("CLICK", "SEAL"))
                .post("/consents").then().statusCode(422).body("type", is("urn:terms-ledger:problem:idempotency-key-reused"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/consents").then().statusCode(422).body("type", is("urn:terms-ledger:problem:version-withdrawn"));
        Api.assertUnbrokenChain(user, 1);
    }

    /**
     * PostgreSQL ends a deadlock by aborting one of its transactions. When that is the fact writer's (here it
     * holds the user's chain head and waits for the agreement's row, which another transaction holds while it
     * waits for that chain head), the writer writes the fact again once the other has finished: the request is
     * answered 201, not 500.
     */
    @Test
    void aWriteAbortedToEndADeadlockIsWrittenAgain() throws Exception {
        String user = Agreements.unique("gc-deadlock");
        Api.accept(user, key, 1, "CLICK", notice.plusSeconds(1)).statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            lockRow(other, "select 1 from agreement where agreement_key = ? for update", key);
            Future<Integer> post = pool.submit(() -> Api.accept(user, key, 1, "CLICK", notice.plusSeconds(2))
                    .extract().statusCode());
            // the writer has locked the user's chain head and waits for the agreement's row
            await().atMost(Duration.ofSeconds(20)).until(this::writerWaitsForTheAgreement);
            // which closes the cycle: after deadlock_timeout (1 s) PostgreSQL aborts the writer, which waited first
            Future<?> cycle = pool.submit(() -> {
                lockRow(other, "select 1 from chain_head where user_id = ? for update", user);
                return null;
            });
            cycle.get(30, TimeUnit.SECONDS);
            other.commit();
            assertEquals(201, post.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        Api.assertUnbrokenChain(user, 2);
    }

    private static void lockRow(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.executeQuery().close();
        }
    }

    private boolean writerWaitsForTheAgreement() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                        + " and query like '%from agreement where agreement_key = any%for share%'")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    @Test
    void statusFromTheProjectionIsTheEnginesAnswerAtTheInstantOfTheRequest() throws Exception {
        String user = Agreements.unique("gc-status");
        Api.accept(user, key, 1, "CLICK", notice.plusSeconds(30)).statusCode(201);
        Instant before = Instant.now();
        String fromProjection = given().get("/users/{u}/agreements/{k}/status", user, key).then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString();
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode p = m.readTree(fromProjection);
        Instant at = Instant.parse(p.get("at").asText());
        org.junit.jupiter.api.Assertions.assertFalse(at.isBefore(before.minusSeconds(1)), "at is the time of the request");
        assertEquals(1, p.get("governingVersion").asInt());
        String fromLedger = given().queryParam("at", at.toString()).get("/users/{u}/agreements/{k}/status", user, key)
                .then().statusCode(200).extract().asString();
        assertEquals(m.readTree(fromLedger), p, "the stored answer, with only its instant replaced, is the engine's");
    }

    @Test
    void aKeyStoredByAnotherInstanceMeanwhileRollsTheWriteBack() throws SQLException {
        String idem = UUID.randomUUID().toString();
        // the other instance committed the key after this one looked it up and before it stored its answer
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("insert into"
                + " idempotency_key (scope, idem_key, request_sha256, state, response_status, response_body)"
                + " values ('consents', ?, 'other', 'DONE', 201, '{\"eventId\":\"theirs\"}')")) {
            s.setString(1, idem);
            s.executeUpdate();
        }
        IdempotencyService.Key k = new IdempotencyService.Key("consents", idem, "mine");
        assertThrows(Db.DbException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            Db.Statement writes = db.statement();
            idempotency.completeAll(Map.of(k, "{\"eventId\":\"mine\"}"), 201, writes);
            writes.run();
        }));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select request_sha256, response_body from idempotency_key where scope = 'consents' and idem_key = ?")) {
            s.setString(1, idem);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals("other", rs.getString(1), "the first writer's key is kept");
                assertEquals("{\"eventId\":\"theirs\"}", rs.getString(2));
            }
        }
    }

    @Test
    void aFirstHeadCreatedByAnotherTransactionMeanwhileRollsTheFirstFactBack() throws SQLException {
        String user = Agreements.unique("gc-first");
        Instant at = notice.plusSeconds(5);
        StoredFact first = new StoredFact(0, UUID.randomUUID(), user, 1, "ACCEPTED", key, 1, "CLICK", at, at, false,
                "{}", Canonical.GENESIS, "1".repeat(64));
        assertThrows(Db.DbException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            Db.Queries q = db.queries();
            Map<String, LedgerRepository.Head> heads = ledger.lockExistingHeads(List.of(user), q);
            q.run();
            assertTrue(heads.isEmpty(), "a new user has no head to lock");
            // another transaction (a usage signal, another instance) creates the head and commits meanwhile
            QuarkusTransaction.requiringNew().run(() -> ledger.lockUser(user));
            Db.Statement writes = db.statement();
            ledger.appendAll(List.of(first), Set.of(user), writes);
            writes.run();
        }));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select h.seq,"
                + " (select count(*) from consent_fact f where f.user_id = h.user_id) from chain_head h where h.user_id = ?")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the other transaction's head is kept");
                assertEquals(0, rs.getLong(1));
                assertEquals(0, rs.getLong(2), "the fact that was built on no head is not written");
            }
        }
        // recorded afterwards, as the writer records a failed batch's facts again one by one, the fact finds the head
        Api.accept(user, key, 1, "CLICK", at).statusCode(201);
        Api.assertUnbrokenChain(user, 1);
    }

    /**
     * A user's first fact written alone (a batch of one) while another transaction creates that
     * user's head: the writer finds no head, its insert waits for the other transaction and fails
     * once it commits. The writer then writes the fact again on that head, so the request gets its
     * 201 and the chain starts on the other transaction's head.
     */
    @Test
    void aLoneFirstFactWhoseHeadAnotherTransactionCreatesMeanwhileIsWrittenAgainOnThatHead() throws Exception {
        String user = Agreements.unique("gc-lone");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection(); Connection watch = dataSource.getConnection()) {
            long otherPid = insertUncommitted(other, "insert into chain_head (user_id, seq, head_hash) values (?, 0, ?)",
                    user, Canonical.GENESIS);
            Future<Integer> post = pool.submit(() -> Api.accept(user, key, 1, "CLICK", notice.plusSeconds(5))
                    .extract().statusCode());
            // the writer has found no head and its insert now waits for the other transaction
            await().atMost(Duration.ofSeconds(20)).until(() -> blockedBy(watch, otherPid));
            other.commit();
            assertEquals(201, post.get(30, TimeUnit.SECONDS), "the fact is written again, not refused");
        } finally {
            pool.shutdown();
        }
        Api.assertUnbrokenChain(user, 1);
    }

    /**
     * Another instance stores an idempotency key while this one writes a fact with that key alone:
     * the writer's insert of the key waits for the other transaction and fails once it commits. The
     * fact is written again, finds the key and replays the other instance's answer; this instance
     * records nothing.
     */
    @Test
    void aLoneFactWhoseKeyAnotherInstanceStoresMeanwhileReplaysThatInstancesAnswer() throws Exception {
        String user = Agreements.unique("gc-key");
        String idem = UUID.randomUUID().toString();
        // the request hash is SHA-256 of the canonical form of the request (null members left out)
        String requestHash = Canonical.sha256Hex("{\"agreementKey\":\"" + key + "\",\"method\":\"CLICK\",\"userId\":\""
                + user + "\",\"version\":1}");
        String theirEvent = UUID.randomUUID().toString();
        String theirAnswer = "{\"eventId\":\"" + theirEvent + "\",\"seq\":1}";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection(); Connection watch = dataSource.getConnection()) {
            long otherPid = insertUncommitted(other, "insert into idempotency_key (scope, idem_key, request_sha256, state,"
                    + " response_status, response_body) values ('consents', ?, ?, 'DONE', 201, ?)", idem, requestHash, theirAnswer);
            Future<Response> post = pool.submit(() -> given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", idem).body(Api.consent(user, key, 1, "CLICK", null)).post("/consents"));
            // the writer found no such key and its insert of it now waits for the other transaction
            await().atMost(Duration.ofSeconds(20)).until(() -> blockedBy(watch, otherPid));
            other.commit();
            Response answer = post.get(30, TimeUnit.SECONDS);
            assertEquals(201, answer.statusCode(), "the fact is written again, not refused");
            assertEquals("true", answer.header("Idempotent-Replayed"));
            assertEquals(theirEvent, answer.jsonPath().getString("eventId"), "the other instance's answer");
        } finally {
            pool.shutdown();
        }
        given().get("/users/{u}/consents", user).then().body("length", is(0));
    }

    /**
     * Runs {@code insert} in a transaction of {@code c} that stays open (another instance's or
     * writer's, about to commit): the process id of the backend that holds its locks.
     */
    private static long insertUncommitted(Connection c, String insert, String... values) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(insert + " returning pg_backend_pid()")) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Whether a backend waits for a lock that the backend {@code pid} holds. */
    private static boolean blockedBy(Connection c, long pid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select count(*) from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))")) {
            s.setLong(1, pid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Test
    void theWriterReportsItsBatchesAndTheTimeOfEachPhaseAsMetrics() throws Exception {
        Map<String, Double> before = writerMetrics();
        int facts = 24;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < facts; i++) {
            String body = Api.consent("metrics-" + i + "-" + key, key, 1, "CLICK", notice.plusSeconds(i + 1));
            posts.add(pool.submit(() -> {
                start.await();
                return given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(body).post("/consents").then().statusCode(201);
            }));
        }
        start.countDown();
        for (Future<?> f : posts) {
            f.get();
        }
        pool.shutdown();
        Map<String, Double> after = writerMetrics();

        assertEquals(facts, delta(before, after, "consent_writer_batch_facts_sum"), "every fact counted once");
        double batches = delta(before, after, "consent_writer_batch_facts_count");
        assertTrue(batches >= 1 && batches <= facts, "batches: " + batches);
        for (String phase : List.of("open", "prepare", "write", "commit")) {
            assertEquals(batches, delta(before, after, "consent_writer_batch_phase_seconds_count{phase=\"" + phase + "\"}"),
                    "one " + phase + " per batch");
            assertTrue(delta(before, after, "consent_writer_batch_phase_seconds_sum{phase=\"" + phase + "\"}") > 0,
                    phase + " took time");
        }
        assertEquals(0, delta(before, after, "consent_writer_batch_failures_total"));
        assertEquals(0, after.get("consent_writer_queue"), "nothing left waiting");
    }

    /** The writer's series from {@code /q/metrics}, by name and labels as printed. */
    private static Map<String, Double> writerMetrics() {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith("consent_writer_")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertTrue(after.containsKey(series), series + " is reported; reported: " + after.keySet());
        return after.get(series) - before.getOrDefault(series, 0.0);
    }
}
