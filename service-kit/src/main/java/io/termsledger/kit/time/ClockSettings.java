package io.termsledger.kit.time;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Controllable time; production leaves it off. */
@ConfigMapping(prefix = "ledger.clock")
public interface ClockSettings {

    /** Whether an admin may move time forward ({@code /admin/clock}); true only in local, dev and test. */
    @WithDefault("false")
    boolean adjustable();

    /** The single-partition topic that carries the offset to every service of one stack. */
    @WithDefault("ledger.clock")
    String topic();
}
