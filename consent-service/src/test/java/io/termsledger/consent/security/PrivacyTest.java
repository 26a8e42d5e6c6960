package io.termsledger.consent.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.consent.support.Agreements;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** After a run that handled client IP addresses, no table and no log line holds a raw one. */
@QuarkusTest
@TestProfile(PrivacyTest.FileLogProfile.class)
class PrivacyTest {

    static final Path LOG = Path.of("target", "privacy-test-" + UUID.randomUUID() + ".log");
    static final String IP = "203.0.113.77";

    /** Logs everything, DEBUG included, to a file the test reads afterwards. */
    public static class FileLogProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.level", "DEBUG", "quarkus.log.category.\"io.termsledger\".level", "DEBUG",
                    "quarkus.http.access-log.enabled", "true");
        }
    }

    @Inject
    Agreements agreements;

    @Inject
    EntityManager em;

    @Test
    void rawIpAddressesAreNeitherStoredNorLogged() throws Exception {
        String key = Agreements.unique("privacy");
        String json = Agreements.agreementJson(key, "GENERAL", null, null, 0, "ON_CONTINUED_USE", false,
                "\"CLICK\", \"USE\"", "ANNOUNCEMENT");
        agreements.register(key, json);
        agreements.publish(key, json, 1, Agreements.now().minus(Duration.ofHours(1)), Agreements.now().minus(Duration.ofHours(1)), null);
        String user = Agreements.unique("private");
        String body = "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"ip\": \"" + IP + "\", \"channel\": \"web\", \"userAgent\": \"test\"}}";
        String eventId = given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body).post("/consents").then().statusCode(201).extract().path("eventId");
        // a refused request that carries an IP must not log it either
        given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body.replace("\"version\": 1", "\"version\": 99")).post("/consents").then().statusCode(422);
        given().get("/consents/{id}", eventId).then().statusCode(200)
                .body("evidence.ipHmac", startsWith("hmac-sha256:"));

        List<String> tables = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")
                .getResultList());
        for (String table : tables) {
            Number hits = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                    "select count(*) from \"" + table + "\" t where t::text like '%" + IP + "%'").getSingleResult());
            assertEquals(0, hits.intValue(), "table " + table + " holds the raw IP address");
        }
        String log = Files.readString(LOG);
        assertFalse(log.isEmpty(), "the run wrote a log");
        assertFalse(log.contains(IP), "the log holds the raw IP address");
    }
}
