package io.termsledger.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.BackgroundWorker;
import io.termsledger.kit.messaging.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Relays committed outbox rows to Kafka as binary-mode CloudEvents, oldest first.
 * One relay works at a time per database (an advisory lock), so per-key order holds
 * even with several instances; a row is deleted only after the broker acknowledged it
 * (acks=all), so an event may be sent twice but is never lost — consumers de-duplicate
 * on {@code ce_id}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final long RELAY_LOCK = 0x6f7574626f78L; // "outbox"
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KafkaSettings settings;

    private BackgroundWorker worker;
    private KafkaProducer<String, String> producer;

    void start(@Observes StartupEvent ev) {
        if (!settings.enabled()) {
            return;
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer = new KafkaProducer<>(p);
        worker = new BackgroundWorker("outbox-relay", this::relayOnce, settings::relayIdleMs, 200, 5_000);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (worker != null) {
            worker.stop();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look at the outbox now rather than after its idle wait. */
    public void wakeUp() {
        if (worker != null) {
            worker.wakeUp();
        }
    }

    /** Rows deleted since the outbox was last vacuumed by the relay. */
    private long deletedSinceVacuum;
    private long lastVacuumNanos = System.nanoTime();
    private static final long VACUUM_MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One round of the background worker: a batch in its own transaction; true when there was work. */
    private boolean relayOnce() throws Exception {
        int relayed = QuarkusTransaction.requiringNew().timeout(60).call(this::relayBatch);
        deletedSinceVacuum += relayed;
        long after = settings.relayVacuumAfterRows();
        if (after > 0 && deletedSinceVacuum >= after && System.nanoTime() - lastVacuumNanos >= VACUUM_MIN_INTERVAL_NANOS) {
            vacuum();
        }
        long gather = settings.relayGatherMs();
        if (relayed > 0 && relayed < BATCH / 10 && gather > 0) {
            // a trickle: let a few more rows arrive, so that a steady stream goes out in fewer,
            // larger batches (fewer transactions here, fewer requests to the broker, bigger polls
            // for the consumers) at the cost of a few milliseconds of delay
            Thread.sleep(gather);
        }
        return relayed > 0;
    }

    /**
     * The outbox is a queue: every row is inserted once and deleted once, and the dead rows
     * slow down the relay's own scan until they are vacuumed. Servers with autovacuum off,
     * or with a naptime long against the write rate, leave them there; so the relay vacuums
     * the table itself after every {@code ledger.kafka.relay-vacuum-after-rows} deleted
     * rows (outside any transaction, as VACUUM requires). It never truncates the table's
     * empty tail: that takes an exclusive lock, which would stall the writers' inserts, for
     * pages the next inserts fill again.
     */
    private void vacuum() {
        deletedSinceVacuum = 0;
        lastVacuumNanos = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum (truncate false) outbox");
        } catch (SQLException e) {
            LOG.warnf("vacuum of the outbox failed (autovacuum will have to do it): %s", e.getMessage());
        }
    }

    /** Sends one batch; returns how many rows were relayed. Runs in a transaction. */
    int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, RELAY_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return 0;
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "select id, event_id, topic, message_key, event_type, subject, event_time, payload"
                            + " from outbox order by id limit " + BATCH)) {
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        acks.add(producer.send(record(rs)));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            try (PreparedStatement d = c.prepareStatement("delete from outbox where id = any(?)")) {
                d.setArray(1, c.createArrayOf("bigint", ids.toArray(new Long[0])));
                d.executeUpdate();
            }
            return ids.size();
        }
    }

    private ProducerRecord<String, String> record(ResultSet rs) throws SQLException {
        ProducerRecord<String, String> r = new ProducerRecord<>(rs.getString("topic"), rs.getString("message_key"),
                rs.getString("payload"));
        header(r, "ce_specversion", "1.0");
        header(r, "ce_id", rs.getString("event_id"));
        header(r, "ce_source", settings.source());
        header(r, "ce_type", rs.getString("event_type"));
        String subject = rs.getString("subject");
        if (subject != null) {
            header(r, "ce_subject", subject);
        }
        header(r, "ce_time", rs.getTimestamp("event_time").toInstant().toString());
        header(r, "content-type", "application/json");
        return r;
    }

    private static void header(ProducerRecord<String, String> r, String name, String value) {
        r.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
