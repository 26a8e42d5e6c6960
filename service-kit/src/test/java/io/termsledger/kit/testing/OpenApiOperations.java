package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operations of the service's own OpenAPI document, for generated tests. */
public final class OpenApiOperations {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    /** One operation: method, path template, and the JSON body schema (resolved) or null. */
    public record Operation(String method, String path, JsonNode bodySchema, JsonNode document) {
        public String key() {
            return method.toUpperCase() + " " + path;
        }

        /** The path with each {param} replaced by a value from {@code values}, else "x". */
        public String concretePath(Map<String, String> values) {
            String p = path;
            int open;
            while ((open = p.indexOf('{')) >= 0) {
                int close = p.indexOf('}', open);
                String name = p.substring(open + 1, close);
                p = p.substring(0, open) + values.getOrDefault(name, "x") + p.substring(close + 1);
            }
            return p;
        }
    }

    private OpenApiOperations() {
    }

    public static JsonNode document() {
        String json = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Operation> all() {
        JsonNode doc = document();
        List<Operation> ops = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                if (!METHODS.contains(m.getKey())) {
                    continue;
                }
                JsonNode schema = m.getValue().path("requestBody").path("content").path("application/json").path("schema");
                ops.add(new Operation(m.getKey(), p.getKey(), schema.isMissingNode() ? null : resolve(doc, schema), doc));
            }
        }
        return ops;
    }

    /** Follows {@code $ref}, {@code allOf[0]} and nullable wrappers to the schema that describes the value. */
    public static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s != null; i++) {
            if (s.has("$ref")) {
                String ref = s.get("$ref").asText();
                s = doc.at(ref.substring(1));
            } else if (s.has("allOf") && !s.has("properties")) {
                s = s.get("allOf").get(0);
            } else if (s.has("anyOf") && !s.has("properties")) {
                s = firstNonNull(s.get("anyOf"));
            } else if (s.has("oneOf") && !s.has("properties")) {
                s = firstNonNull(s.get("oneOf"));
            } else {
                return s;
            }
        }
        return s;
    }

    private static JsonNode firstNonNull(JsonNode options) {
        for (JsonNode o : options) {
            if (!"null".equals(o.path("type").asText())) {
                return o;
            }
        }
        return options.get(0);
    }

    /** The schema's type, taking the first non-null one of a type array. */
    public static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
            return "null";
        }
        if (t.isMissingNode() && schema.has("properties")) {
            return "object";
        }
        if (t.isMissingNode() && schema.has("enum")) {
            return "string";
        }
        return t.asText("");
    }
}
