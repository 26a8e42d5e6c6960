package io.termsledger.consent.scenario;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.consent.support.ConsentEvents;
import io.termsledger.consent.support.ConsentEvents.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 (Asiayun): a revision takes effect 7 days after its notice for every user
 * bound to the earlier version (ON_EFFECTIVE_DATE), except an objector; an early
 * accepter is bound from their click.
 */
@QuarkusTest
class SevenDayOnEffectiveDateTest {

    @Inject
    Agreements agreements;

    @Test
    void objectorStaysEarlyAccepterMovesAtClickEveryoneElseAtTheDate() {
        String key = Agreements.unique("asiayun");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(100));
        agreements.publish(key, a, 1, v1At, v1At, null);
        Instant notice = Agreements.now().minus(Duration.ofDays(3));
        Instant effective = notice.plus(Duration.ofDays(7));
        agreements.publish(key, a, 2, notice, effective, 1);

        String plain = Agreements.unique("plain");
        String objector = Agreements.unique("objector");
        String early = Agreements.unique("early");
        for (String u : List.of(plain, objector, early)) {
            Api.accept(u, key, 1, "CLICK", v1At.plus(Duration.ofDays(1))).statusCode(201);
        }
        Instant objectedAt = notice.plus(Duration.ofDays(1));
        String objectionHash = Api.object(objector, key, 2, objectedAt).statusCode(201).extract().path("hash");
        Instant clickedAt = notice.plus(Duration.ofDays(2));
        Api.accept(early, key, 2, "CLICK", clickedAt).statusCode(201);

        // now (between notice and E)
        JsonPath p = Api.status(plain, key, Agreements.now()).statusCode(200).extract().jsonPath();
        assertEquals(1, p.getInt("governingVersion"));
        assertEquals("SCHEDULED", p.getString("pending[0].state"));
        assertEquals(effective.toString(), Instant.parse(p.getString("pending[0].effectiveAt")).toString());
        JsonPath o = Api.status(objector, key, Agreements.now()).extract().jsonPath();
        assertEquals(1, o.getInt("governingVersion"));
        assertEquals("OBJECTED", o.getString("pending[0].state"));
        JsonPath e = Api.status(early, key, Agreements.now()).extract().jsonPath();
        assertEquals(2, e.getInt("governingVersion"));
        assertEquals("CLICK", e.getString("basis.method"));
        assertEquals("ACCEPTED_EARLY", e.getString("pending[0].state"));
        assertEquals(clickedAt, Instant.parse(e.getString("basis.since")));

        // without 'at' the answer comes from the projection row and equals the engine's
        given().get("/users/{u}/agreements/{k}/status", objector, key).then().statusCode(200)
                .body("governingVersion", org.hamcrest.Matchers.is(1))
                .body("pending[0].state", org.hamcrest.Matchers.is("OBJECTED"))
                .body("notes", org.hamcrest.Matchers.equalTo(o.getList("notes")));
        given().get("/users/{u}/agreements/{k}/status", early, key).then().statusCode(200)
                .body("governingVersion", org.hamcrest.Matchers.is(2))
                .body("basis.since", org.hamcrest.Matchers.is(e.getString("basis.since")));

        // after E (the projection "if nothing else happens")
        Instant after = effective.plus(Duration.ofDays(1));
        JsonPath p2 = Api.status(plain, key, after).extract().jsonPath();
        assertEquals(2, p2.getInt("governingVersion"));
        assertEquals("EFFECTIVE_DATE", p2.getString("basis.method"));
        assertEquals(effective, Instant.parse(p2.getString("basis.since")));
        assertEquals("EFFECTIVE", p2.getString("pending[0].state"));
        JsonPath o2 = Api.status(objector, key, after).extract().jsonPath();
        assertEquals(1, o2.getInt("governingVersion"));
        assertEquals("OBJECTED", o2.getString("pending[0].state"));
        JsonPath e2 = Api.status(early, key, after).extract().jsonPath();
        assertEquals(2, e2.getInt("governingVersion"));
        assertEquals(clickedAt, Instant.parse(e2.getString("pending[0].effectiveForUser")));

