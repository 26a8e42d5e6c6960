package io.termsledger.consent.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.security.VerifiedTokenCache;
import io.termsledger.kit.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * Verified tokens are remembered (service-kit's VerifiedTokenCache), but never beyond what
 * the token allows: a remembered token stops working when it expires, and a copy with a
 * changed signature is verified afresh and refused.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Test
    void theJwtMechanismParsesThroughTheCacheAndAVerifiedTokenIsRemembered() throws Exception {
        assertInstanceOf(VerifiedTokenCache.class, ClientProxy.unwrap(parser));
        String token = TestTokens.token("cache-hit", TestTokens.OPERATOR_ROLES, Duration.ofMinutes(5));
        JsonWebToken first = parser.parse(token);
        assertSame(first, parser.parse(token), "the second parse is answered from the cache");
        assertThrows(ParseException.class, () -> parser.parse(TestTokens.forged(Roles.AUDITOR)));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String token = "Bearer " + TestTokens.token("cache-expiry", TestTokens.OPERATOR_ROLES, Duration.ofSeconds(2));
        given().header("Authorization", token).get("/admin/parked-events").then().statusCode(200);
        given().header("Authorization", token).get("/admin/parked-events").then().statusCode(200);
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(20)).until(() ->
                given().header("Authorization", token).get("/admin/parked-events").statusCode() == 401);
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsRefused() {
        String token = TestTokens.token("cache-tamper", TestTokens.OPERATOR_ROLES, Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + token).get("/admin/parked-events").then().statusCode(200);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        given().header("Authorization", "Bearer " + tampered).get("/admin/parked-events").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/admin/parked-events").then().statusCode(200);
    }
}
