package io.termsledger.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Kafka settings shared by the outbox relay and the consumers of a service. */
@ConfigMapping(prefix = "ledger.kafka")
public interface KafkaSettings {

    /** Broker list; defaults to {@code kafka.bootstrap.servers}. */
    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
    String bootstrapServers();

    /** The CloudEvents {@code source} of events this service writes, e.g. {@code /version-service}. */
    @WithDefault("/${quarkus.application.name:terms-ledger}")
    String source();

    /** Prefix of consumer group ids, so that test runs never share groups with a running stack. */
    @WithName("group-prefix")
    @WithDefault("${quarkus.application.name:terms-ledger}")
    String groupPrefix();

    /**
     * Idle wait of the outbox relay between polls, in milliseconds. A transaction that writes to
     * the outbox wakes this instance's relay when it commits, so the idle poll only finds rows
     * that no wake-up reached (another instance's relay held the relay lock at the time; a failed
     * pass is retried after a back-off of its own); each poll is a transaction.
     */
    @WithName("relay-idle-ms")
    @WithDefault("1000")
    long relayIdleMs();

    /**
     * The relay vacuums the outbox table after this many relayed (deleted) rows, at most
     * once a second; 0 leaves it to autovacuum. Every poll of the relay steps over the dead
     * rows at the head of the queue: at 20,000 they cost more database time than the
     * facts' own inserts.
     */
    @WithName("relay-vacuum-after-rows")
    @WithDefault("2000")
    long relayVacuumAfterRows();

    /**
     * After relaying a small batch (under a tenth of its 500 rows), the relay waits this many
     * milliseconds before its next poll, so that a steady stream of events goes out in fewer,
     * larger batches; 0 polls again at once.
     */
    @WithName("relay-gather-ms")
    @WithDefault("10")
    long relayGatherMs();

    /**
     * A batched consumer's fetch ({@link EventConsumers#startBatched}: the topics that carry
     * streams, such as {@code consents.events} and {@code usage.signals}) waits until this many
     * bytes are ready (or {@link #consumerFetchWaitMs} has passed), so that a steady stream reaches
     * it in fewer, larger polls: each poll is one transaction and one offset commit, whatever its
     * number of events. 1 answers every fetch as soon as one event is there. Other consumers get
     * each event at once and wait up to 500 ms when idle.
     */
    @WithName("consumer-fetch-min-bytes")
    @WithDefault("65536")
    int consumerFetchMinBytes();

    /** The longest a batched consumer's fetch waits for {@link #consumerFetchMinBytes}, in milliseconds. */
    @WithName("consumer-fetch-wait-ms")
    @WithDefault("100")
    int consumerFetchWaitMs();

    /** Whether the relay and the consumers run in this process. */
    @WithDefault("true")
    boolean enabled();
}
