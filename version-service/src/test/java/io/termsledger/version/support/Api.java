package io.termsledger.version.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request builders shared by the REST tests; every agreement key is unique per call. */
public final class Api {

    private Api() {
    }

    public static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> policy(int noticeDays) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("noticeDays", noticeDays);
        p.put("bindingRule", "ON_CONTINUED_USE");
        p.put("sealPrevails", true);
        p.put("acceptanceMethods", List.of("CLICK", "SEAL", "USE"));
        p.put("noticeMeasuredFrom", "ANNOUNCEMENT");
        p.put("noticePeriods", Map.of("DATA_CENTRE_MIGRATION", 7));
        return p;
    }

    public static Map<String, Object> general(String key, int noticeDays) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("key", key);
        a.put("title", "Terms " + key);
        a.put("provider", "Alibaba Cloud");
        a.put("scope", "GENERAL");
        a.put("timezone", "Asia/Shanghai");
        a.put("policy", policy(noticeDays));
        return a;
    }

    public static Map<String, Object> product(String key, String parentKey, int noticeDays) {
        Map<String, Object> a = general(key, noticeDays);
        a.put("scope", "PRODUCT");
        a.put("parentKey", parentKey);
        // a product has one set of product terms: each agreement of the tests covers a product of its own
        a.put("product", "ecs-" + key);
        return a;
    }

    public static ValidatableResponse register(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/agreements").then();
    }

    public static String registered(int noticeDays) {
        String key = key("terms");
        register(general(key, noticeDays)).statusCode(201);
        return key;
    }

    public static ValidatableResponse draft(String key, Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/agreements/{k}/versions", key).then();
    }

    public static int drafted(String key, String content) {
        return draft(key, Map.of("content", content)).statusCode(201).extract().path("version");
    }

    public static ValidatableResponse publish(String key, int n, Object body) {
        var spec = given().contentType(ContentType.JSON);
        if (body != null) {
            spec = spec.body(body);
        }
        return spec.post("/agreements/{k}/versions/{n}/publish", key, n).then();
    }

    public static ValidatableResponse withdraw(String key, int n, String reason) {
        return given().contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/agreements/{k}/versions/{n}/withdraw", key, n).then();
    }

    public static final String V1 = String.join("\n",
            "Cloud terms",
            "1. Service",
            "1.1 The provider offers cloud servers to the customer.",
            "1.2 Fees are listed on the order page and paid in advance.",
            "2. Changes",
            "2.1 Revisions are announced thirty days before they take effect.",
            "2.2 **Liability is limited to the fees of one year.**",
            "2.3 The law of the People's Republic of China applies.");

    public static final String V2 = String.join("\n",
            "Cloud terms",
            "1. Service",
            "1.1 The provider offers cloud servers to the customer.",
            "1.2 The customer keeps all rights to the data it uploads.",
            "1.3 Fees are listed on the order page and paid in advance.",
            "2. Changes",
            "2.1 Revisions are announced thirty days before they take effect.",
            "2.2 **Liability is limited to the fees of six months.**");
}
