package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminNoticeTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    private String agreementWithAudience(Map<String, Integer> periods, String... users) {
        String key = Inputs.key("adm");
        Map<String, Object> agreement = Inputs.agreement(key, 30, "ANNOUNCEMENT", periods);
        Inputs.register(agreement);
        Instant v1At = clock.now().minus(60, ChronoUnit.DAYS);
        for (int i = 0; i < users.length; i++) {
            // users on different versions: all of them are the agreement's audience
            Inputs.bind(Inputs.bound(users[i], key, 1 + i % 2, null, v1At), UUID.randomUUID().toString());
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from agreement where agreement_key = ?", key) == 1
                        && Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key)
                        == users.length);
        return key;
    }

    private static Map<String, Object> body(String type, String key, Instant effectiveAt) {
        return Map.of("type", type, "agreementKey", key, "effectiveAt", effectiveAt.toString(),
                "message", "我们将停止提供该服务。");
    }

    @Test
    void shortLeadIsRefusedNamingTheEarliestEffectiveDate() {
        String key = agreementWithAudience(Map.of());
        Instant before = clock.now();
        JsonPath problem = given().contentType(ContentType.JSON)
                .body(body("DISCONTINUATION", key, before.plus(10, ChronoUnit.DAYS))).post("/notices")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", is("urn:terms-ledger:problem:lead-time-too-short"))
                .body("requiredLeadDays", is(30)).body("detail", containsString("30 natural days"))
                .extract().jsonPath();
        Instant earliest = Instant.parse(problem.getString("earliestEffectiveAt"));
        Instant after = clock.now();
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        assertFalse(earliest.isBefore(before.atZone(zone).plusDays(30).toInstant().truncatedTo(ChronoUnit.MICROS)));
        assertFalse(earliest.isAfter(after.atZone(zone).plusDays(30).toInstant()));
        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("size()", is(0));
    }

    @Test
    void anEffectiveDateBeyondYear9999IsRefusedAndNoNoticeIsMade() {
        // PostgreSQL cannot store year 294277: the notice answered 500 before the range was checked on the way in
        String key = agreementWithAudience(Map.of(), Inputs.key("u"));
        for (String at : List.of("+294277-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("type", "DISCONTINUATION", "agreementKey", key, "effectiveAt", at, "message", "m"))
                    .post("/notices").then().statusCode(400).contentType("application/problem+json")
                    .body("type", is("urn:terms-ledger:problem:malformed-json"))
                    .body("detail", containsString("effectiveAt")).body("detail", containsString("9999-12-31T23:59:59Z"));
        }
        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("size()", is(0));
    }

    @Test
    void theAgreementsOwnNoticePeriodOverridesTheDefaultAndTheNoticeReachesEveryBoundUser() {
        String a = Inputs.key("u");
        String b = Inputs.key("u");
        String key = agreementWithAudience(Map.of("DATA_CENTRE_MIGRATION", 7), a, b);
        // the default for a data-centre migration is 3 days; this agreement (like seed 003) says 7
        given().contentType(ContentType.JSON)
                .body(body("DATA_CENTRE_MIGRATION", key, clock.now().plus(5, ChronoUnit.DAYS))).post("/notices")
                .then().statusCode(422).body("requiredLeadDays", is(7));
        Instant effectiveAt = clock.now().plus(8, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String location = given().contentType(ContentType.JSON)
                .body(body("DATA_CENTRE_MIGRATION", key, effectiveAt)).post("/notices")
                .then().statusCode(201).body("type", is("DATA_CENTRE_MIGRATION")).body("requiredLeadDays", is(7))
                .body("actualLeadDays", is(7)).body("leadTimeMet", is(true)).body("status", is("RUNNING"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get(location).then().extract().jsonPath().getBoolean("fanoutComplete"));
        List<String> users = given().get("/notices/" + id + "/deliveries").then().statusCode(200)
                .body("total", is(8)).extract().jsonPath().getList("items.userId");
        assertEquals(Set.of(a, b), new HashSet<>(users));
        // pages: the last possible page is empty, a page number that is no int is the caller's error (it was a 404)
        given().queryParam("page", 2147483647).queryParam("size", 500).get("/notices/" + id + "/deliveries").then()
                .statusCode(200).body("total", is(8)).body("items.size()", is(0));
        given().queryParam("page", "99999999999").get("/notices/" + id + "/deliveries").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("page"))
                .body("detail", containsString("from 0 to 2147483647"));
        given().queryParam("size", "501").get("/notices/" + id + "/deliveries").then().statusCode(400)
                .body("field", is("size"));
        given().queryParam("page", "1").queryParam("size", "5").get("/notices/" + id + "/deliveries").then()
                .statusCode(200).body("page", is(1)).body("size", is(5)).body("items.size()", is(3));

        // a user who becomes bound while it runs gets it too
        String c = Inputs.key("u");
        Inputs.bind(Inputs.bound(c, key, 2, 1, clock.now()), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("userId", c)
                .get("/notices/" + id + "/deliveries").then().extract().jsonPath().getInt("total") == 4);

        JsonPath report = given().queryParam("agreementKey", key).get("/compliance/lead-times").then()
                .statusCode(200).body("total", is(1)).body("failed", is(0)).extract().jsonPath();
        assertEquals("PASS", report.getString("notices[0].result"));
        assertEquals(7, report.getInt("notices[0].requiredLeadDays"));
    }

    @Test
    void defaultsApplyWhenTheAgreementHasNoOwnPeriod() {
        String key = agreementWithAudience(Map.of());
        given().contentType(ContentType.JSON)
                .body(body("DATA_CENTRE_MIGRATION", key, clock.now().plus(3, ChronoUnit.DAYS).plusSeconds(60)))
                .post("/notices").then().statusCode(201).body("requiredLeadDays", is(3));
        given().contentType(ContentType.JSON)
                .body(body("DATA_DELETION", key, clock.now().plus(6, ChronoUnit.DAYS))).post("/notices")
                .then().statusCode(422).body("requiredLeadDays", is(7));
        given().contentType(ContentType.JSON)
                .body(body("AFFILIATE_TRANSFER", key, clock.now().plus(29, ChronoUnit.DAYS))).post("/notices")
                .then().statusCode(422).body("requiredLeadDays", is(30));
    }

    @Test
    void badRequestsSayWhatToFix() {
        String key = agreementWithAudience(Map.of());
        Instant later = clock.now().plus(60, ChronoUnit.DAYS);
        given().contentType(ContentType.JSON).body(body("HOLIDAY", key, later)).post("/notices")
                .then().statusCode(400).body("detail", containsString("DISCONTINUATION"));
        given().contentType(ContentType.JSON).body(body("REVISION", key, later)).post("/notices")
                .then().statusCode(400).body("detail", containsString("version events"));
        given().contentType(ContentType.JSON).body(body("DISCONTINUATION", "no-such-" + key, later)).post("/notices")
                .then().statusCode(422).body("type", startsWith("urn:terms-ledger:problem:unknown-agreement"));
        given().contentType(ContentType.JSON).body(Map.of("type", "DISCONTINUATION", "agreementKey", key))
                .post("/notices").then().statusCode(400).body("detail", containsString("effectiveAt"));
        given().contentType(ContentType.JSON).body("{\"type\":\"DISCONTINUATION\",\"agreementKey\":\"" + key
                        + "\",\"effectiveAt\":\"next week\",\"message\":\"m\"}")
                .post("/notices").then().statusCode(400).contentType("application/problem+json");
        given().get("/notices/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        given().get("/notices/" + UUID.randomUUID()).then().statusCode(404);
        given().queryParam("type", "NOPE").get("/notices").then().statusCode(400);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstNoticeInsteadOfASecondOne() {
        String user = Inputs.key("u");
        String key = agreementWithAudience(Map.of(), user);
        Instant effectiveAt = clock.now().plus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String idem = UUID.randomUUID().toString();

        // refused for its lead time: the key stays unused, so the corrected request may take it
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem)
                .body(body("DISCONTINUATION", key, clock.now().plus(3, ChronoUnit.DAYS))).post("/notices")
                .then().statusCode(422).body("type", is("urn:terms-ledger:problem:lead-time-too-short"));
        String location = given().contentType(ContentType.JSON).header("Idempotency-Key", idem)
                .body(body("DISCONTINUATION", key, effectiveAt)).post("/notices").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue()).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get(location).then().extract().jsonPath().getBoolean("fanoutComplete"));

        // the answer was lost and the admin tool retries: the same notice, with its deliveries so far
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem)
                .body(body("DISCONTINUATION", key, effectiveAt)).post("/notices").then().statusCode(201)
                .header("Location", location).header("Idempotent-Replayed", "true")
                .body("id", is(id)).body("deliveries", is(4));
        // another body under the same key is refused, and changes nothing
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem)
                .body(body("DISCONTINUATION", key, effectiveAt.plusSeconds(1))).post("/notices").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", is("urn:terms-ledger:problem:idempotency-key-reused"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(201))
                .body(body("DISCONTINUATION", key, effectiveAt)).post("/notices").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("Idempotency-Key"));
        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("size()", is(1));
        given().get("/notices/" + id + "/deliveries").then().statusCode(200).body("total", is(4));

        // requests with one key at the same time: one notice, and each of them is told its location
        String together = UUID.randomUUID().toString();
        Instant later = effectiveAt.plus(1, ChronoUnit.DAYS);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<CompletableFuture<Response>> sent =
                IntStream.range(0, 6).mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> given().contentType(ContentType.JSON).header("Idempotency-Key", together)
                                .body(body("DISCONTINUATION", key, later)).post("/notices").andReturn(), callers))
                        .toList();
        Set<String> locations = new HashSet<>();
        for (var f : sent) {
            Response r = f.join();
            assertEquals(201, r.statusCode(), r.asString());
            locations.add(r.header("Location"));
        }
        callers.shutdown();
        assertEquals(1, locations.size());
        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("size()", is(2));
    }

    @Test
    void complianceReportListsEveryNoticeWithPassOrFail() {
        String key = Inputs.key("cmp");
        Map<String, Object> agreement = Inputs.agreement(key, 30, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(100, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        // an imported revision announced only 10 days ahead: it breaks the 30-day rule
        Instant n2 = clock.now().minus(50, ChronoUnit.DAYS);
        Inputs.publish(Inputs.published(agreement, 2, 1, n2, n2.plus(10, ChronoUnit.DAYS), Inputs.clausesV2(), true),
                UUID.randomUUID().toString());
        Instant n3 = clock.now();
        String last = Inputs.publish(Inputs.published(agreement, 3, 2, n3, n3.plus(31, ChronoUnit.DAYS),
                Inputs.clausesV1(), false), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, last));
        JsonPath r = given().queryParam("agreementKey", key).get("/compliance/lead-times").then().statusCode(200)
                .body("total", is(2)).body("passed", is(1)).body("failed", is(1)).extract().jsonPath();
        assertEquals(List.of(2, 3), r.getList("notices.toVersion"));
        assertEquals(List.of("FAIL", "PASS"), r.getList("notices.result"));
        assertEquals(List.of(10, 31), r.getList("notices.actualLeadDays"));
        assertEquals(List.of(30, 30), r.getList("notices.requiredLeadDays"));
        assertTrue(r.getBoolean("notices[0].imported"));
        given().get("/compliance/lead-times").then().statusCode(200);

        // version 2 published as the agreement's first live version (version 1 a draft never published): it takes
        // effect at publication, as version-service allows a first version to; it was reported as a revision
        // notice with 0 of 30 days, a FAIL, and its notice went out
        String first = Inputs.key("cmp-first");
        Map<String, Object> other = Inputs.agreement(first, 30, "ANNOUNCEMENT", Map.of());
        Inputs.register(other);
        String firstLive = Inputs.publish(Inputs.published(other, 2, null, n3, n3, Inputs.clausesV1(), false),
                UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, firstLive));
        given().queryParam("agreementKey", first).get("/compliance/lead-times").then().statusCode(200)
                .body("total", is(0));
        given().queryParam("agreementKey", first).get("/notices").then().statusCode(200).body("size()", is(0));
    }
}
