package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * In test and local profiles an admin moves time forward; the service's clock follows.
 * Runs under {@link OwnClockProfile} so the moved time stays out of other tests.
 */
public abstract class ClockContract {

    /** A clock topic of its own, so other test instances do not inherit the moved time. */
    public static class OwnClockProfile implements io.quarkus.test.junit.QuarkusTestProfile {
        private static final String TOPIC = "ledger.clock.test-" + java.util.UUID.randomUUID();

        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("ledger.clock.topic", TOPIC);
        }
    }

    @Inject
    AppClock clock;

    @Test
    void adminMovesTimeForward() {
        Instant before = clock.now();
        given().contentType("application/json").body("{\"advanceBy\": \"PT2H\"}")
                .post("/admin/clock").then().statusCode(200);
        assertTrue(Duration.between(before, clock.now()).compareTo(Duration.ofHours(2)) >= 0,
                "the service clock moved at least two hours");
        given().get("/admin/clock").then().statusCode(200);
    }

    @Test
    void timeNeverMovesPastYear9999() {
        Instant before = clock.now();
        given().contentType("application/json").body("{\"advanceBy\": \"P3000000D\"}")
                .post("/admin/clock").then().statusCode(422).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("clock-out-of-range"));
        given().contentType("application/json").body("{\"advanceBy\": \"PT2562047788015215H\"}")
                .post("/admin/clock").then().statusCode(422);
        assertTrue(Duration.between(before, clock.now()).compareTo(Duration.ofDays(1)) < 0, "the clock did not move");
    }

    @Test
    void timeNeverMovesBackwards() {
        given().contentType("application/json").body("{\"advanceBy\": \"-P1D\"}")
                .post("/admin/clock").then().statusCode(422);
        given().contentType("application/json").body("{\"advanceBy\": \"a month\"}")
                .post("/admin/clock").then().statusCode(400);
    }
}
