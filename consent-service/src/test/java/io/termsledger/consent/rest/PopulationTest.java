package io.termsledger.consent.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The population now (the projection's counters) and at another instant (the ledger) count the same users. */
@QuarkusTest
class PopulationTest {

    @Inject
    Agreements agreements;

    /**
     * A user the ledger knows but no version governs (here: one who used a service whose terms
     * need a click) is counted under version null now; the ledger's answer for a past instant
     * left them out, so the two disagreed about the same users.
     */
    @Test
    void aUserGovernedByNoVersionCountsAtEveryInstant() {
        String key = agreements.generalWithVersionOne("population", 0, "ON_EFFECTIVE_DATE", false, "\"CLICK\"",
                Agreements.now().minus(Duration.ofDays(10))).key();
        String clicked = Agreements.unique("clicked");
        String usedOnly = Agreements.unique("used");
        Api.accept(clicked, key, 1, "CLICK", Agreements.now().minus(Duration.ofMinutes(2))).statusCode(201);
        Api.use(usedOnly, key, Agreements.now().minus(Duration.ofMinutes(2))).statusCode(202);
        Map<String, Integer> expected = new TreeMap<>(Map.of("1", 1, "null", 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath now = given().get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
            assertEquals("projection", now.getString("source"));
            assertEquals(expected, counts(now.getList("governing")));
            assertEquals(2, now.getInt("users"));
        });
        JsonPath earlier = given().queryParam("at", Agreements.now().minus(Duration.ofMinutes(1)).toString())
                .get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
        assertEquals("ledger", earlier.getString("source"));
        assertEquals(expected, counts(earlier.getList("governing")));
        assertEquals(2, earlier.getInt("users"));
        // before either user acted, nobody is counted
        JsonPath before = given().queryParam("at", Agreements.now().minus(Duration.ofMinutes(3)).toString())
                .get("/agreements/{k}/population", key).then().statusCode(200).extract().jsonPath();
        assertEquals(0, before.getInt("users"));
        assertEquals(List.of(), before.getList("governing"));
    }

    private static Map<String, Integer> counts(List<Map<String, Object>> governing) {
        Map<String, Integer> m = new TreeMap<>();
        governing.forEach(g -> m.put(String.valueOf(g.get("version")), ((Number) g.get("users")).intValue()));
        return m;
    }
}
