package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP-level refusal is a problem document too: unknown path, wrong method,
 * unacceptable media type, unsupported body type, oversized body, wrong issuer or audience.
 */
public abstract class HttpErrorsContract {

    @Test
    void unknownPathIs404Problem() {
        problem(given().get("/surely/not/here"), 404);
    }

    @Test
    void wrongMethodIs405Problem() {
        problem(given().delete("/admin/clock"), 405);
    }

    @Test
    void unacceptableMediaTypeIs406Problem() {
        problem(given().accept("application/xml").get("/admin/clock"), 406);
    }

    @Test
    void unsupportedBodyTypeIs415Problem() {
        problem(given().contentType("application/xml").body("<advanceBy>P1D</advanceBy>").post("/admin/clock"), 415);
    }

    @Test
    void oversizedBodyIs413Problem() {
        String huge = "{\"advanceBy\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        problem(given().contentType("application/json").body(huge).post("/admin/clock"), 413);
    }

    @Test
    void tokenForAnotherAudienceOrIssuerIs401Problem() {
        String otherAudience = io.smallrye.jwt.build.Jwt.issuer(TestTokens.ISSUER).audience("another-system")
                .subject("x").groups(Set.of("auditor")).expiresIn(Duration.ofMinutes(5)).sign(TestTokens.privateKey());
        problem(given().header("Authorization", "Bearer " + otherAudience).get("/admin/clock"), 401);
        String otherIssuer = io.smallrye.jwt.build.Jwt.issuer("https://someone-else.example").audience(TestTokens.AUDIENCE)
                .subject("x").groups(Set.of("auditor")).expiresIn(Duration.ofMinutes(5)).sign(TestTokens.privateKey());
        problem(given().header("Authorization", "Bearer " + otherIssuer).get("/admin/clock"), 401);
    }

    private static void problem(Response r, int status) {
        org.junit.jupiter.api.Assertions.assertEquals(status, r.statusCode(), r.asString());
        RoleMatrixContract.assertProblem(r);
        org.junit.jupiter.api.Assertions.assertFalse(r.asString().contains("Exception"), "no class names: " + r.asString());
    }
}
