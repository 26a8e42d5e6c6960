package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.termsledger.kit.security.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The role matrix, generated from the service's OpenAPI document: every operation is
 * called with no token, an expired token, a forged token, a token with no known role and a
 * token of each role, and must answer 401 / 403 / not-refused as {@link #expectedRoles()} says. An operation
 * missing from the expectations fails the test, so a new endpoint cannot ship unguarded.
 */
public abstract class RoleMatrixContract {

    /** "METHOD /path/{template}" → the roles allowed to call it. */
    protected abstract Map<String, Set<String>> expectedRoles();

    /** Values for path parameters; the user-scoped id doubles as the {@code user} token's subject. */
    protected Map<String, String> pathValues() {
        return Map.of("userId", "matrix-user", "key", "matrix-agreement", "n", "1", "a", "1", "b", "2",
                "id", UUID.randomUUID().toString(), "version", "1");
    }

    @Test
    void everyOperationHasExpectations() {
        Set<String> documented = OpenApiOperations.all().stream().map(OpenApiOperations.Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(expectedRoles().keySet()), documented,
                "the OpenAPI document and the role expectations must list the same operations");
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpenApiOperations.Operation op : OpenApiOperations.all()) {
            Set<String> allowed = expectedRoles().getOrDefault(op.key(), Set.of());
            String path = op.concretePath(pathValues());
            tests.add(DynamicTest.dynamicTest(op.key() + " without token → 401",
                    () -> JwtTestSupport.anonymous(() -> assertUnauthenticated(call(op, path, null)))));
            tests.add(DynamicTest.dynamicTest(op.key() + " expired token → 401",
                    () -> assertUnauthenticated(call(op, path, TestTokens.expired(Roles.AUDITOR)))));
            tests.add(DynamicTest.dynamicTest(op.key() + " forged token → 401",
                    () -> assertUnauthenticated(call(op, path, TestTokens.forged(Roles.AUDITOR)))));
            tests.add(DynamicTest.dynamicTest(op.key() + " with no known role → 403", () -> {
                Response r = call(op, path, TestTokens.role("guest", pathValues().get("userId")));
                assertEquals(403, r.statusCode(), op.key() + " with no known role: " + r.asString());
                assertProblem(r);
            }));
            for (String role : Roles.ALL) {
                String subject = Roles.USER.equals(role) ? pathValues().get("userId") : "matrix-" + role;
                tests.add(DynamicTest.dynamicTest(op.key() + " as " + role + (allowed.contains(role) ? " → allowed" : " → 403"), () -> {
                    Response r = call(op, path, TestTokens.role(role, subject));
                    if (allowed.contains(role)) {
                        assertTrue(r.statusCode() != 401 && r.statusCode() != 403 && r.statusCode() < 500,
                                op.key() + " as " + role + " answered " + r.statusCode() + ": " + r.asString());
                    } else {
                        assertEquals(403, r.statusCode(), op.key() + " as " + role + ": " + r.asString());
                        assertProblem(r);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static Response call(OpenApiOperations.Operation op, String path, String token) {
        RequestSpecification req = given().header("Idempotency-Key", UUID.randomUUID().toString());
        if (token != null) {
            req = req.header("Authorization", "Bearer " + token);
        }
        if (op.bodySchema() != null) {
            req = req.contentType("application/json").body("{}");
        }
        return req.request(op.method().toUpperCase(), path);
    }

    private static void assertUnauthenticated(Response r) {
        assertEquals(401, r.statusCode(), r.asString());
        assertProblem(r);
    }

    static void assertProblem(Response r) {
        assertTrue(String.valueOf(r.contentType()).startsWith("application/problem+json"),
                "expected a problem document, got " + r.contentType() + ": " + r.asString());
        assertEquals(r.statusCode(), r.jsonPath().getInt("status"));
    }
}
