package io.termsledger.consent.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.termsledger.consent.service.Canonical;
import java.time.Instant;
import java.util.UUID;

/** Small REST helpers for the tests. */
public final class Api {

    private Api() {
    }

    public static String consent(String user, String key, int version, String method, Instant occurredAt) {
        return "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": " + version
                + ", \"method\": \"" + method + "\"" + (occurredAt == null ? "" : ", \"occurredAt\": \"" + occurredAt + "\"")
                + "}";
    }

    public static ValidatableResponse accept(String user, String key, int version, String method, Instant occurredAt) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(consent(user, key, version, method, occurredAt)).post("/consents").then();
    }

    public static ValidatableResponse object(String user, String key, int version, Instant occurredAt) {
        return given().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": " + version
                        + ", \"occurredAt\": \"" + occurredAt + "\", \"reason\": \"I do not agree\"}")
                .post("/objections").then();
    }

    public static ValidatableResponse use(String user, String key, Instant occurredAt) {
        return given().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + occurredAt + "\"}")
                .post("/usage").then();
    }

    /** The status at an instant, or at now (from the projection when it is current) when {@code at} is null. */
    public static ValidatableResponse status(String user, String key, Instant at) {
        var request = given();
        if (at != null) {
            request.queryParam("at", at.toString());
        }
        return request.get("/users/{u}/agreements/{k}/status", user, key).then();
    }

    /**
     * Asserts that the user's chain, as {@code GET /users/{u}/consents} lists it, holds {@code length} facts
     * at positions 1 to {@code length}, each linked to the one before (the first to the genesis), and that its
     * head is the last one's hash.
     */
    public static void assertUnbrokenChain(String user, int length) {
        JsonPath h = given().get("/users/{u}/consents", user).then().statusCode(200).extract().jsonPath();
        assertEquals(length, h.getInt("length"), user);
        String previous = Canonical.GENESIS;
        for (int i = 0; i < length; i++) {
            assertEquals(i + 1, h.getInt("facts[" + i + "].seq"));
            assertEquals(previous, h.getString("facts[" + i + "].prevHash"), "fact " + (i + 1) + " links to the one before");
            previous = h.getString("facts[" + i + "].hash");
        }
        assertEquals(previous, h.getString("head"));
    }
}
