package io.termsledger.kit.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Points the service at a port where no database listens (and skips migration at start). */
public class UnreachableDatabaseProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/none",
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/none",
                "quarkus.flyway.migrate-at-start", "false",
                "quarkus.datasource.jdbc.acquisition-timeout", "2S",
                "ledger.kafka.enabled", "false",
                "ledger.seeds.enabled", "false");
    }
}
