package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A malformed-input sweep generated from the OpenAPI document. For every operation it sends a NUL
 * character ({@code %00}) and percent-encoded bytes that are not UTF-8 in the query and in the path
 * parameters (a 400 problem before routing). For every operation with a JSON body: broken JSON, the
 * wrong shape, a member named twice, every field with the wrong type, a bad enum value, an invalid
 * date, a date outside years 0001-9999, a huge string, a string holding a NUL and one holding an
 * unpaired surrogate; it asserts a 4xx problem document, never a 5xx, for each (a 400 naming the
 * field for the doubled member, the dates out of range and the surrogate). Query parameters get values of the wrong form: an {@code at}
 * outside years 0001-9999, an integer parameter beyond {@code int} or as a word (a 400 naming the
 * parameter), and the largest {@code int} (never a 5xx).
 */
public abstract class MalformedInputContract {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    protected Map<String, String> pathValues() {
        return Map.of("userId", "sweep-user", "key", "sweep-agreement", "n", "1", "a", "1", "b", "2",
                "id", UUID.randomUUID().toString(), "version", "1");
    }

    @TestFactory
    Stream<DynamicTest> sweep() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpenApiOperations.Operation op : OpenApiOperations.all()) {
            tests.add(nulInUrl(op, op.concretePath(pathValues()) + "?nul=a%00b", "a NUL in the query"));
            tests.add(nulInUrl(op, op.concretePath(pathValues()) + "?text=%C3%A9%FF", "bytes that are not UTF-8 in the query"));
            if (op.path().contains("{")) {
                tests.add(nulInUrl(op, op.concretePath(Map.of()).replace("/x", "/x%00y"), "a NUL in each path parameter"));
                tests.add(nulInUrl(op, op.concretePath(Map.of()).replace("/x", "/%ED%A0%80x"),
                        "an encoded surrogate (not UTF-8) in each path parameter"));
            }
            for (JsonNode param : op.document().path("paths").path(op.path()).path(op.method()).path("parameters")) {
                if (!"query".equals(param.path("in").asText())) {
                    continue;
                }
                String name = param.path("name").asText();
                if ("at".equals(name)) {
                    for (String at : List.of("+10000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z")) {
                        tests.add(namedInQuery(op, name, at, "an instant outside years 0001-9999"));
                    }
                } else if ("integer".equals(OpenApiOperations.type(param.path("schema")))) {
                    tests.add(namedInQuery(op, name, "99999999999", "a number beyond int"));
                    tests.add(namedInQuery(op, name, "seven", "a word"));
                    tests.add(lenientInQuery(op, name, "2147483647", "the largest int"));
                }
            }
            if (op.bodySchema() == null) {
                continue;
            }
            String path = op.concretePath(pathValues());
            tests.add(strict(op, path, "not JSON", "{\"unterminated\": "));
            tests.add(strict(op, path, "array instead of object", "[1, 2]"));
            // read as its first value, the rest ignored: an import line of two facts recorded one
            tests.add(malformed(op, path, "a second value after the object", sample(op) + " " + sample(op)));
            tests.add(strict(op, path, "unknown field", withField(sample(op), "surelyNotAField", F.textNode("x"))));
            tests.add(lenient(op, path, "empty object", "{}"));
            ObjectNode sample = sample(op);
            if (sample.size() > 0) {
                // read as the last, the body would mean what another reader of it (a gateway, a log) does not
                String first = sample.fieldNames().next();
                String doubled = "{" + F.textNode(first) + ": " + sample.get(first) + ", " + sample.toString().substring(1);
                tests.add(named(op, path, "'" + first + "'", "named twice", doubled));
            }
            JsonNode props = op.bodySchema().path("properties");
            Iterator<String> names = props.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonNode schema = OpenApiOperations.resolve(op.document(), props.get(name));
                String type = OpenApiOperations.type(schema);
                ObjectNode base = sample(op);
                switch (type) {
                    case "string" -> {
                        tests.add(strict(op, path, name + " as object", withField(base, name, F.objectNode().put("x", 1))));
                        if (schema.has("enum")) {
                            tests.add(strict(op, path, name + " bad enum", withField(base, name, F.textNode("NOT_A_VALUE"))));
                            // Jackson would take a number as the index of a constant
                            tests.add(named(op, path, name, "as a number", withField(base, name, F.numberNode(1))));
                        } else if ("date-time".equals(schema.path("format").asText())) {
                            tests.add(strict(op, path, name + " invalid date", withField(base, name, F.textNode("2026-13-45T99:00:00Z"))));
                            // PostgreSQL stores neither; refused on the way in, naming the field
                            tests.add(named(op, path, name, "after year 9999", withField(base, name, F.textNode("+10000-01-01T00:00:00Z"))));
                            tests.add(named(op, path, name, "before year 1", withField(base, name, F.textNode("-5000-01-01T00:00:00Z"))));
                        } else {
                            tests.add(lenient(op, path, name + " huge string", withField(base, name, F.textNode("x".repeat(200_000)))));
                            // PostgreSQL cannot store or compare it: refused, or escaped into stored JSON, never a 5xx
                            tests.add(lenient(op, path, name + " with a NUL character", withField(base, name, F.textNode("sweep\u0000nul"))));
                            // not Unicode text: UTF-8 cannot encode it, and the driver would store '?' in its place
                            // (sent as the JSON escape: encoded to UTF-8 here, the character itself would become '?')
                            tests.add(named(op, path, name, "with an unpaired surrogate",
                                    withField(base, name, F.textNode("sweep-surrogate")).replace("sweep-surrogate", "sweep\\ud800")));
                        }
                    }
                    case "integer", "number" -> {
                        tests.add(strict(op, path, name + " as text", withField(base, name, F.textNode("twelve"))));
                        if ("integer".equals(type)) {
                            // Jackson would drop the fraction
                            tests.add(named(op, path, name, "with a fraction", withField(base, name, F.numberNode(1.5))));
                        }
                        tests.add(lenient(op, path, name + " huge number", withField(base, name, F.numberNode(new java.math.BigInteger("9".repeat(40))))));
                    }
                    case "boolean" -> tests.add(strict(op, path, name + " as text", withField(base, name, F.textNode("maybe"))));
                    case "array" -> tests.add(strict(op, path, name + " as object", withField(base, name, F.objectNode())));
                    case "object" -> tests.add(strict(op, path, name + " as array", withField(base, name, F.arrayNode().add(1))));
                    default -> tests.add(lenient(op, path, name + " as null", withField(base, name, F.nullNode())));
                }
            }
        }
        return tests.stream();
    }

    /** The input is wrong: the answer must be a 4xx problem. */
    private static DynamicTest strict(OpenApiOperations.Operation op, String path, String what, String body) {
        return DynamicTest.dynamicTest(op.key() + ": " + what, () -> refused(op, path, what, body));
    }

    /**
     * Refused as malformed JSON, whatever else the body says (the sample alone may be refused for other
     * reasons): a 400 {@code malformed-json}, or, for an NDJSON import, its line reported so.
     */
    private static DynamicTest malformed(OpenApiOperations.Operation op, String path, String what, String body) {
        return DynamicTest.dynamicTest(op.key() + ": " + what, () -> {
            Response r = refused(op, path, what, body);
            assertTrue(r.asString().contains("malformed-json"), op.key() + " with " + what + " answered "
                    + abbreviate(r.asString()));
        });
    }

    /** Sends the body and asserts a 4xx problem; returns the answer. */
    private static Response refused(OpenApiOperations.Operation op, String path, String what, String body) {
        Response r = send(op, path, body);
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500,
                op.key() + " with " + what + " answered " + r.statusCode() + ": " + abbreviate(r.asString()));
        RoleMatrixContract.assertProblem(r);
        return r;
    }

    /** The field's value is wrong: a 400 problem whose detail names the field. */
    private static DynamicTest named(OpenApiOperations.Operation op, String path, String field, String what, String body) {
        return DynamicTest.dynamicTest(op.key() + ": " + field + " " + what, () -> {
            Response r = send(op, path, body);
            assertEquals(400, r.statusCode(), op.key() + " with " + field + " " + what + " answered " + r.statusCode()
                    + ": " + abbreviate(r.asString()));
            RoleMatrixContract.assertProblem(r);
            assertTrue(r.jsonPath().getString("detail").contains(field), "the problem names " + field + ": " + r.asString());
        });
    }

    /** A query parameter's value is wrong: a 400 problem naming the parameter. */
    private DynamicTest namedInQuery(OpenApiOperations.Operation op, String param, String value, String what) {
        return DynamicTest.dynamicTest(op.key() + ": query " + param + " " + what, () -> {
            Response r = sendWithQuery(op, param, value);
            assertEquals(400, r.statusCode(), op.key() + " with " + param + "=" + value + " answered " + r.statusCode()
                    + ": " + abbreviate(r.asString()));
            RoleMatrixContract.assertProblem(r);
            assertEquals(param, r.jsonPath().getString("field"), r.asString());
        });
    }

    /** A query parameter's value may or may not be acceptable: never a 5xx, and a refusal is a problem. */
    private DynamicTest lenientInQuery(OpenApiOperations.Operation op, String param, String value, String what) {
        return DynamicTest.dynamicTest(op.key() + ": query " + param + " " + what, () -> {
            Response r = sendWithQuery(op, param, value);
            assertTrue(r.statusCode() < 500, op.key() + " with " + param + "=" + value + " answered " + r.statusCode()
                    + ": " + abbreviate(r.asString()));
            if (r.statusCode() >= 400) {
                RoleMatrixContract.assertProblem(r);
            }
        });
    }

    private Response sendWithQuery(OpenApiOperations.Operation op, String param, String value) {
        return given().header("Idempotency-Key", UUID.randomUUID().toString()).contentType("application/json")
                .body(op.bodySchema() == null ? "{}" : sample(op).toString()).queryParam(param, value)
                .request(op.method().toUpperCase(), op.concretePath(pathValues()));
    }

    /** The input may or may not be acceptable: never a 5xx, and a refusal is a problem. */
    private static DynamicTest lenient(OpenApiOperations.Operation op, String path, String what, String body) {
        return DynamicTest.dynamicTest(op.key() + ": " + what, () -> {
            Response r = send(op, path, body);
            assertTrue(r.statusCode() < 500, op.key() + " with " + what + " answered " + r.statusCode() + ": "
                    + abbreviate(r.asString()));
            if (r.statusCode() >= 400) {
                RoleMatrixContract.assertProblem(r);
            }
        });
    }

    /**
     * A NUL character ({@code %00}) or percent-encoded bytes that are not UTF-8 in the URL, sent as is
     * (not encoded again): refused with the 400 problem before anything is looked up.
     */
    private DynamicTest nulInUrl(OpenApiOperations.Operation op, String url, String what) {
        return DynamicTest.dynamicTest(op.key() + ": " + what, () -> {
            Response r = given().urlEncodingEnabled(false).header("Idempotency-Key", UUID.randomUUID().toString())
                    .contentType("application/json").body(op.bodySchema() == null ? "{}" : sample(op).toString())
                    .request(op.method().toUpperCase(), url);
            assertEquals(400, r.statusCode(), op.key() + " with " + what + " (" + url + ") answered " + r.statusCode()
                    + ": " + abbreviate(r.asString()));
            RoleMatrixContract.assertProblem(r);
        });
    }

    private static Response send(OpenApiOperations.Operation op, String path, String body) {
        return given().header("Idempotency-Key", UUID.randomUUID().toString()).contentType("application/json")
                .body(body).request(op.method().toUpperCase(), path);
    }

    /** A body with every property set to a plausible value of its type. */
    private static ObjectNode sample(OpenApiOperations.Operation op) {
        ObjectNode o = F.objectNode();
        JsonNode props = op.bodySchema().path("properties");
        Iterator<String> names = props.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode schema = OpenApiOperations.resolve(op.document(), props.get(name));
            o.set(name, plausible(schema));
        }
        return o;
    }

    private static JsonNode plausible(JsonNode schema) {
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        return switch (OpenApiOperations.type(schema)) {
            case "string" -> "date-time".equals(schema.path("format").asText()) ? F.textNode(Instant.now().toString())
                    : F.textNode("sweep");
            case "integer", "number" -> F.numberNode(1);
            case "boolean" -> F.booleanNode(true);
            case "array" -> F.arrayNode();
            default -> F.objectNode();
        };
    }

    private static String withField(ObjectNode base, String name, JsonNode value) {
        ObjectNode copy = base.deepCopy();
        copy.set(name, value);
        try {
            return JSON.writeValueAsString(copy);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
