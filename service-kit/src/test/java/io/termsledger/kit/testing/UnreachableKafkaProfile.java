package io.termsledger.kit.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Points the service at a port where no broker listens. */
public class UnreachableKafkaProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:1", "ledger.kafka.enabled", "false");
    }
}
