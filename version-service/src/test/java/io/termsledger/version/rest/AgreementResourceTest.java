package io.termsledger.version.rest;

import static io.restassured.RestAssured.given;
import static io.termsledger.version.support.Api.general;
import static io.termsledger.version.support.Api.key;
import static io.termsledger.version.support.Api.product;
import static io.termsledger.version.support.Api.register;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.termsledger.kit.testing.Chunked;
import io.termsledger.kit.testing.TestTokens;
import io.termsledger.version.support.Api;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgreementResourceTest {

    @Test
    void registersGeneralAndProductTermsAndListsThem() {
        String parent = key("general");
        register(general(parent, 30)).statusCode(201)
                .header("Location", endsWith("/agreements/" + parent))
                .body("key", is(parent))
                .body("scope", is("GENERAL"))
                .body("parentKey", nullValue())
                .body("timezone", is("Asia/Shanghai"))
                .body("policy.noticeDays", is(30))
                .body("policy.bindingRule", is("ON_CONTINUED_USE"))
                .body("policy.sealPrevails", is(true))
                .body("policy.acceptanceMethods", equalTo(List.of("CLICK", "SEAL", "USE")))
                .body("policy.noticeMeasuredFrom", is("ANNOUNCEMENT"))
                .body("policy.noticePeriods.DATA_CENTRE_MIGRATION", is(7))
                .body("versions.size()", is(0))
                .body("currentVersion", nullValue());
        String child = key("product");
        register(product(child, parent, 30)).statusCode(201)
                .body("scope", is("PRODUCT")).body("parentKey", is(parent)).body("product", is("ecs-" + child));

        given().get("/agreements").then().statusCode(200)
                .body("key", hasItem(parent)).body("key", hasItem(child));
        given().get("/agreements/{k}", child).then().statusCode(200)
                .body("key", is(child)).body("parentKey", is(parent));
    }

    @Test
    void timezoneDefaultsToShanghaiAndPolicyDefaultsApply() {
        String k = key("defaults");
        Map<String, Object> body = general(k, 7);
        body.remove("timezone");
        @SuppressWarnings("unchecked") Map<String, Object> policy = (Map<String, Object>) body.get("policy");
        policy.remove("noticeMeasuredFrom");
        policy.remove("sealPrevails");
        policy.remove("noticePeriods");
        register(body).statusCode(201).body("timezone", is("Asia/Shanghai"))
                .body("policy.noticeMeasuredFrom", is("ANNOUNCEMENT"))
                .body("policy.sealPrevails", is(false))
                .body("policy.noticePeriods.size()", is(0));
    }

    @Test
    void repeatedKeyIs409() {
        String k = Api.registered(7);
        register(general(k, 7)).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("agreement-exists")).body("detail", containsString(k));
    }

    @Test
    void aNulCharacterInATitleIsRefusedAs400AndNothingIsRegistered() {
        // PostgreSQL cannot store it; the insert's failure is not another registration of the key (409)
        String k = key("nul");
        Map<String, Object> body = general(k, 7);
        body.put("title", "Terms\u0000of service");
        register(body).statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("unstorable-text")).body("detail", containsString("NUL"));
        given().get("/agreements/" + k).then().statusCode(404);
        register(general(k, 7)).statusCode(201);
    }

    @Test
    void noticeDaysOutsideZeroTo365IsRefusedNamingTheField() {
        register(general(key("days"), 366)).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("policy.noticeDays"));
        register(general(key("days"), -1)).statusCode(400)
                .body("violations.field", hasItem("policy.noticeDays"));
        register(general(key("days"), 365)).statusCode(201);
        register(general(key("days"), 0)).statusCode(201);
    }

    @Test
    void unknownTimeZoneIs422() {
        for (String zone : List.of("Mars/Olympus", "+08:00", "UTC+8")) {
            Map<String, Object> body = general(key("tz"), 7);
            body.put("timezone", zone);
            register(body).statusCode(422).contentType("application/problem+json")
                    .body("type", endsWith("invalid-timezone")).body("field", is("timezone"))
                    .body("detail", containsString(zone));
        }
        Map<String, Object> berlin = general(key("tz"), 7);
        berlin.put("timezone", "Europe/Berlin");
        register(berlin).statusCode(201).body("timezone", is("Europe/Berlin"));
    }

    @Test
    void productTermsNeedAnExistingGeneralParent() {
        Map<String, Object> noParent = product(key("p"), null, 30);
        noParent.remove("parentKey");
        register(noParent).statusCode(422).body("field", is("parentKey")).body("type", endsWith("parent-required"));

        register(product(key("p"), "no-such-agreement", 30)).statusCode(422)
                .body("field", is("parentKey")).body("type", endsWith("unknown-parent"))
                .body("detail", containsString("no-such-agreement"));

        String parent = Api.registered(30);
        String child = key("p");
        register(product(child, parent, 30)).statusCode(201);
        register(product(key("p"), child, 30)).statusCode(422)
                .body("field", is("parentKey")).body("type", endsWith("parent-not-general"));

        Map<String, Object> generalWithParent = general(key("g"), 30);
        generalWithParent.put("parentKey", parent);
        register(generalWithParent).statusCode(422).body("field", is("parentKey"));
    }

    @Test
    void aProductHasOneSetOfProductTerms() {
        // a usage signal names a product: with two sets of terms for it, one use bound the user to both providers
        String parent = Api.registered(30);
        String other = Api.registered(7);
        String first = key("p");
        Map<String, Object> terms = product(first, parent, 30);
        String name = (String) terms.get("product");
        register(terms).statusCode(201);
        Map<String, Object> again = product(key("p"), other, 7);
        again.put("product", name);
        register(again).statusCode(409).contentType("application/problem+json").body("type", endsWith("product-exists"))
                .body("field", is("product")).body("agreementKey", is(first))
                .body("detail", containsString(first));
        given().get("/agreements/{k}", again.get("key")).then().statusCode(404);
        // names differ by case or in any other way are other products
        again.put("product", name.toUpperCase());
        register(again).statusCode(201);
    }

    @Test
    void acceptanceMethodsMustNotBeEmpty() {
        Map<String, Object> body = general(key("m"), 7);
        @SuppressWarnings("unchecked") Map<String, Object> policy = (Map<String, Object>) body.get("policy");
        policy.put("acceptanceMethods", List.of());
        register(body).statusCode(400).body("violations.field", hasItem("policy.acceptanceMethods"));
        policy.put("acceptanceMethods", List.of("CLICK", "FAX"));
        register(body).statusCode(400).body("type", endsWith("malformed-json"))
                .body("detail", containsString("acceptanceMethods"));
    }

    @Test
    void keyMustBeASlugAndTitleIsRequired() {
        Map<String, Object> body = general("Not A Slug", 7);
        body.remove("title");
        register(body).statusCode(400)
                .body("violations.field", hasItem("key"))
                .body("violations.field", hasItem("title"));
    }

    @Test
    void noticePeriodsAreCheckedPerType() {
        Map<String, Object> body = general(key("np"), 7);
        @SuppressWarnings("unchecked") Map<String, Object> policy = (Map<String, Object>) body.get("policy");
        policy.put("noticePeriods", Map.of("data centre", 3));
        register(body).statusCode(422).body("field", is("policy.noticePeriods"));
        policy.put("noticePeriods", Map.of("DATA_DELETION", -3));
        register(body).statusCode(422).body("field", is("policy.noticePeriods.DATA_DELETION"));
    }

    @Test
    void malformedJsonIs400() {
        given().contentType(ContentType.JSON).body("{\"key\": \"x\", ").post("/agreements").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"key\": \"x\" \"title\": 1}").post("/agreements").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1, 2]").post("/agreements").then()
                .statusCode(400).contentType("application/problem+json").body("type", endsWith("malformed-json"));
        given().contentType(ContentType.JSON).body("").post("/agreements").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void unknownJsonFieldIs400() {
        Map<String, Object> body = general(key("u"), 7);
        body.put("noticeDays", 30);
        register(body).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("Unknown field 'noticeDays'"));
    }

    @Test
    void unknownAgreementIs404() {
        given().get("/agreements/{k}", key("missing")).then().statusCode(404)
                .contentType("application/problem+json").body("detail", startsWith("No agreement with key"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String content = "x".repeat(3 * 1024 * 1024);
        given().contentType(ContentType.JSON).body(Map.of("content", content))
                .post("/agreements/{k}/versions", Api.registered(7)).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", endsWith("payload-too-large")).body("limitBytes", is(2097152));
    }

    @TestHTTPResource("/agreements")
    URI agreements;

    @Test
    void aChunkedBodyOverTheLimitIs413Too() throws Exception {
        // no Content-Length to refuse it by: it was read whole, up to Vert.x's 16 MiB; a draft's content is a
        // member the reader knows, whose read errors Jackson wraps (it was a 400 malformed-json)
        URI drafts = URI.create(agreements + "/" + Api.registered(7) + "/versions");
        for (int mib : new int[] {3, 20}) {
            byte[] body = ("{\"content\":\"" + "x".repeat(mib * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = Chunked.post(drafts, "application/json", TestTokens.operator(), body);
            assertEquals(413, r.statusCode());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("payload-too-large"), r.body());
        }
        HttpResponse<String> small = Chunked.post(agreements, "application/json", TestTokens.operator(),
                "{\"key\":\"\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, small.statusCode(), small.body());
    }
}
