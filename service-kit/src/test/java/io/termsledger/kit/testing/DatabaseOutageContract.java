package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Run under {@link UnreachableDatabaseProfile}: besides being alive but not ready, the service
 * answers a request that needs the database with a 503 problem and {@code Retry-After}, never a
 * 500 or a stack trace.
 */
public abstract class DatabaseOutageContract extends ReadinessContract {

    /** A GET an operator may call that reads the database. */
    protected abstract String pathThatReadsTheDatabase();

    @Test
    void aRequestThatNeedsTheDatabaseIsToldToComeBack() {
        assertDatabaseUnavailable(given().auth().oauth2(TestTokens.operator()).get(pathThatReadsTheDatabase()).then());
    }

    /** The 503 problem the services answer while their database cannot be reached. */
    public static void assertDatabaseUnavailable(ValidatableResponse r) {
        r.statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", is("urn:terms-ledger:problem:database-unavailable"))
                .body("status", is(503))
                .body("detail", containsString("retry shortly"))
                .body("reference", not(is((Object) null)))
                .body(not(containsString("Exception")))
                .body(not(containsString("jdbc:")));
    }
}
