package io.termsledger.consent.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A user token reads its own record; anyone else's answers exactly like a user that does not exist. */
@QuarkusTest
class UserScopeTest {

    @Inject
    Agreements agreements;

    @Test
    void aUserReadsOnlyTheirOwnRecord() {
        String key = agreementWithVersionOne();
        String alice = Agreements.unique("alice");
        String bob = Agreements.unique("bob");
        Api.accept(alice, key, 1, "CLICK", null).statusCode(201);
        Api.accept(bob, key, 1, "CLICK", null).statusCode(201);
        String aliceToken = "Bearer " + TestTokens.user(alice);

        given().header("Authorization", aliceToken).get("/users/{u}/agreements/{k}/status", alice, key)
                .then().statusCode(200).body("governingVersion", is(1));
        given().header("Authorization", aliceToken).get("/users/{u}/proof", alice).then().statusCode(200);
        given().header("Authorization", aliceToken).get("/users/{u}/consents", alice).then().statusCode(200);

        String nobody = Agreements.unique("nobody");
        for (String path : List.of("/users/%s/agreements/" + key + "/status", "/users/%s/terms", "/users/%s/consents",
                "/users/%s/proof")) {
            Response other = given().header("Authorization", aliceToken).get(String.format(path, bob));
            Response missing = given().header("Authorization", aliceToken).get(String.format(path, nobody));
            assertEquals(404, other.statusCode(), path);
            assertEquals("application/problem+json", other.contentType().split(";")[0]);
            assertFalse(other.asString().contains(bob), "the answer names nothing of the other user");
            assertEquals(missing.statusCode(), other.statusCode(), "indistinguishable from an unknown user");
            assertEquals(missing.jsonPath().getString("detail"), other.jsonPath().getString("detail"));
        }
    }

    /**
     * A staff member who is also a customer: a token holding {@code user} and a staff role reads other users'
     * records only where the staff role may on its own. {@code agreement-admin} reads no user's record, and
     * {@code consent-writer} reads status and terms but not history or proof (before, any staff role next to
     * {@code user} opened every user's history and proof bundle).
     */
    @Test
    void aStaffRoleBesideUserOpensOnlyWhatItOpensAlone() {
        String key = agreementWithVersionOne();
        String bob = Agreements.unique("bob");
        String staff = Agreements.unique("staff");
        Api.accept(bob, key, 1, "CLICK", null).statusCode(201);
        Api.accept(staff, key, 1, "CLICK", null).statusCode(201);
        String status = "/users/" + bob + "/agreements/" + key + "/status";
        String terms = "/users/" + bob + "/terms";
        String history = "/users/" + bob + "/consents";
        String proof = "/users/" + bob + "/proof";

        String adminUser = bearer(staff, Roles.USER, Roles.AGREEMENT_ADMIN);
        for (String path : List.of(status, terms, history, proof)) {
            given().header("Authorization", adminUser).get(path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", adminUser).get("/users/{u}/proof", staff).then().statusCode(200);

        String writerUser = bearer(staff, Roles.USER, Roles.CONSENT_WRITER);
        given().header("Authorization", writerUser).get(status).then().statusCode(200).body("userId", is(bob));
        given().header("Authorization", writerUser).get(terms).then().statusCode(200);
        given().header("Authorization", writerUser).get(history).then().statusCode(404);
        given().header("Authorization", writerUser).get(proof).then().statusCode(404);

        String auditorUser = bearer(staff, Roles.USER, Roles.AUDITOR);
        for (String path : List.of(status, terms, history, proof)) {
            given().header("Authorization", auditorUser).get(path).then().statusCode(200);
        }
        // a staff role alone is refused where it is not allowed, as before
        given().header("Authorization", bearer(staff, Roles.AGREEMENT_ADMIN)).get(proof).then().statusCode(403);
    }

    private static String bearer(String subject, String... roles) {
        return "Bearer " + TestTokens.token(subject, Set.of(roles), Duration.ofMinutes(10));
    }

    /**
     * The id checked is the one the resource serves. Decoding the path a second time read
     * {@code x+y} as {@code x y}, {@code a%2Fb} as {@code a} and {@code %2541} as {@code A}
     * (another user's record served), and {@code %25} alone was a 500.
     */
    @Test
    void theIdCheckedIsTheIdServed() {
        String key = agreementWithVersionOne();
        String stem = Agreements.unique("enc");
        String plus = stem + "+x";
        String slash = stem + "/x";
        String percent = stem + "%41";
        for (String user : List.of(plus, slash, percent)) {
            Api.accept(user, key, 1, "CLICK", null).statusCode(201);
        }
        String plusPath = "/users/" + stem + "+x/consents";
        String slashPath = "/users/" + stem + "%2Fx/consents";
        String percentPath = "/users/" + stem + "%2541/consents";

        // the owners read their own records
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(plus)).get(plusPath)
                .then().statusCode(200).body("facts.size()", is(1));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(percent)).get(percentPath)
                .then().statusCode(200).body("facts.size()", is(1));
        // look-alikes do not
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(stem + " x")).get(plusPath)
                .then().statusCode(404);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(stem)).get(slashPath)
                .then().statusCode(404);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(stem + "A")).get(percentPath)
                .then().statusCode(404);
        // a lone escaped percent sign is an id like any other, not a server error
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + TestTokens.user(stem)).get("/users/%25/consents")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** The token's subject is the user id, not the username an identity provider may add. */
    @Test
    void theSubjectCountsNotTheUsername() {
        String key = agreementWithVersionOne();
        String alice = Agreements.unique("alice");
        String mallory = Agreements.unique("mallory");
        Api.accept(alice, key, 1, "CLICK", null).statusCode(201);
        Api.accept(mallory, key, 1, "CLICK", null).statusCode(201);
        String malloryCallingHerselfAlice = "Bearer " + TestTokens.userNamed(mallory, alice);

        given().header("Authorization", malloryCallingHerselfAlice).get("/users/{u}/consents", alice)
                .then().statusCode(404);
        given().header("Authorization", malloryCallingHerselfAlice).get("/users/{u}/consents", mallory)
                .then().statusCode(200).body("facts.size()", is(1));
    }

    private String agreementWithVersionOne() {
        return agreements.generalWithVersionOne("scope", 0, "ON_CONTINUED_USE", false,
                Agreements.now().minus(Duration.ofHours(1))).key();
    }
}
