package io.termsledger.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three packaged services started as processes, the way deploy/local/up runs them:
 * fast-jar, `local` profile, seeds loaded, against the real PostgreSQL and the e2e Kafka
 * broker that deploy/local/test starts. Databases `*_e2e` are recreated by that script.
 */
final class Stack implements AutoCloseable {

    static final List<String> SERVICES = List.of("version-service", "consent-service", "notice-service");

    final Path root = Path.of(System.getProperty("ledger.root", "..")).toAbsolutePath().normalize();
    final String kafka = env("E2E_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:29092");
    final Tokens tokens;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    final Path logs;
    private final Path publicKey;

    Stack() throws Exception {
        tokens = new Tokens();
        logs = root.resolve("e2e/target/stack-logs");
        Files.createDirectories(logs);
        publicKey = tokens.writePublicKey(logs);
        for (String s : SERVICES) {
            ports.put(s, freePort());
        }
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    void start() throws Exception {
        for (String s : SERVICES) {
            start(s);
        }
        for (String s : SERVICES) {
            awaitReady(s, Duration.ofSeconds(120));
        }
    }

    void start(String service) throws IOException {
        Path jar = root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_PROFILE", "local");
        env.put("PORT", String.valueOf(ports.get(service)));
        env.put("LEDGER_DB_NAME", service.replace('-', '_') + "_e2e");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("LEDGER_KAFKA_GROUP_PREFIX", "e2e-" + service);
        env.put("LEDGER_SEEDS_DIR", root.resolve("seeds").toString());
        env.put("LEDGER_JWT_PUBLIC_KEY", publicKey.toUri().toString());
        env.put("LEDGER_JWT_ISSUER", Tokens.ISSUER);
        env.put("LEDGER_JWT_AUDIENCE", Tokens.AUDIENCE);
        env.put("LEDGER_CLOCK_TOPIC", "ledger.clock.e2e");
        env.put("LEDGER_RATE_LIMIT_PER_SECOND", "0");
        processes.put(service, pb.start());
    }

    void stop(String service) throws InterruptedException {
        Process p = processes.remove(service);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    void awaitReady(String service, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Process p = processes.get(service);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(service + " exited with " + p.exitValue() + "; see " + logs.resolve(service + ".log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not ready after " + timeout + "; see " + logs.resolve(service + ".log"));
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (String s : List.copyOf(processes.keySet())) {
            stop(s);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
