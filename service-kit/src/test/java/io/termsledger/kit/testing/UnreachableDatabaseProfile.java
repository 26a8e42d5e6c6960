package io.termsledger.kit.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Points the service's JDBC pool at a port where no database listens (and skips migration at start). A
 * service that also has a reactive pool adds {@link #REACTIVE_URL} in a subclass; set here, the key would
 * be reported as unknown by the services without one.
 */
public class UnreachableDatabaseProfile implements QuarkusTestProfile {

    /** The reactive pool's URL key and a value where no database listens. */
    public static final Map.Entry<String, String> REACTIVE_URL =
            Map.entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/none");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/none",
                "quarkus.flyway.migrate-at-start", "false",
                "quarkus.datasource.jdbc.acquisition-timeout", "2S",
                "ledger.kafka.enabled", "false",
                "ledger.seeds.enabled", "false");
    }
}
