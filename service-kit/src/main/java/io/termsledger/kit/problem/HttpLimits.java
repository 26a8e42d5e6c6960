package io.termsledger.kit.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Request limits enforced before anything is read or stored. */
@ConfigMapping(prefix = "ledger.http")
public interface HttpLimits {

    /** Larger request bodies get 413. */
    @WithName("max-body-bytes")
    @WithDefault("2097152")
    long maxBodyBytes();
}
