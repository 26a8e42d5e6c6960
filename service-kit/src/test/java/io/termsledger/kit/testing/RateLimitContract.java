package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Write endpoints are limited per caller: over the limit, 429 with Retry-After. */
public abstract class RateLimitContract {

    /** Two writes per caller, refilled at one per ten seconds. */
    public static class TightLimitProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ledger.rate-limit.per-second", "0.1", "ledger.rate-limit.burst", "2");
        }
    }

    @Test
    void thirdWriteInARowIsRefusedWithRetryAfter() {
        String token = TestTokens.role(io.termsledger.kit.security.Roles.AGREEMENT_ADMIN, "rate-" + System.nanoTime());
        for (int i = 0; i < 2; i++) {
            Response r = write(token);
            assertNotEquals(429, r.statusCode(), "the first two writes are within the burst");
        }
        Response refused = write(token);
        assertEquals(429, refused.statusCode());
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
        RoleMatrixContract.assertProblem(refused);

        String other = TestTokens.role(io.termsledger.kit.security.Roles.AGREEMENT_ADMIN, "rate-other-" + System.nanoTime());
        assertNotEquals(429, write(other).statusCode(), "another caller has its own budget");
        given().header("Authorization", "Bearer " + token).get("/q/health/live").then().statusCode(200);
    }

    private static Response write(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("{\"advanceBy\": \"not a duration\"}").post("/admin/clock");
    }
}
