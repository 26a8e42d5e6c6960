package io.termsledger.consent.foundation;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.termsledger.kit.testing.DatabaseOutageContract;
import io.termsledger.kit.testing.TestTokens;
import io.termsledger.kit.testing.UnreachableDatabaseProfile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ReadinessWithoutDatabaseTest.BothPoolsUnreachable.class)
class ReadinessWithoutDatabaseTest extends DatabaseOutageContract {

    /** The kit's profile, and the reactive pool (status reads) pointed nowhere too. */
    public static class BothPoolsUnreachable extends UnreachableDatabaseProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put(REACTIVE_URL.getKey(), REACTIVE_URL.getValue());
            return overrides;
        }
    }

    private static final String CONSENT = """
            {"userId":"u-1","agreementKey":"aliyun-ecs-terms","version":1,"method":"CLICK"}""";

    @Override
    protected String pathThatReadsTheDatabase() {
        return "/users/u-1/agreements/aliyun-ecs-terms/status";
    }

    @Test
    void aConsentIsRefusedWith503NotRecordedAsBadInput() {
        assertDatabaseUnavailable(given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(CONSENT).post("/consents").then());
    }

    @Test
    void anImportThatCouldRecordNothingIs503NotAnImportOfBadLines() {
        // two chunks' worth of lines: the first chunk's failure ends the import without waiting once per line
        String body = (CONSENT.strip() + "\n").repeat(1_200);
        assertDatabaseUnavailable(given().auth().oauth2(TestTokens.operator()).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/consents/import").then());
    }
}
