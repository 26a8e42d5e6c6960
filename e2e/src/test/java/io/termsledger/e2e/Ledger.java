package io.termsledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The calls a sign-up flow, an admin and an auditor make, over HTTP against the stack. */
final class Ledger {

    static final String ECS = "aliyun-ecs-terms";

    final Stack stack;
    final Http http = new Http();
    final Events events;
    final String admin;
    final String writer;
    final String auditor;
    final String version;
    final String consent;
    final String notice;

    Ledger(Stack stack) {
        this.stack = stack;
        this.events = new Events(stack.kafka);
        // tokens carry the contract's roles whether or not a service checks them yet
        admin = stack.tokens.token("e2e-admin", "agreement-admin");
        writer = stack.tokens.token("e2e-signup-flow", "consent-writer");
        auditor = stack.tokens.token("e2e-auditor", "auditor");
        version = stack.url("version-service");
        consent = stack.url("consent-service");
        notice = stack.url("notice-service");
    }

    static ConditionFactory await(int seconds) {
        return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions();
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode agreement(String key) {
        return http.get(version + "/agreements/" + key, auditor).expect(200).body();
    }

    /** The current version of an agreement, as soon as version-service has it (seeds load at start). */
    JsonNode currentVersion(String key) {
        JsonNode[] v = new JsonNode[1];
        await(60).until(() -> {
            Http.Res r = http.get(version + "/agreements/" + key + "/versions/current", auditor);
            v[0] = r.body();
            return r.status() == 200;
        });
        return v[0];
    }

    /** POST /consents with a fresh Idempotency-Key; retried while consent-service does not know the version yet. */
    JsonNode accept(String user, String key, int v, String method, Map<String, Object> evidence) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", user);
        body.put("agreementKey", key);
        body.put("version", v);
        body.put("method", method);
        body.put("evidence", evidence);
        JsonNode[] out = new JsonNode[1];
        await(60).until(() -> {
            Http.Res r = http.post(consent + "/consents", writer, body, "Idempotency-Key", "e2e-" + UUID.randomUUID());
            if (r.status() == 422 && r.raw().matches("(?s).*unknown-(agreement|version).*")) {
                return false; // consent-service has not yet read the version from agreements.versions
            }
            out[0] = r.expect(201).body();
            return true;
        });
        return out[0];
    }

    JsonNode object(String user, String key, int v, String reason) {
        return http.post(consent + "/objections", writer,
                Map.of("userId", user, "agreementKey", key, "version", v, "reason", reason)).expect(201).body();
    }

    JsonNode useNow(String user, String key) {
        return http.post(consent + "/usage", writer, Map.of("userId", user, "agreementKey", key)).expect(202).body();
    }

    JsonNode status(String user, String key) {
        return http.get(consent + "/users/" + user + "/agreements/" + key + "/status", auditor).expect(200).body();
    }

    static String pendingState(JsonNode status, int v) {
        for (JsonNode p : status.path("pending")) {
            if (p.path("version").asInt() == v) {
                return p.path("state").asText();
            }
        }
        return null;
    }

    /** version-service's clause diff from version {@code a} to {@code b}. */
    JsonNode diff(String key, int a, int b) {
        return http.get(version + "/agreements/" + key + "/versions/" + a + "/diff/" + b, auditor).expect(200).body();
    }

    /** The latest published version (not a draft, not withdrawn): the one the next revision's notice is compared with. */
    JsonNode latestPublishedVersion(String key) {
        int latest = 0;
        for (JsonNode v : agreement(key).path("versions")) {
            String status = v.path("status").asText();
            if (!status.equals("DRAFT") && !status.equals("WITHDRAWN")) {
                latest = Math.max(latest, v.path("version").asInt());
            }
        }
        return http.get(version + "/agreements/" + key + "/versions/" + latest, auditor).expect(200).body();
    }

