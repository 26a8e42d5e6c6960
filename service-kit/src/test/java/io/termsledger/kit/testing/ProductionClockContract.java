package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Under production settings the clock endpoint does not exist. */
public abstract class ProductionClockContract {

    /** Production settings: the clock is not adjustable. */
    public static class ProductionClockProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ledger.clock.adjustable", "false");
        }
    }

    @Test
    void clockEndpointDoesNotExist() {
        given().get("/admin/clock").then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body("{\"advanceBy\": \"P30D\"}")
                .post("/admin/clock").then().statusCode(404);
    }
}
