package io.termsledger.consent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every endpoint; a fact can be looked up; objections honour Idempotency-Key. */
@QuarkusTest
class OpenApiAndLookupTest {

    @Inject
    Agreements agreements;

    @Test
    void openApiDocumentsEveryEndpoint() {
        var paths = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String p : new String[] {"/consents", "/objections", "/usage", "/consents/import", "/consents/{eventId}",
                "/users/{userId}/agreements/{key}/status", "/users/{userId}/terms", "/users/{userId}/consents",
                "/users/{userId}/proof", "/agreements/{key}/population", "/admin/projection/rebuild"}) {
            org.hamcrest.MatcherAssert.assertThat(p, paths.getMap("paths"), hasKey(p));
        }
        org.hamcrest.MatcherAssert.assertThat(paths.getString("paths.'/consents'.post.summary"), equalTo("Record an acceptance"));
    }

    @Test
    void factLookupAndIdempotentObjection() {
        String key = Agreements.unique("lookup");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"", "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant at = Agreements.now().minus(Duration.ofDays(2));
        agreements.publish(key, a, 1, at, at, null);
        String user = Agreements.unique("u");
        String id = Api.accept(user, key, 1, "CLICK", at.plusSeconds(5)).statusCode(201).extract().path("eventId");
        given().get("/consents/{id}", id).then().statusCode(200).body("eventId", is(id)).body("kind", is("ACCEPTED"))
                .body("method", is("CLICK")).body("seq", is(1)).body("canonical", notNullValue());

        String idem = UUID.randomUUID().toString();
        String body = "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"occurredAt\": \""
                + at.plusSeconds(9) + "\"}";
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/objections")
                .then().statusCode(201).extract().asString();
        given().contentType(ContentType.JSON).header("Idempotency-Key", idem).body(body).post("/objections")
                .then().statusCode(201).body(equalTo(first));
        given().get("/users/{u}/consents", user).then().body("length", is(2));
    }
}
