package io.termsledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of the benchmark that are not load: creates and publishes the bench agreement and
 * loads facts through the NDJSON import. bench/run calls it around the measured phases, which it
 * drives with wrk (bench/wrk/). Not a test: see bench/README.md.
 *
 * <p>Phases ({@code --phases=setup,load}, default {@code setup}): {@code setup} registers and
 * publishes a fresh agreement and waits until consent-service accepts consents to it (skipped
 * when {@code --agreement=KEY} names one loaded earlier); either way it prints
 * {@code agreement KEY ready in consent-service}. {@code load} brings the agreement to
 * {@code --facts} facts through {@code POST /consents/import} and waits for the projection sweep.
 */
public final class ConsentBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PHASES = Set.of("setup", "load");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> opts;
    private final String versionUrl;
    private final String consentUrl;
    private final String agreementKey;
    private final int users;

    private ConsentBench(Map<String, String> opts) {
        this.opts = opts;
        this.versionUrl = opts.getOrDefault("version-url", "http://127.0.0.1:8081");
        this.consentUrl = opts.getOrDefault("consent-url", "http://127.0.0.1:8082");
        this.users = Integer.parseInt(opts.getOrDefault("users", "200000"));
        this.agreementKey = opts.getOrDefault("agreement", "bench-" + Long.toString(System.currentTimeMillis(), 36));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        new ConsentBench(opts).run();
    }

    private void run() throws Exception {
        long facts = Long.parseLong(opts.getOrDefault("facts", "1000000"));
        Set<String> phases = Set.of(opts.getOrDefault("phases", "setup").split(","));
        for (String p : phases) {
            if (!PHASES.contains(p)) {
                throw new IllegalArgumentException("unknown phase '" + p + "': ConsentBench does " + PHASES
                        + "; bench/run measures consents and status with wrk");
            }
        }
        if (!opts.containsKey("agreement")) {
            setUpAgreement();
        }
        System.out.printf("agreement %s ready in consent-service%n", agreementKey);

        if (phases.contains("load")) {
            long loaded = loadFacts(facts);
            System.out.printf("facts loaded for %s: %d%n", agreementKey, loaded);
            long t0 = System.nanoTime();
            // imported users are re-evaluated by the sweep; measure status once the projection is current
            expect(200, post(consentUrl + "/admin/projection/sweep", Map.of(), null, Duration.ofMinutes(30)));
            System.out.printf("projection sweep after the import: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    // --- phases ---------------------------------------------------------------

    private void setUpAgreement() throws Exception {
        Map<String, Object> policy = Map.of("noticeDays", 0, "bindingRule", "ON_CONTINUED_USE", "sealPrevails", true,
                "acceptanceMethods", List.of("CLICK", "SEAL", "USE"), "noticeMeasuredFrom", "ANNOUNCEMENT");
        Map<String, Object> agreement = Map.of("key", agreementKey, "title", "Benchmark terms",
                "provider", "bench", "scope", "GENERAL", "policy", policy);
        // the first call has been answered 401 right after the token was minted: retry that a few times
        HttpResponse<String> res = post(versionUrl + "/agreements", agreement, null);
        for (int attempt = 1; res.statusCode() == 401 && attempt < 5; attempt++) {
            System.err.printf("POST /agreements answered 401 (%s); retrying in 1 s%n", describe401(res));
            Thread.sleep(1_000);
            res = post(versionUrl + "/agreements", agreement, null);
        }
        if (res.statusCode() == 401) {
            throw new IllegalStateException("POST /agreements still answered 401 after 5 attempts (" + describe401(res)
                    + "); check the token (--token, from deploy/local/token) and the services' LEDGER_JWT_* settings");
        }
        expect(201, res);
        expect(201, post(versionUrl + "/agreements/" + agreementKey + "/versions",
                Map.of("content", "1. Terms\n1.1 The service is provided as is.\n"), null));
        expect(200, post(versionUrl + "/agreements/" + agreementKey + "/versions/1/publish", Map.of(), null));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int last = 0;
        while (System.nanoTime() < end) {
            last = postConsent();
            if (last == 201) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("consent-service did not learn of " + agreementKey
                + " within 60 s (POST /consents last answered " + last + ")");
    }

    private int postConsent() throws Exception {
        int u = ThreadLocalRandom.current().nextInt(users);
        Map<String, Object> body = Map.of("userId", "bench-user-" + u, "agreementKey", agreementKey, "version", 1,
                "method", "CLICK", "evidence", Map.of("channel", "web", "ip", "198.51.100." + (u % 250),
                        "userAgent", "bench/1", "locale", "zh-CN"));
        return post(consentUrl + "/consents", body, UUID.randomUUID().toString()).statusCode();
    }

    /** Brings the ledger to {@code target} facts through the NDJSON import, in chunks. */
    private long loadFacts(long target) throws Exception {
        int chunk = 5_000;
        long sent = 0;
        long started = System.nanoTime();
        // a little in the past (clear of the future check), but not before the notice of a version just published
        Instant at = Instant.now().minusSeconds(5);
        HttpResponse<String> v1 = http.send(request(versionUrl + "/agreements/" + agreementKey + "/versions/1")
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        expect(200, v1);
        Instant notice = Instant.parse(JSON.readTree(v1.body()).path("noticeAt").asText());
        if (at.isBefore(notice)) {
            at = notice;
        }
        while (sent < target) {
            StringBuilder nd = new StringBuilder(chunk * 200);
            for (int i = 0; i < chunk && sent < target; i++, sent++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "ACCEPTED");
                line.put("userId", "bench-user-" + (sent % users));
                line.put("agreementKey", agreementKey);
                line.put("version", 1);
                line.put("method", "CLICK");
                line.put("occurredAt", at.toString());
                line.put("evidence", Map.of("channel", "import"));
                nd.append(JSON.writeValueAsString(line)).append('\n');
            }
            HttpRequest req = request(consentUrl + "/consents/import")
                    .header("Content-Type", "application/x-ndjson").header("Accept", "application/json")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofString(nd.toString())).build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new IllegalStateException("import failed: " + res.statusCode() + " " + res.body());
            }
            if (sent % 100_000 == 0) {
                System.out.printf("  loaded %d facts (%.0f facts/s)%n", sent, sent / ((System.nanoTime() - started) / 1e9));
            }
        }
        return sent;
    }

    // --- http -----------------------------------------------------------------

    private HttpResponse<String> post(String url, Object body, String idempotencyKey) throws Exception {
        return post(url, body, idempotencyKey, Duration.ofSeconds(30));
    }

    private HttpResponse<String> post(String url, Object body, String idempotencyKey, Duration timeout) throws Exception {
        HttpRequest.Builder b = request(url).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request carrying the bearer token given with --token, if any. */
    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        String token = opts.get("token");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String describe401(HttpResponse<String> res) {
        String challenge = res.headers().firstValue("WWW-Authenticate").map(v -> "WWW-Authenticate: " + v)
                .orElse("no WWW-Authenticate header");
        String body = res.body() == null || res.body().isBlank() ? "empty body" : "body: " + res.body().strip();
        return challenge + ", " + body;
    }

    private static void expect(int status, HttpResponse<String> res) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.request().uri() + " answered " + res.statusCode() + ": " + res.body());
        }
    }
}
