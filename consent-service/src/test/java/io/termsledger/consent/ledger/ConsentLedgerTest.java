package io.termsledger.consent.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.service.Canonical;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger: recording, validation, idempotency, the hash chain, append-only tables. */
@QuarkusTest
class ConsentLedgerTest {

    @Inject
    Agreements agreements;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AgreementRepository catalogs;

    String key;
    String sha1;
    final Instant notice = Instant.now().minus(Duration.ofDays(40));

    @BeforeEach
    void agreement() {
        Agreements.Registered a = agreements.generalWithVersionOne("ledger", 7, "ON_EFFECTIVE_DATE", false, notice);
        key = a.key();
        sha1 = a.sha1();
    }

    /**
     * The engine's index-only reads fetch from the heap every row inserted since the last vacuum:
     * the tables they read are vacuumed after a fixed number of inserts (V5), not after a fifth of
     * their size, so that tail stays short however large the ledger grows.
     */
    @Test
    void theTablesTheEngineReadsIndexOnlyAreVacuumedAfterAFixedNumberOfInserts() throws SQLException {
        for (String table : List.of("consent_fact", "bound_emission")) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("select array_to_string(reloptions, ',') from pg_class"
                         + " where oid = '" + table + "'::regclass")) {
                rs.next();
                List<String> options = List.of(String.valueOf(rs.getString(1)).split(","));
                assertTrue(options.contains("autovacuum_vacuum_insert_threshold=50000"), table + ": " + options);
                assertTrue(options.contains("autovacuum_vacuum_insert_scale_factor=0"), table + ": " + options);
            }
        }
    }

    /** The database itself keeps a chain free of two facts at one position (V6 moved that to the engine's index). */
    @Test
    void theDatabaseRefusesASecondFactAtOnePositionOfAChain() throws SQLException {
        String user = Agreements.unique("u");
        Api.accept(user, key, 1, "CLICK", null).statusCode(201);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            SQLException twice = assertThrows(SQLException.class, () -> s.executeUpdate("insert into consent_fact (event_id,"
                    + " user_id, seq, kind, agreement_key, version, method, occurred_at, recorded_at, imported, canonical,"
                    + " prev_hash, hash) select gen_random_uuid(), user_id, seq, kind, agreement_key, version, method,"
                    + " occurred_at, recorded_at, imported, canonical, prev_hash, hash from consent_fact where user_id = '"
                    + user + "'"));
            assertEquals("23505", twice.getSQLState(), twice.getMessage());
            assertTrue(twice.getMessage().contains("consent_fact_user_seq"), twice.getMessage());
        }
        given().get("/users/{u}/consents", user).then().body("length", is(1));
    }

    @Test
    void acceptanceIsChainedPerUserAndListedOldestFirst() {
        String user = Agreements.unique("u");
        String first = Api.accept(user, key, 1, "CLICK", notice.plusSeconds(10)).statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/consents/"))
                .body("prevHash", equalTo(Canonical.GENESIS)).body("hash", matchesPattern("[0-9a-f]{64}"))
                .extract().path("hash");
        String second = Api.accept(user, key, 1, "USE", notice.plusSeconds(20)).statusCode(201)
                .body("prevHash", equalTo(first)).extract().path("hash");

        JsonPath h = given().get("/users/{u}/consents", user).then().statusCode(200).extract().jsonPath();
        assertEquals(2, h.getInt("length"));
        assertEquals(second, h.getString("head"));
        assertEquals(List.of(1, 2), h.getList("facts.seq"));
        for (int i = 0; i < 2; i++) {
            String canonical = h.getString("facts[" + i + "].canonical");
            assertEquals(h.getString("facts[" + i + "].hash"), Canonical.sha256Hex(canonical), "hash covers the canonical form");
            assertTrue(canonical.contains("\"prevHash\":\"" + h.getString("facts[" + i + "].prevHash") + "\""));
        }
        // another user's chain starts from the genesis again
        Api.accept(Agreements.unique("u"), key, 1, "CLICK", null).statusCode(201).body("prevHash", equalTo(Canonical.GENESIS));
    }

    @Test
    void ipAddressIsStoredOnlyAsKeyedHash() {
        String user = Agreements.unique("u");
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                        + " \"evidence\": {\"documentSha256\": \"" + sha1 + "\", \"channel\": \"web\", \"ip\": \"203.0.113.7\","
                        + " \"userAgent\": \"Mozilla/5.0\", \"locale\": \"zh-CN\"}}")
                .post("/consents").then().statusCode(201);
        JsonPath h = given().get("/users/{u}/consents", user).then().statusCode(200).extract().jsonPath();
        String canonical = h.getString("facts[0].canonical");
        assertFalse(canonical.contains("203.0.113.7"), "the raw IP is never stored");
        assertTrue(h.getString("facts[0].evidence.ipHmac").matches("hmac-sha256:[0-9a-f]{64}"));
        assertEquals(sha1, h.getString("facts[0].evidence.documentSha256"));
    }

    @Test
    void idempotencyKeyReplaysRefusesOtherBodiesAndIsRequired() {
        String user = Agreements.unique("u");
        String body = Api.consent(user, key, 1, "CLICK", notice.plusSeconds(5));
        String idem = UUID.randomUUID().toString();
        Response first = given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/consents");
        assertEquals(201, first.statusCode());
        Response again = given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/consents");
        assertEquals(201, again.statusCode());
        assertEquals(first.body().asString(), again.body().asString(), "same key + same body replays the first answer");
        given().get("/users/{u}/consents", user).then().body("length", is(1));

        given().contentType(ContentType.JSON).header("Idempotency-Key", idem)
                .body(Api.consent(user, key, 1, "USE", notice.plusSeconds(5))).post("/consents")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:terms-ledger:problem:idempotency-key-reused"));

        given().contentType(ContentType.JSON).body(body).post("/consents")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("Idempotency-Key"));
    }

    @Test
    void concurrentDuplicatesRecordOneFactAndTheOthersGet409OrTheReplay() throws Exception {
        String user = Agreements.unique("u");
        String body = Api.consent(user, key, 1, "CLICK", notice.plusSeconds(5));
        String idem = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/consents")
                        .statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> f : results) {
            int s = f.get();
            assertTrue(s == 201 || s == 409, "only 201 (first or replay) or 409 (in flight), got " + s);
        }
        pool.shutdown();
        given().get("/users/{u}/consents", user).then().body("length", is(1));
    }

    /**
     * Live facts (the writer's batches) and imports (transactions of their own) append to one
     * user's chain at the same time: each takes the user's lock and reads the head after the
     * previous holder committed, so the chain has no gap, no fork and every link holds.
     */
    @Test
    void concurrentLiveAndImportedFactsOfOneUserFormOneUnbrokenChain() throws Exception {
        String user = Agreements.unique("u");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int task = t;
            results.add(pool.submit(() -> {
                start.await();
                int recorded = 0;
                for (int i = 0; i < 5; i++) {
                    if (task % 2 == 0) {
                        Api.accept(user, key, 1, "CLICK", null).statusCode(201);
                        recorded++;
                    } else {
                        String line = "{\"type\": \"ACCEPTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                                + "\", \"version\": 1, \"method\": \"CLICK\", \"occurredAt\": \"%s\"}";
                        Instant at = notice.plusSeconds(100L * task + i);
                        // two facts a line apart (the same line twice would be one fact: the second a duplicate)
                        recorded += given().contentType("application/x-ndjson")
                                .body((String.format(line, at) + "\n" + String.format(line, at.plusMillis(500)))
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .post("/consents/import").then().statusCode(200).extract().<Integer>path("recorded");
                    }
                }
                return recorded;
            }));
        }
        start.countDown();
        int recorded = 0;
        for (Future<Integer> f : results) {
            recorded += f.get();
        }
        pool.shutdown();
        assertEquals(4 * 5 + 4 * 5 * 2, recorded);
        Api.assertUnbrokenChain(user, recorded);
    }

    /**
     * An import sent again (the client lost the first answer) records nothing twice, nor does a line repeated
     * in one file; a fact that differs in anything the person did (here the instant) is a new fact.
     */
    @Test
    void anImportSentAgainRecordsEachFactOnce() {
        String user = Agreements.unique("u");
        String line = "{\"type\": \"ACCEPTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"method\": \"CLICK\", \"occurredAt\": \"%s\","
                + " \"evidence\": {\"channel\": \"web\", \"ip\": \"203.0.113.9\"}}";
        String first = String.format(line, notice.plusSeconds(10));
        String second = String.format(line, notice.plusSeconds(20));
        JsonPath once = given().contentType("application/x-ndjson")
                .body((first + "\n" + second + "\n" + first).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/consents/import").then().statusCode(200).extract().jsonPath();
        assertEquals(2, once.getInt("recorded"), once.prettify());
        assertEquals(1, once.getInt("duplicates"), once.prettify());
        assertEquals(0, once.getInt("rejected"), once.prettify());
        assertEquals(List.of("RECORDED", "RECORDED", "DUPLICATE"), once.getList("results.status"));
        assertEquals(once.getString("results[0].eventId"), once.getString("results[2].eventId"));

        JsonPath again = given().contentType("application/x-ndjson")
                .body((first + "\n" + second).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/consents/import").then().statusCode(200).extract().jsonPath();
        assertEquals(0, again.getInt("recorded"), again.prettify());
        assertEquals(2, again.getInt("duplicates"), again.prettify());
        assertEquals(once.getList("results.eventId").subList(0, 2), again.getList("results.eventId"));
        Api.assertUnbrokenChain(user, 2);
    }

    /**
     * One client address gives one ipHmac however it was written (Java's InetAddress writes IPv6 in full, most
     * other stacks shorten it), so an auditor who holds the address can match it. Before, each spelling gave its own.
     */
    @Test
    void oneAddressGivesOneIpHmacHoweverItIsWritten() {
        java.util.Set<String> v6 = new java.util.HashSet<>();
        for (String ip : List.of("2001:DB8:0:0:0:0:0:7", "2001:db8::7", "2001:0db8:0000::0007")) {
            v6.add(ipHmacOf(ip));
        }
        assertEquals(1, v6.size(), v6.toString());
        assertEquals(ipHmacOf("::ffff:192.0.2.1"), ipHmacOf("0:0:0:0:0:FFFF:C000:0201"));
        assertNotEquals(ipHmacOf("192.0.2.1"), ipHmacOf("192.0.2.2"));
    }

    private String ipHmacOf(String ip) {
        String body = "{\"userId\": \"" + Agreements.unique("ip") + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"method\": \"CLICK\", \"evidence\": {\"ip\": \"" + ip + "\"}}";
        String eventId = given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body).post("/consents").then().statusCode(201).extract().path("eventId");
        return given().get("/consents/{id}", eventId).then().statusCode(200).extract().path("evidence.ipHmac");
    }

    @Test
    void aKeyStillInProgressAnswers409() throws SQLException {
        String user = Agreements.unique("u");
        String body = Api.consent(user, key, 1, "CLICK", null);
        String idem = UUID.randomUUID().toString();
        // the request hash is SHA-256 of the canonical form of the request (null members left out)
        String requestHash = Canonical.sha256Hex("{\"agreementKey\":\"" + key + "\",\"method\":\"CLICK\",\"userId\":\""
                + user + "\",\"version\":1}");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into idempotency_key (scope, idem_key, request_sha256, state) values ('consents', '"
                    + idem + "', '" + requestHash + "', 'IN_PROGRESS')");
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/consents")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:terms-ledger:problem:idempotency-key-in-flight"));
        given().get("/users/{u}/consents", user).then().body("length", is(0));
    }

    @Test
    void concurrentAppendsForOneUserKeepOneUnbrokenChain() throws Exception {
        String user = Agreements.unique("u");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            results.add(pool.submit(() -> Api.accept(user, key, 1, "CLICK", notice.plusSeconds(n + 1)).extract().statusCode()));
        }
        for (Future<Integer> f : results) {
            assertEquals(201, f.get());
        }
        pool.shutdown();
        JsonPath h = given().get("/users/{u}/consents", user).then().extract().jsonPath();
        assertEquals(16, h.getInt("length"));
        String prev = Canonical.GENESIS;
        for (int i = 0; i < 16; i++) {
            assertEquals(prev, h.getString("facts[" + i + "].prevHash"), "fact " + (i + 1) + " links to its predecessor");
            prev = h.getString("facts[" + i + "].hash");
        }
    }

    @Test
    void populationCountersStayExactUnderConcurrentWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String user = "pop-" + (i % 20) + "-" + key;
            int n = i;
            results.add(pool.submit(() -> n % 3 == 0
                    ? Api.use(user, key, notice.plusSeconds(n + 1)).extract().statusCode()
                    : Api.accept(user, key, 1, "CLICK", notice.plusSeconds(n + 1)).extract().statusCode()));
        }
        for (Future<Integer> f : results) {
            int s = f.get();
            assertTrue(s == 201 || s == 202, "recorded, got " + s);
        }
        pool.shutdown();
        JsonPath p = given().get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
        assertEquals(20, p.getInt("users"));
        assertEquals(List.of(1), p.getList("governing.version"));
        assertEquals(List.of(20), p.getList("governing.users"));
    }

    @Test
    void databaseRefusesUpdateAndDeleteOnLedgerTables() throws SQLException {
        String user = Agreements.unique("u");
        Api.accept(user, key, 1, "CLICK", null).statusCode(201);
        Api.use(user, key, Instant.now()).statusCode(202);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            SQLException up = assertThrows(SQLException.class,
                    () -> s.executeUpdate("update consent_fact set version = 2 where user_id = '" + user + "'"));
            assertTrue(up.getMessage().contains("append-only"), up.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("delete from consent_fact where user_id = '" + user + "'"));
            assertThrows(SQLException.class, () -> s.executeUpdate("truncate consent_fact"));
            assertThrows(SQLException.class, () -> s.executeUpdate("delete from usage_signal where user_id = '" + user + "'"));
            assertThrows(SQLException.class,
                    () -> s.executeUpdate("update usage_signal set occurred_at = now() where user_id = '" + user + "'"));
        }
        given().get("/users/{u}/consents", user).then().body("length", is(1));
    }

    /** Every ledger table refuses TRUNCATE (bound_emission did not); tried in a transaction rolled back. */
    @Test
    void everyLedgerTableRefusesTruncate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                for (String table : List.of("consent_fact", "usage_signal", "notice_delivery", "bound_emission")) {
                    SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("truncate " + table), table);
                    assertTrue(e.getMessage().contains("append-only"), e.getMessage());
                    c.rollback();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void factsAreValidatedAgainstReadModelAndPolicy() {
        String user = Agreements.unique("u");
        Api.accept(user, "no-such-agreement-" + UUID.randomUUID(), 1, "CLICK", null).statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("urn:terms-ledger:problem:unknown-agreement"));
        Api.accept(user, key, 9, "CLICK", null).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:unknown-version"));
        Api.accept(user, key, 1, "SEAL", null).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:method-not-allowed"));
        Api.accept(user, key, 1, "CLICK", notice.minusSeconds(1)).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:before-notice")).body("noticeAt", not(equalTo(null)));
        Api.accept(user, key, 1, "CLICK", Instant.now().plus(Duration.ofMinutes(10))).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:occurred-in-future"));
        // inside the clock skew is fine
        Api.accept(user, key, 1, "CLICK", Instant.now().plus(Duration.ofSeconds(30))).statusCode(201);
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                        + " \"evidence\": {\"documentSha256\": \"" + "ab".repeat(32) + "\"}}")
                .post("/consents").then().statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:document-hash-mismatch"));
        given().get("/users/{u}/consents", user).then().body("facts", hasSize(1));
    }

    /**
     * Anyone may name any agreement key; the catalog cache drops an entry only when an event changes its agreement,
     * so an unknown key it remembered stayed for ever (a loop of status queries over random keys grew the heap
     * without bound). Unknown keys are read again each time.
     */
    @Test
    void unknownAgreementKeysAreNotRemembered() {
        String user = Agreements.unique("u");
        String unknown = "no-such-agreement-" + UUID.randomUUID();
        Api.accept(user, unknown, 1, "CLICK", null).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:unknown-agreement"));
        given().get("/users/{u}/agreements/{k}/status", user, unknown + "-status").then().statusCode(404);
        assertFalse(catalogs.holds(unknown), "an unknown key is not cached");
        assertFalse(catalogs.holds(unknown + "-status"), "an unknown key is not cached");
    }

    /**
     * A use is stored only when its interval holds no earlier one, so an import of uses exported newest first
     * stored every line (each was earlier than all before it). The chunk's uses are recorded earliest first:
     * one row for the interval, and the earliest instant is the one kept.
     */
    @Test
    void usesImportedNewestFirstAreStoredBounded() throws SQLException {
        String user = Agreements.unique("u");
        Instant earliest = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        StringBuilder body = new StringBuilder();
        for (int i = 29; i >= 0; i--) {
            body.append("{\"type\": \"USAGE\", \"userId\": \"").append(user).append("\", \"agreementKey\": \"").append(key)
                    .append("\", \"occurredAt\": \"").append(earliest.plusSeconds(i)).append("\"}\n");
        }
        JsonPath r = given().contentType("application/x-ndjson").body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/consents/import").then().statusCode(200).extract().jsonPath();
        assertEquals(30, r.getList("results.findAll { it.status == 'RECORDED' }").size(), r.prettify());
        assertEquals(List.of(30), r.getList("results.findAll { it.stored == 1 }.line"), "the earliest, the last line");
        try (Connection c = dataSource.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("select occurred_at from usage_signal where user_id = ?")) {
            s.setString(1, user);
            try (java.sql.ResultSet rows = s.executeQuery()) {
                List<Instant> stored = new ArrayList<>();
                while (rows.next()) {
                    stored.add(rows.getTimestamp(1).toInstant());
                }
                assertEquals(List.of(earliest), stored);
            }
        }
    }

    @Test
    void aNulCharacterWhereTheDatabaseMeetsItIsRefusedAs400AndNothingIsRecorded() {
        // JSON's \\u0000: PostgreSQL can neither store nor compare it, so an agreement key or product holding it is
        // refused with the problem instead of a 500
        String user = Agreements.unique("u");
        Api.accept(user, key + "\\u0000", 1, "CLICK", null).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:terms-ledger:problem:unstorable-text"));
        given().contentType(ContentType.JSON).body("{\"userId\": \"" + user + "\", \"product\": \"p\\u0000\","
                + " \"occurredAt\": \"" + Instant.now() + "\"}").post("/usage").then().statusCode(400)
                .body("type", equalTo("urn:terms-ledger:problem:unstorable-text"));
        // in an import, that line is refused with the reason and the others are kept
        String line = "{\"type\": \"ACCEPTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"%s\", \"version\": 1,"
                + " \"method\": \"CLICK\", \"occurredAt\": \"" + notice.plusSeconds(60) + "\"}";
        JsonPath r = given().contentType("application/x-ndjson").body((String.format(line, key) + "\n" + String.format(line, key + "\\u0000"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/consents/import").then().statusCode(200).extract().jsonPath();
        assertEquals(1, r.getInt("recorded"), r.prettify());
        assertEquals("unstorable-text", r.getString("results.find { it.line == 2 }.problem"), r.prettify());
        Api.assertUnbrokenChain(user, 1);
        // inside the evidence it is text like any other: kept, escaped in the canonical form the hash covers
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                        + " \"evidence\": {\"userAgent\": \"Agent\\u0000X\"}}")
                .post("/consents").then().statusCode(201);
        Api.assertUnbrokenChain(user, 2);
        given().get("/users/{u}/consents", user).then().body("facts[1].evidence.userAgent", equalTo("Agent\u0000X"));
    }

    @Test
    void aLoneSurrogateInAUserIdIsRefusedInsteadOfRecordingAnotherUser() {
        // JSON's \\ud800 alone is no character UTF-8 can encode: the driver stored '?' in its place, so the
        // acceptance of user "\\ud800<id>" was recorded for user "?<id>", a user nobody named
        String user = Agreements.unique("u");
        Api.accept("\\ud800" + user, key, 1, "CLICK", null).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:terms-ledger:problem:malformed-json"))
                .body("detail", org.hamcrest.Matchers.containsString("userId"))
                .body("detail", org.hamcrest.Matchers.containsString("unpaired surrogate"));
        given().get("/users/{u}/consents", "?" + user).then().statusCode(200).body("length", equalTo(0));
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1,"
                        + " \"reason\": \"no \\udc00 thanks\"}")
                .post("/objections").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("reason"));
        given().get("/users/{u}/consents", user).then().statusCode(200).body("length", equalTo(0));
        // a pair is a character like any other
        Api.accept(user + "\\ud83d\\ude00", key, 1, "CLICK", null).statusCode(201);
        given().get("/users/{u}/consents", user + "\ud83d\ude00").then().statusCode(200).body("length", equalTo(1));
    }

    @Test
    void aUserIdNoUrlPathCanAddressIsRefused() {
        // recorded, the facts of user "." or ".." could never be read back: clients and the server remove dot
        // segments from /users/{userId}/..., so neither history, status nor proof could be asked for
        for (String user : List.of(".", "..")) {
            Api.accept(user, key, 1, "CLICK", null).statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("userId"))
                    .body("detail", org.hamcrest.Matchers.containsString("nor be . or .."));
            given().contentType(ContentType.JSON).body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                    + "\", \"occurredAt\": \"" + Instant.now() + "\"}").post("/usage").then().statusCode(400);
        }
        // a C1 control character (U+0085, next line) is a control character like the others
        Api.accept(Agreements.unique("u") + "\\u0085", key, 1, "CLICK", null).statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("control characters"));
        String dots = "..." + Agreements.unique("u");
        Api.accept(dots, key, 1, "CLICK", null).statusCode(201);
        given().get("/users/{u}/consents", dots).then().statusCode(200).body("length", equalTo(1));
    }

    @Test
    void withdrawnVersionRefusesFactsFromWithdrawal() {
        Instant n2 = Instant.now().minus(Duration.ofDays(2));
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.publish(key, a, 2, n2, n2.plus(Duration.ofDays(7)), 1);
        Instant withdrawnAt = Instant.now().minus(Duration.ofDays(1));
        agreements.withdraw(key, 2, withdrawnAt, n2, n2.plus(Duration.ofDays(7)));
        String user = Agreements.unique("u");
        Api.accept(user, key, 2, "CLICK", withdrawnAt.plusSeconds(1)).statusCode(422)
                .body("type", equalTo("urn:terms-ledger:problem:version-withdrawn"));
        // before the withdrawal the acceptance was valid (it reverts at the withdrawal: engine rule 7)
        Api.accept(user, key, 2, "CLICK", n2.plusSeconds(60)).statusCode(201);
    }

    @Test
    void importKeepsValidLinesAndReportsEachLine() {
        String user = Agreements.unique("u");
        String ndjson = String.join("\n",
                "{\"type\": \"ACCEPTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                        + "\", \"version\": 1, \"method\": \"CLICK\", \"occurredAt\": \"" + notice.plusSeconds(60) + "\"}",
                "{\"type\": \"ACCEPTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                        + "\", \"version\": 1, \"method\": \"CLICK\"}",
                "not json",
                "",
                "{\"type\": \"USAGE\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                        + "\", \"occurredAt\": \"" + notice.plusSeconds(120) + "\"}",
                "{\"type\": \"OBJECTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                        + "\", \"version\": 1, \"occurredAt\": \"" + notice.minusSeconds(60) + "\"}");
        JsonPath r = given().contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/consents/import").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(5, r.getInt("lines"));
        assertEquals(2, r.getInt("recorded"));
        assertEquals(3, r.getInt("rejected"));
        assertEquals(List.of("RECORDED", "REJECTED", "REJECTED", "RECORDED", "REJECTED"), r.getList("results.status"));
        assertEquals(List.of(1, 2, 3, 5, 6), r.getList("results.line"));
        assertEquals("before-notice", r.getString("results[4].problem"));
        JsonPath h = given().get("/users/{u}/consents", user).then().extract().jsonPath();
        assertEquals(1, h.getInt("length"));
        assertTrue(h.getBoolean("facts[0].imported"));
        assertNotEquals(Canonical.GENESIS, h.getString("head"));
    }
}
