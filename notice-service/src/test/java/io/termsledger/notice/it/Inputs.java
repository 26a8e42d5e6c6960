package io.termsledger.notice.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Input events exactly as docs/events.md shows them, sent to the real broker. Every
 * method returns the ce_id it used, so a test can send the same event again.
 */
final class Inputs {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Inputs() {
    }

    static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> agreement(String key, int noticeDays, String measuredFrom, Map<String, Integer> periods) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("noticeDays", noticeDays);
        policy.put("bindingRule", "ON_CONTINUED_USE");
        policy.put("sealPrevails", true);
        policy.put("acceptanceMethods", List.of("CLICK", "SEAL", "USE"));
        policy.put("noticeMeasuredFrom", measuredFrom);
        policy.put("noticePeriods", periods);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("agreementKey", key);
        a.put("title", "Test terms " + key);
        a.put("provider", "Alibaba Cloud");
        a.put("scope", "GENERAL");
        a.put("parentKey", null);
        a.put("product", null);
        a.put("timezone", "Asia/Shanghai");
        a.put("policy", policy);
        a.put("registeredAt", "2026-11-25T08:00:00Z");
        return a;
    }

    static Map<String, Object> clause(String id, String text, boolean highlighted) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("heading", null);
        c.put("text", text);
        c.put("highlighted", highlighted);
        return c;
    }

    static List<Map<String, Object>> clausesV1() {
        return List.of(clause("1", "本协议适用于您使用的全部云服务。", false),
                clause("3.1.1", "我们修改本协议时将提前30日公告。", false),
                clause("8.4", "我们对间接损失不承担责任。", true));
    }

    static List<Map<String, Object>> clausesV2() {
        return List.of(clause("1", "本协议适用于您使用的全部云服务。", false),
                clause("3.1.1", "我们修改本协议时将提前30日以网站公告方式通知您。", false),
                clause("8.4", "我们对任何间接损失或利润损失均不承担责任。", true),
                clause("9.1", "数据将在服务终止后保留7个自然日。", false));
    }

    static String register(Map<String, Object> agreement) {
        return send(Topics.AGREEMENT_VERSIONS, (String) agreement.get("agreementKey"), UUID.randomUUID().toString(),
                "agreement.registered.v1", null, agreement);
    }

    /** Registers the agreement and publishes its version 1, noticed and in effect at {@code v1At}. */
    static void registerWithVersionOne(Map<String, Object> agreement, Instant v1At) {
        register(agreement);
        publish(published(agreement, 1, null, v1At, v1At, clausesV1(), false), UUID.randomUUID().toString());
    }

    static Map<String, Object> published(Map<String, Object> agreement, int version, Integer previous,
                                         Instant noticeAt, Instant effectiveAt, List<Map<String, Object>> clauses,
                                         boolean imported) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("agreementKey", agreement.get("agreementKey"));
        p.put("version", version);
        p.put("label", "v" + version);
        p.put("changeSummary", "revision " + version);
        p.put("imported", imported);
        p.put("agreement", agreement);
        p.put("noticeAt", noticeAt.toString());
        p.put("effectiveAt", effectiveAt.toString());
        p.put("contentSha256", "ab".repeat(32));
        p.put("previousVersion", previous);
        p.put("clauses", clauses);
        return p;
    }

    static String publish(Map<String, Object> published, String ceId) {
        String key = (String) published.get("agreementKey");
        return send(Topics.AGREEMENT_VERSIONS, key, ceId, "agreement.version.published.v1",
                key + "/versions/" + published.get("version"), published);
    }

    static String withdraw(String key, int version, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("agreementKey", key);
        w.put("version", version);
        w.put("reason", "published by mistake");
        w.put("withdrawnAt", withdrawnAt.toString());
        w.put("noticeAt", noticeAt.toString());
        w.put("effectiveAt", effectiveAt.toString());
        return send(Topics.AGREEMENT_VERSIONS, key, UUID.randomUUID().toString(), "agreement.version.withdrawn.v1",
                key + "/versions/" + version, w);
    }

    static Map<String, Object> bound(String userId, String key, int version, Integer previous, Instant since) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("userId", userId);
        b.put("agreementKey", key);
        b.put("version", version);
        b.put("previousVersion", previous);
        b.put("basis", "CLICK");
        b.put("since", since.toString());
        return b;
    }

    /** {@link #agreement} as the PRODUCT terms of the product {@code key + "-product"}. */
    static Map<String, Object> productTerms(String key, int noticeDays, String measuredFrom) {
        Map<String, Object> a = agreement(key, noticeDays, measuredFrom, Map.of());
        a.put("scope", "PRODUCT");
        a.put("product", key + "-product");
        return a;
    }

    /** consent.product-used.v1: {@code userId} uses the product the agreement {@code key} covers. */
    static String productUsed(String userId, String key, String product, Instant firstUsedAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", userId);
        data.put("agreementKey", key);
        data.put("product", product);
        data.put("firstUsedAt", firstUsedAt.toString());
        return send(Topics.CONSENT_EVENTS, userId, UUID.randomUUID().toString(), "consent.product-used.v1", null, data);
    }

    static String bind(Map<String, Object> bound, String ceId) {
        return send(Topics.CONSENT_EVENTS, (String) bound.get("userId"), ceId, "consent.bound.v1", null, bound);
    }

    static String send(String topic, String key, String ceId, String type, String subject, Object data) {
        Map<String, String> headers = new LinkedHashMap<>(TestKafka.ceHeaders(ceId, type));
        headers.put("ce_time", Instant.now().toString());
        if (subject != null) {
            headers.put("ce_subject", subject);
        }
        try {
            TestKafka.send(topic, key, headers, JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ceId;
    }
}
