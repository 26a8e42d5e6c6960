package io.termsledger.version.service;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Starts the service the way deploy/local/up does: loading ../seeds at start-up. */
public class SeedsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ledger.seeds.dir", "../seeds", "ledger.seeds.enabled", "true");
    }
}