    /**
     * Drafts a revision of the latest published version whose clause {@code clauseId} gets
     * {@code edit} applied, and publishes it with the default lead time.
     */
    JsonNode publishRevision(String key, String clauseId, java.util.function.UnaryOperator<String> edit, String label) {
        JsonNode current = latestPublishedVersion(key);
        String content = current.path("content").asText();
        String before = null;
        for (JsonNode c : current.path("clauses")) {
            String text = c.path("text").asText();
            boolean unique = text.length() > 20 && content.indexOf(text) == content.lastIndexOf(text);
            if (clauseId == null ? before == null && unique : clauseId.equals(c.path("id").asText())) {
                before = text;
                clauseId = c.path("id").asText();
            }
        }
        if (before == null) {
            throw new AssertionError("clause " + clauseId + " not in " + key + " v" + current.path("version"));
        }
        String after = edit.apply(before);
        if (!content.contains(before) || after.equals(before)) {
            throw new AssertionError("cannot edit clause " + clauseId + " of " + key);
        }
        Map<String, Object> draft = Map.of("content", content.replace(before, after), "label", label,
                "changeSummary", "Clause " + clauseId + " reworded");
        JsonNode d = http.post(version + "/agreements/" + key + "/versions", admin, draft).expect(201).body();
        int n = d.path("version").asInt();
        return http.post(version + "/agreements/" + key + "/versions/" + n + "/publish", admin, null).expect(200).body();
    }

    /** Moves the stack's time forward and waits until every service follows. */
    void advanceClock(String by) {
        JsonNode r = http.post(version + "/admin/clock", admin, Map.of("advanceBy", by)).expect(200).body();
        Duration offset = Duration.parse(r.path("offset").asText());
        for (String url : List.of(consent, notice)) {
            await(30).until(() -> Duration.parse(http.get(url + "/admin/clock", auditor).expect(200).body()
                    .path("offset").asText()).compareTo(offset) >= 0);
        }
    }

    Instant now(String serviceUrl) {
        return Instant.parse(http.get(serviceUrl + "/admin/clock", auditor).expect(200).body().path("now").asText());
    }

    /** The REVISION notice for version {@code to} of an agreement, once notice-service issued it. */
    JsonNode revisionNotice(String key, int to) {
        JsonNode[] n = new JsonNode[1];
        await(60).until(() -> {
            for (JsonNode x : http.get(notice + "/notices?agreementKey=" + key + "&type=REVISION", auditor).expect(200).body()) {
                if (x.path("toVersion").asInt() == to) {
                    n[0] = x;
                    return true;
                }
            }
            return false;
        });
        return n[0];
    }

    JsonNode notice(String id) {
        return http.get(notice + "/notices/" + id, auditor).expect(200).body();
    }

    /** Every delivery of a notice (all pages), or one user's. */
    List<JsonNode> deliveries(String noticeId, String user) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode p = http.get(notice + "/notices/" + noticeId + "/deliveries?size=500&page=" + page
                    + (user == null ? "" : "&userId=" + user), auditor).expect(200).body();
            p.path("items").forEach(all::add);
            if (p.path("items").size() < 500) {
                return all;
            }
        }
    }

    JsonNode population(String key) {
        return http.get(consent + "/agreements/" + key + "/population", auditor).expect(200).body();
    }

    static long governing(JsonNode population, int v) {
        for (JsonNode g : population.path("governing")) {
            if (g.path("version").asInt(-1) == v) {
                return g.path("users").asLong();
            }
        }
        return 0;
    }

    static long pending(JsonNode population, int v, String state) {
        for (JsonNode g : population.path("pending")) {
            if (g.path("version").asInt() == v && state.equals(g.path("state").asText())) {
                return g.path("users").asLong();
            }
        }
        return 0;
    }

    static Map<String, Object> clickEvidence(String sha) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("documentSha256", sha);
        e.put("channel", "web");
        e.put("ip", "203.0.113.7");
        e.put("userAgent", "Mozilla/5.0 (e2e)");
        e.put("locale", "zh-CN");
        return e;
    }

    static Map<String, Object> sealEvidence(String sha, String docNo) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("documentSha256", sha);
        e.put("sealDocumentNo", docNo);
        e.put("sealScanSha256", "ab".repeat(32));
        e.put("sealOrganisation", "杭州示例科技有限公司");
        return e;
    }

    ObjectNode proof(String user) {
        return (ObjectNode) http.get(consent + "/users/" + user + "/proof", auditor).expect(200).body();
    }
}
