package io.termsledger.consent.scenario;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.consent.support.ConsentEvents;
import io.termsledger.consent.support.ConsentEvents.Event;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeds 002/003 (Aliyun general terms + ECS product terms): 30-day notice, continued use
 * binds (ON_CONTINUED_USE), a sealed copy prevails; a customer who only ever used the
 * service is bound by use.
 */
@QuarkusTest
class ThirtyDayContinuedUseTest {

    @Inject
    Agreements agreements;

    String general;
    String ecs;
    String product;
    final Instant v1At = Agreements.now().minus(Duration.ofDays(200));
    final Instant notice = Agreements.now().minus(Duration.ofDays(40));
    final Instant effective = notice.plus(Duration.ofDays(30));

    @BeforeEach
    void agreements() {
        general = Agreements.unique("aliyun-general");
        ecs = Agreements.unique("aliyun-ecs");
        product = Agreements.unique("ecs");
        String g = Agreements.agreementJson(general, "GENERAL", null, null, 30, "ON_CONTINUED_USE", true,
                "\"CLICK\", \"SEAL\", \"USE\"", "ANNOUNCEMENT");
        String p = Agreements.agreementJson(ecs, "PRODUCT", general, product, 30, "ON_CONTINUED_USE", true,
                "\"CLICK\", \"SEAL\", \"USE\"", "ANNOUNCEMENT");
        agreements.register(general, g);
        agreements.register(ecs, p);
        agreements.publish(general, g, 1, v1At, v1At, null);
        agreements.publish(ecs, p, 1, v1At, v1At, null);
        agreements.publish(ecs, p, 2, notice, effective, 1);
    }

    @Test
    void sealedCustomerStaysUseOnlyCustomerMovesAtFirstUseAfterTheDate() {
        String sealed = Agreements.unique("sealed");
        String useOnly = Agreements.unique("use-only");
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"userId\": \"" + sealed + "\", \"agreementKey\": \"" + ecs + "\", \"version\": 1, \"method\": \"SEAL\","
                        + " \"occurredAt\": \"" + v1At.plus(Duration.ofDays(10)) + "\", \"evidence\": {\"sealDocumentNo\":"
                        + " \"HT-2026-001\", \"sealScanSha256\": \"" + "cd".repeat(32) + "\", \"sealOrganisation\": \"某某科技有限公司\"}}")
                .post("/consents").then().statusCode(201);
        // the use-only customer: first use long ago (binds v1 by use), then uses after the date
        Instant firstUse = v1At.plus(Duration.ofDays(20));
        Api.use(useOnly, ecs, firstUse).statusCode(202);
        Instant usedAfter = effective.plus(Duration.ofDays(3));
        Api.use(useOnly, ecs, usedAfter).statusCode(202);
        Api.use(sealed, ecs, usedAfter).statusCode(202);

        // before E: SCHEDULED; between E and the use: AWAITING_USE; after the use: EFFECTIVE
        JsonPath before = Api.status(useOnly, ecs, effective.minusSeconds(1)).statusCode(200).extract().jsonPath();
        assertEquals(1, before.getInt("governingVersion"));
        assertEquals("USE", before.getString("basis.method"));
        assertEquals("SCHEDULED", before.getString("pending[0].state"));
        JsonPath awaiting = Api.status(useOnly, ecs, effective.plus(Duration.ofDays(1))).extract().jsonPath();
        assertEquals(1, awaiting.getInt("governingVersion"));
        assertEquals("AWAITING_USE", awaiting.getString("pending[0].state"));
        JsonPath now = Api.status(useOnly, ecs, Agreements.now()).extract().jsonPath();
        assertEquals(2, now.getInt("governingVersion"));
        assertEquals("USE", now.getString("basis.method"));
        assertEquals(usedAfter, Instant.parse(now.getString("basis.since")));
        assertEquals("EFFECTIVE", now.getString("pending[0].state"));
        assertEquals(usedAfter, Instant.parse(now.getString("pending[0].effectiveForUser")));

        JsonPath s = Api.status(sealed, ecs, Agreements.now()).extract().jsonPath();
        assertEquals(1, s.getInt("governingVersion"));
        assertEquals("SEAL", s.getString("basis.method"));
        assertEquals("BLOCKED_BY_SEAL", s.getString("pending[0].state"));

