package io.termsledger.kit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The per-caller limit on write endpoints. */
@ConfigMapping(prefix = "ledger.rate-limit")
public interface RateLimitSettings {

    /** Sustained writes per second and caller; 0 turns the limit off. */
    @WithName("per-second")
    @WithDefault("${LEDGER_RATE_LIMIT_PER_SECOND:500}")
    double perSecond();

    /** Writes a caller may make at once before the sustained rate applies. */
    @WithDefault("1000")
    double burst();
}