        // population now, from the projection
        JsonPath pop = given().get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
        assertEquals("projection", pop.getString("source"));
        assertEquals(3, pop.getInt("users"));
        assertEquals(Map.of("1", 2, "2", 1), counts(pop.getList("governing")));
        List<Map<String, Object>> pending = pop.getList("pending");
        assertTrue(pending.contains(Map.of("version", 2, "state", "SCHEDULED", "users", 1)), pending.toString());
        assertTrue(pending.contains(Map.of("version", 2, "state", "OBJECTED", "users", 1)), pending.toString());
        assertTrue(pending.contains(Map.of("version", 2, "state", "ACCEPTED_EARLY", "users", 1)), pending.toString());

        // population after E, from the ledger
        JsonPath later = given().queryParam("at", after.toString()).get("/agreements/{k}/population", key).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("ledger", later.getString("source"));
        assertEquals(Map.of("1", 1, "2", 2), counts(later.getList("governing")));

        // consents.events: accepted + objected + bound (CLICK) for the early accepter
        List<Event> events = ConsentEvents.read(early, Duration.ofSeconds(30),
                l -> ConsentEvents.ofType(l, "consent.bound.v1").size() >= 2);
        List<Event> bound = ConsentEvents.ofType(events, "consent.bound.v1");
        assertEquals(2, bound.size(), "bound to v1 by its click, then to v2 by the early click");
        Event b2 = bound.get(1);
        assertEquals(2, b2.data().getInt("version"));
        assertEquals(1, b2.data().getInt("previousVersion"));
        assertEquals("CLICK", b2.data().getString("basis"));
        assertEquals(clickedAt, Instant.parse(b2.data().getString("since")));
        List<Event> objEvents = ConsentEvents.read(objector, Duration.ofSeconds(30),
                l -> !ConsentEvents.ofType(l, "consent.objected.v1").isEmpty());
        Event obj = ConsentEvents.ofType(objEvents, "consent.objected.v1").get(0);
        assertEquals(key, obj.data().getString("agreementKey"));
        assertEquals(2, obj.data().getInt("version"));
        assertEquals("I do not agree", obj.data().getString("reason"));
        assertEquals(obj.id(), obj.data().getString("eventId"), "ce_id is the ledger fact's id");
        // the chain hash, as for an acceptance: an auditor holding it can anchor the user's proof on it
        assertEquals(objectionHash, obj.data().getString("hash"));
    }

    @Test
    void theDatePassingBindsViaTheSweepAndEmitsBoundByDateButNotForTheObjector() {
        String key = Agreements.unique("asiayun-date");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(30));
        agreements.publish(key, a, 1, v1At, v1At, null);
        String plain = Agreements.unique("plain");
        String objector = Agreements.unique("objector");
        Api.accept(plain, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        Api.accept(objector, key, 1, "CLICK", v1At.plusSeconds(60)).statusCode(201);
        Instant effective = Agreements.now().plusSeconds(4);
        Instant notice = effective.minus(Duration.ofDays(7));
        agreements.publish(key, a, 2, notice, effective, 1);
        Api.object(objector, key, 2, Agreements.now()).statusCode(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath pop = given().get("/agreements/{k}/population", key).then().extract().jsonPath();
            assertEquals(Map.of("1", 1, "2", 1), counts(pop.getList("governing")));
        });
        given().get("/users/{u}/agreements/{k}/status", plain, key).then().statusCode(200)
                .body("governingVersion", org.hamcrest.Matchers.is(2))
                .body("basis.method", org.hamcrest.Matchers.is("EFFECTIVE_DATE"));
        List<Event> events = ConsentEvents.read(plain, Duration.ofSeconds(30),
                l -> ConsentEvents.ofType(l, "consent.bound.v1").size() >= 2);
        Event byDate = ConsentEvents.ofType(events, "consent.bound.v1").get(1);
        assertEquals("EFFECTIVE_DATE", byDate.data().getString("basis"));
        assertEquals(2, byDate.data().getInt("version"));
        assertEquals(effective.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                Instant.parse(byDate.data().getString("since")).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        List<Event> objectorEvents = ConsentEvents.read(objector, Duration.ofSeconds(3), l -> false);
        assertEquals(1, ConsentEvents.ofType(objectorEvents, "consent.bound.v1").size(), "only the v1 binding");
        assertNull(objectorEvents.stream().filter(x -> x.type().equals("consent.bound.v1") && x.data().getInt("version") == 2)
                .findFirst().orElse(null));
    }

    static Map<String, Integer> counts(List<Map<String, Object>> governing) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        governing.forEach(g -> m.put(String.valueOf(g.get("version")), ((Number) g.get("users")).intValue()));
        return m;
    }
}