        // sealing v2 moves the sealed customer
        Instant sealedV2 = Agreements.now().minus(Duration.ofHours(1));
        Api.accept(sealed, ecs, 2, "SEAL", sealedV2).statusCode(201);
        JsonPath s2 = Api.status(sealed, ecs, Agreements.now()).extract().jsonPath();
        assertEquals(2, s2.getInt("governingVersion"));
        assertEquals(sealedV2, Instant.parse(s2.getString("basis.since")));
    }

    @Test
    void usageOfAProductReachesTheProductTermsAndTheirGeneralTermsAndTermsListsProductFirst() {
        String user = Agreements.unique("product-user");
        Instant usedAt = Agreements.now().minus(Duration.ofMinutes(5));
        JsonPath r = given().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + user + "\", \"product\": \"" + product + "\", \"occurredAt\": \"" + usedAt + "\"}")
                .post("/usage").then().statusCode(202).extract().jsonPath();
        assertEquals(List.of(ecs, general), r.getList("agreements"));
        assertEquals(2, r.getInt("stored"));

        JsonPath terms = given().queryParam("product", product).get("/users/{u}/terms", user).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(ecs, general), terms.getList("terms.agreementKey"));
        assertEquals(List.of(1, 2), terms.getList("terms.precedence"));
        assertEquals(List.of("PRODUCT", "GENERAL"), terms.getList("terms.scope"));
        // a new user by use binds the version in effect at that instant (rule 6): v2 of ECS, v1 of the general terms
        assertEquals(List.of(2, 1), terms.getList("terms.governingVersion"));
        assertEquals("USE", terms.getString("terms[0].basis.method"));

        // bounded storage: a later use in the same interval adds no row, an earlier one does
        given().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + ecs + "\", \"occurredAt\": \"" + usedAt.plusSeconds(60) + "\"}")
                .post("/usage").then().statusCode(202).body("stored", org.hamcrest.Matchers.is(0));
        given().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + ecs + "\", \"occurredAt\": \"" + usedAt.minusSeconds(60) + "\"}")
                .post("/usage").then().statusCode(202).body("stored", org.hamcrest.Matchers.is(1));
        given().get("/users/{u}/terms", user).then().statusCode(200)
                .body("terms.agreementKey", org.hamcrest.Matchers.equalTo(List.of(ecs, general)));
    }

    @Test
    void aLateEarlierUseCorrectsTheBoundEventAndALateObjectionDoesNotUndoAUse() {
        String user = Agreements.unique("late");
        Api.accept(user, ecs, 1, "CLICK", v1At.plus(Duration.ofDays(1))).statusCode(201);
        Instant used = effective.plus(Duration.ofDays(5));
        Api.use(user, ecs, used).statusCode(202);
        List<Event> first = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> ConsentEvents.ofType(l, "consent.bound.v1").stream().anyMatch(e -> e.data().getInt("version") == 2));
        Event boundByUse = ConsentEvents.ofType(first, "consent.bound.v1").stream()
                .filter(e -> e.data().getInt("version") == 2).findFirst().orElseThrow();
        assertEquals(used, Instant.parse(boundByUse.data().getString("since")));
        assertEquals("USE", boundByUse.data().getString("basis"));

        // an earlier use (after E) arrives late through the import: the engine now says v2 bound at that use
        Instant earlierUse = effective.plus(Duration.ofDays(1));
        String line = "{\"type\": \"USAGE\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + ecs
                + "\", \"occurredAt\": \"" + earlierUse + "\"}";
        given().contentType("application/x-ndjson").body(line.getBytes(StandardCharsets.UTF_8)).post("/consents/import")
                .then().statusCode(200).body("recorded", org.hamcrest.Matchers.is(1));
        assertEquals(earlierUse, Instant.parse(Api.status(user, ecs, Agreements.now()).extract().path("basis.since")));
        List<Event> all = ConsentEvents.read(user, Duration.ofSeconds(30),
                l -> ConsentEvents.ofType(l, "consent.bound.v1").stream().filter(e -> e.data().getInt("version") == 2).count() >= 2);
        List<Event> v2 = ConsentEvents.ofType(all, "consent.bound.v1").stream().filter(e -> e.data().getInt("version") == 2).toList();
        assertEquals(2, v2.size(), "one corrected bound event, not more");
        assertEquals(earlierUse, Instant.parse(v2.get(1).data().getString("since")));

        // a late objection that occurred before E, imported now: the use after E still binds (rule 4), nothing retracted
        String obj = "{\"type\": \"OBJECTED\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + ecs
                + "\", \"version\": 2, \"occurredAt\": \"" + notice.plus(Duration.ofDays(2)) + "\"}";
        given().contentType("application/x-ndjson").body(obj.getBytes(StandardCharsets.UTF_8)).post("/consents/import")
                .then().statusCode(200).body("recorded", org.hamcrest.Matchers.is(1));
        JsonPath st = Api.status(user, ecs, Agreements.now()).extract().jsonPath();
        assertEquals(2, st.getInt("governingVersion"));
        assertTrue(st.getList("notes.code").contains("OBJECTION_LAPSED_BY_USE"), st.prettify());
        List<Event> after = ConsentEvents.read(user, Duration.ofSeconds(3), l -> false);
        assertTrue(ConsentEvents.ofType(after, "consent.bound.retracted.v1").isEmpty());
    }
}
