package io.termsledger.consent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The consent-service settings (prefix {@code ledger}). */
@ConfigMapping(prefix = "ledger")
public interface ConsentConfig {

    /** How far in the future an {@code occurredAt} may lie (clocks of callers drift). */
    @WithName("clock-skew")
    @WithDefault("PT2M")
    Duration clockSkew();

    Privacy privacy();

    Proof proof();

    Sweep sweep();

    Population population();

    Writer writer();

    interface Writer {
        /**
         * Threads that write queued facts; each writes a batch per transaction. One is the
         * fastest on 2 cores (bigger batches; measured in bench/README.md).
         */
        @WithDefault("1")
        int threads();

        /** Most facts one write transaction takes from the queue. */
        @WithName("max-batch")
        @WithDefault("256")
        int maxBatch();

        /** Most facts waiting to be written; beyond that requests get 503 with Retry-After. */
        @WithName("queue-capacity")
        @WithDefault("10000")
        int queueCapacity();
    }

    interface Proof {
        /**
         * The RSA private key that signs proof bundles: PKCS#8 PEM text, or {@code file:PATH} to such a file;
         * required in prod (no default there).
         */
        @WithName("signing-key")
        Optional<String> signingKey();

        /** Without a signing key, sign with a key made at start (dev, local and test profiles only). */
        @WithName("ephemeral-key")
        @WithDefault("false")
        boolean ephemeralKey();
    }

    interface Privacy {
        /** HMAC-SHA256 key for client IP addresses; required in prod (no default there). */
        @WithName("ip-hash-key")
        String ipHashKey();
    }

    interface Sweep {
        /** Pause between sweeps that re-evaluate users whose pending revision's date passed. */
        @WithDefault("PT5S")
        Duration interval();

        /** How many (user, agreement) rows one sweep transaction claims. */
        @WithName("batch-size")
        @WithDefault("200")
        int batchSize();

        @WithDefault("true")
        boolean enabled();

        /** Rebuild the projection from the ledger at start-up. */
        @WithName("rebuild-at-start")
        @WithDefault("false")
        boolean rebuildAtStart();
    }

    interface Population {
        /** Largest number of users the population query evaluates from the ledger for an instant other than now. */
        @WithName("max-scan")
        @WithDefault("20000")
        int maxScan();

        /** An {@code at} within this distance of now is answered from the projection. */
        @WithName("now-tolerance")
        @WithDefault("PT5S")
        Duration nowTolerance();
    }
}
