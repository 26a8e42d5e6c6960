package io.termsledger.version.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of version-service (one mapping per service). */
@ConfigMapping(prefix = "ledger")
public interface VersionServiceConfig {

    Seeds seeds();

    /** The sample agreements loaded at start-up (seeds/manifest.json). */
    interface Seeds {

        /** Folder holding manifest.json and the agreement texts (env LEDGER_SEEDS_DIR); nothing loads when unset. */
        Optional<String> dir();

        /** Set false to skip loading even when a folder is configured. */
        @WithDefault("true")
        boolean enabled();
    }
}
