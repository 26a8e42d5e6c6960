package io.termsledger.consent.support;

import static org.awaitility.Awaitility.await;

import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Feeds agreements.versions with the exact docs/events.md payloads (as version-service
 * sends them) and waits until the read model has applied them.
 */
@ApplicationScoped
public class Agreements {

    @Inject
    AgreementRepository repository;

    /** Now, whole seconds (the database keeps microseconds; tests compare instants exactly). */
    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agreement object of agreement.registered.v1. */
    public static String agreementJson(String key, String scope, String parentKey, String product, int noticeDays,
                                       String bindingRule, boolean sealPrevails, String methods, String measuredFrom) {
        return "{\"agreementKey\": \"" + key + "\", \"title\": \"Terms " + key + "\", \"provider\": \"Test Provider\","
                + " \"scope\": \"" + scope + "\", \"parentKey\": " + q(parentKey) + ", \"product\": " + q(product) + ","
                + " \"timezone\": \"Asia/Shanghai\","
                + " \"policy\": {\"noticeDays\": " + noticeDays + ", \"bindingRule\": \"" + bindingRule + "\","
                + " \"sealPrevails\": " + sealPrevails + ", \"acceptanceMethods\": [" + methods + "],"
                + " \"noticeMeasuredFrom\": \"" + measuredFrom + "\", \"noticePeriods\": {\"DATA_CENTRE_MIGRATION\": 7}},"
                + " \"registeredAt\": \"2026-01-01T00:00:00Z\"}";
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** A registered agreement, its agreement object (for later publications) and the content hash of version 1. */
    public record Registered(String key, String json, String sha1) {
    }

    /**
     * Registers a general agreement that accepts CLICK and USE (notice measured from the
     * announcement) under a unique key with {@code prefix}, and publishes version 1 with
     * notice and effect at {@code since}.
     */
    public Registered generalWithVersionOne(String prefix, int noticeDays, String bindingRule, boolean sealPrevails,
                                            Instant since) {
        return generalWithVersionOne(prefix, noticeDays, bindingRule, sealPrevails, "\"CLICK\", \"USE\"", since);
    }

    /** {@link #generalWithVersionOne(String, int, String, boolean, Instant)} accepting {@code methods} (JSON list items). */
    public Registered generalWithVersionOne(String prefix, int noticeDays, String bindingRule, boolean sealPrevails,
                                            String methods, Instant since) {
        String key = unique(prefix);
        return withVersionOne(key, agreementJson(key, "GENERAL", null, null, noticeDays, bindingRule, sealPrevails,
                methods, "ANNOUNCEMENT"), since);
    }

    /** Registers the agreement and publishes its version 1, announced and effective at {@code since}. */
    public Registered withVersionOne(String key, String agreementJson, Instant since) {
        register(key, agreementJson);
        return new Registered(key, agreementJson, publish(key, agreementJson, 1, since, since, null));
    }

    /**
     * A general agreement ({@code prefix}, 7 days' notice, ON_EFFECTIVE_DATE) whose version 1 took effect 40 days
     * ago, which {@code user} clicked a day ago; its key.
     */
    public String clickedVersionOne(String prefix, String user) {
        String key = generalWithVersionOne(prefix, 7, "ON_EFFECTIVE_DATE", false, Instant.now().minus(Duration.ofDays(40)))
                .key();
        Api.accept(user, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
        return key;
    }

    public void register(String key, String agreementJson) {
        send(key, "agreement.registered.v1", key, agreementJson);
        await().atMost(Duration.ofSeconds(30)).until(() -> repository.find(key).isPresent());
    }

    /** Publishes version n; returns its content hash. */
    public String publish(String key, String agreementJson, int version, Instant noticeAt, Instant effectiveAt,
                          Integer previousVersion) {
        String sha = sha(key + " version " + version);
        String data = "{\"agreementKey\": \"" + key + "\", \"version\": " + version + ", \"label\": \"v" + version + "\","
                + " \"changeSummary\": \"test revision\", \"imported\": false, \"agreement\": " + agreementJson + ","
                + " \"noticeAt\": \"" + noticeAt + "\", \"effectiveAt\": \"" + effectiveAt + "\","
                + " \"contentSha256\": \"" + sha + "\", \"previousVersion\": " + previousVersion + ","
                + " \"clauses\": [{\"id\": \"1.1\", \"heading\": \"Scope\", \"text\": \"Clause text\", \"highlighted\": false}]}";
        send(key, "agreement.version.published.v1", key + "/versions/" + version, data);
        await().atMost(Duration.ofSeconds(30)).until(() -> repository.version(key, version).isPresent());
        return sha;
    }

    public void withdraw(String key, int version, Instant withdrawnAt, Instant noticeAt, Instant effectiveAt) {
        String data = "{\"agreementKey\": \"" + key + "\", \"version\": " + version + ", \"reason\": \"mistake\","
                + " \"withdrawnAt\": \"" + withdrawnAt + "\", \"noticeAt\": \"" + noticeAt + "\", \"effectiveAt\": \""
                + effectiveAt + "\"}";
        send(key, "agreement.version.withdrawn.v1", key + "/versions/" + version, data);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> repository.version(key, version).map(v -> v.withdrawnAt() != null).orElse(false));
    }

    public static void send(String key, String type, String subject, String data) {
        Map<String, String> headers = new HashMap<>(TestKafka.ceHeaders(UUID.randomUUID().toString(), type));
        headers.put("ce_subject", subject);
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_source", "/version-service");
        TestKafka.send(Topics.AGREEMENT_VERSIONS, key, headers, data);
    }
}
