package io.termsledger.kit.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.DatabaseOutage;
import io.termsledger.kit.problem.OutageLog;
import io.termsledger.kit.problem.TransactionConflict;
import io.termsledger.kit.problem.UnstorableText;
import io.termsledger.kit.time.InstantRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs idempotent Kafka consumers. The records of one poll are applied in one database
 * transaction together with a {@code consumed_event} row per {@code ce_id}, and the offsets
 * are committed once, after that transaction. When that transaction fails, the poll's
 * records are applied again one at a time, each in its own transaction with its own
 * offset commit, so one bad record holds back nothing but itself. A record that can never be applied
 * (no {@code ce_id}, unparseable data, {@link MalformedEventException}) is parked in
 * {@code parked_event} for an operator and the consumer moves on; another failure is retried
 * from the same offset, up to five times before the record is parked — except while the database
 * cannot be reached ({@link DatabaseOutage}): that is no fault of the record, which is retried
 * until the database is back, however long that takes. A parked event keeps its record's key and
 * {@code ce_} headers, and an operator can {@link #replay} it once its cause is gone.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    @Inject
    KafkaSettings settings;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    private final List<Loop> loops = new CopyOnWriteArrayList<>();

    /** The handler of each topic this service consumes, for {@link #replay}. */
    private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();

    /**
     * Starts a consumer thread for the topics; the group id is {@code <group-prefix>.<name>}. Each
     * fetch is answered as soon as an event is there; an idle consumer's fetch waits up to 500 ms
     * at the broker (Kafka's defaults), so idle consumers cost the broker little.
     */
    public void start(String name, Collection<String> topics, EventHandler handler) {
        start(name, topics, handler, 1, IDLE_FETCH_WAIT_MS, new Properties());
    }

    /** {@link #start} with Kafka consumer properties over the defaults (a handler's own timeouts, say). */
    public void start(String name, Collection<String> topics, EventHandler handler, Properties consumerProperties) {
        start(name, topics, handler, 1, IDLE_FETCH_WAIT_MS, consumerProperties);
    }

    /**
     * {@link #start} for a topic that carries a steady stream: each fetch waits until
     * {@code ledger.kafka.consumer-fetch-min-bytes} are there or {@code consumer-fetch-wait-ms} has
     * passed, so the stream arrives in fewer, larger polls (each one transaction and one offset
     * commit) at the cost of that wait when traffic is light.
     */
    public void startBatched(String name, Collection<String> topics, EventHandler handler) {
        start(name, topics, handler, settings.consumerFetchMinBytes(), settings.consumerFetchWaitMs(), new Properties());
    }

    /** How long an idle consumer's fetch waits at the broker (Kafka's default). */
    static final int IDLE_FETCH_WAIT_MS = 500;

    private void start(String name, Collection<String> topics, EventHandler handler, int fetchMinBytes, int fetchWaitMs,
                       Properties overrides) {
        topics.forEach(topic -> handlers.put(topic, handler));
        if (!settings.enabled()) {
            return;
        }
        Loop loop = new Loop(settings.groupPrefix() + "." + name, topics, handler, fetchMinBytes, fetchWaitMs, overrides);
        loops.add(loop);
        Thread t = new Thread(loop, "consumer-" + name);
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        loops.forEach(Loop::stop);
    }

    static IncomingEvent parse(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> h = new HashMap<>();
        for (Header header : r.headers()) {
            if (!header.key().startsWith("ce_")) {
                // not read (a producer's tracing headers, say, may be binary)
                continue;
            }
            String value = utf8(header.value(), "header " + header.key());
            if (value != null && value.indexOf('\0') >= 0) {
                throw new MalformedEventException("header " + header.key() + " holds the NUL character");
            }
            h.put(header.key(), value);
        }
        String id = h.get("ce_id");
        String type = h.get("ce_type");
        if (id == null || id.isBlank() || type == null || type.isBlank()) {
            throw new MalformedEventException("record has no ce_id or ce_type header");
        }
        if (r.value() == null) {
            throw new MalformedEventException("record has no data");
        }
        Instant time = null;
        if (h.get("ce_time") != null) {
            try {
                time = Instant.parse(h.get("ce_time"));
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("ce_time is not an instant: " + h.get("ce_time"));
            }
            if (!InstantRange.contains(time)) {
                throw new MalformedEventException("ce_time is out of range: " + h.get("ce_time"));
            }
        }
        return new IncomingEvent(r.topic(), r.partition(), r.offset(), utf8(r.key(), "the record's key"), id, type,
                h.get("ce_source"), h.get("ce_subject"), time, utf8(r.value(), "the record's value"));
    }

    /**
     * The bytes as UTF-8 text, or a {@link MalformedEventException} when they are not UTF-8: a lenient
     * decoder would put U+FFFD in place of the bad bytes, and the event would be applied with text nobody
     * sent (the REST API refuses such bytes with a 400).
     */
    static String utf8(byte[] bytes, String what) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEventException(what + " is not UTF-8 text");
        }
    }

    /**
     * How a parked record's value is stored: as text when it is UTF-8 text without the NUL character (which
     * no PostgreSQL text column takes), else as {@code base64:} and the Base64 of its bytes, so that a record
     * is parked exactly as it came and parking it can never fail for its content.
     */
    static String storablePayload(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = storableText(value);
        return text != null && !text.startsWith(BASE64_PREFIX) ? text
                : BASE64_PREFIX + Base64.getEncoder().encodeToString(value);
    }

    /** Marks a parked payload kept as the Base64 of its bytes ({@link #storablePayload}). */
    public static final String BASE64_PREFIX = "base64:";

    /** Bytes (a record's key, a header's value) as parked: their text, or null when there are none or it is not storable. */
    static String storableText(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            String text = utf8(bytes, "text");
            return text.indexOf('\0') < 0 ? text : null;
        } catch (MalformedEventException e) {
            return null;
        }
    }

    private static String storableHeader(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : storableText(h.value());
    }

    /**
     * A record's CloudEvent headers as parked (a JSON object), so that {@link #replay} can rebuild the event;
     * null when one of them is not storable text (not UTF-8, or holding NUL): without it the event could not
     * be rebuilt as it came.
     */
    String storableHeaders(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> h = new TreeMap<>();
        for (Header header : r.headers()) {
            if (!header.key().startsWith("ce_")) {
                continue;
            }
            String value = storableText(header.value());
            if (value == null && header.value() != null) {
                return null;
            }
            h.put(header.key(), value);
        }
        try {
            return json.writeValueAsString(h);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #replay} did with a parked event's record. */
    public enum ReplayOutcome {
        /** the handler applied it */
        APPLIED,
        /** its event had been applied meanwhile (delivered again): nothing more was done */
        ALREADY_APPLIED
    }

    /**
     * Applies a parked event again, through the handler of its topic, in one transaction with its
     * {@code consumed_event} mark and the parked row's {@code replayed_at}: once the cause is gone (the agreement
     * a usage signal names registered meanwhile, say), an operator need not ask the producer to send it again.
     * Refused with a problem when there is no such parked event (404), it was replayed before (409), this
     * service no longer consumes its topic or it was parked before its headers were kept (409), or it is still
     * refused (422, with the reason; the row stays as it was).
     */
    public ParkedEvent replay(long id, String by) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                ParkedEvent p = ParkedEvent.findById(id, LockModeType.PESSIMISTIC_WRITE);
                if (p == null) {
                    throw ApiProblem.notFound("No parked event " + id + ".");
                }
                if (p.replayedAt != null) {
                    throw ApiProblem.conflict("already-replayed", "Parked event " + id + " was replayed at " + p.replayedAt
                            + " by " + p.replayedBy + ".");
                }
                EventHandler handler = handlers.get(p.topic);
                if (handler == null || p.headers == null) {
                    throw ApiProblem.conflict("not-replayable", handler == null
                            ? "This service does not consume topic " + p.topic + "."
                            : "Parked event " + id + " kept no headers (it was parked before they were kept, or one"
                            + " of them was not text); ask its producer to send it again.");
                }
                IncomingEvent event = parse(record(p));
                p.replayOutcome = (applyInTransaction(handler, List.of(event)) == 1 ? ReplayOutcome.APPLIED
                        : ReplayOutcome.ALREADY_APPLIED).name();
                p.replayedAt = Instant.now();
                p.replayedBy = by;
                return p;
            });
        } catch (ApiProblem e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseOutage.isCause(e) || TransactionConflict.isCause(e)) {
                throw e;
            }
            Throwable cause = permanentCause(e);
            throw ApiProblem.unprocessable("still-refused", "Parked event " + id + " is still refused: "
                    + storableReason(String.valueOf((cause != null ? cause : e).getMessage())));
        }
    }

    /** The record a parked row was made from, as far as it was kept. */
    private ConsumerRecord<byte[], byte[]> record(ParkedEvent p) throws JsonProcessingException {
        byte[] value = p.payload == null ? null : p.payload.startsWith(BASE64_PREFIX)
                ? Base64.getDecoder().decode(p.payload.substring(BASE64_PREFIX.length()))
                : p.payload.getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(p.topic, p.partition, p.offset,
                p.recordKey == null ? null : p.recordKey.getBytes(StandardCharsets.UTF_8), value);
        Map<String, String> headers = json.readValue(p.headers, new TypeReference<Map<String, String>>() { });
        headers.forEach((k, v) -> r.headers().add(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    /** A parking reason as storable text: a NUL character (which may come from the record itself) written as \\u0000. */
    static String storableReason(String reason) {
        return reason == null ? "unknown" : reason.replace("\0", "\\u0000");
    }

    private final class Loop implements Runnable {
        private final String groupId;
        private final Collection<String> topics;
        private final EventHandler handler;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private volatile boolean running = true;
        /** Failed attempts at the record {@link #retrying} names (its topic, partition and offset). */
        private int attempts;
        private String retrying;
        /** After a failure the partitions go back to their committed offsets before the next poll. */
        private boolean rewind;
        private long backoffMs = 1_000;
        /** Says once that the database is away, and once that it is back. */
        private final OutageLog outage;

        Loop(String groupId, Collection<String> topics, EventHandler handler, int fetchMinBytes, int fetchWaitMs,
             Properties overrides) {
            this.groupId = groupId;
            this.outage = new OutageLog(LOG, "consumer " + groupId, "its events wait");
            this.topics = topics;
            this.handler = handler;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, fetchMinBytes);
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchWaitMs);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.putAll(overrides);
            this.consumer = new KafkaConsumer<>(p);
        }

        void stop() {
            running = false;
            consumer.wakeup();
        }

        @Override
        public void run() {
            try {
                consumer.subscribe(topics);
                while (running) {
                    try {
                        step();
                        backoffMs = 1_000;
                    } catch (WakeupException e) {
                        throw e;
                    } catch (Exception e) {
                        // the broker away past the client's timeouts, a commit refused by a rebalance, a
                        // database failure while parking: never the end of the loop. What was polled but
                        // not committed is polled again (consumed_event keeps each event to one effect).
                        LOG.errorf("consumer %s: %s; resuming from the committed offsets in %d ms", groupId, e.toString(),
                                backoffMs);
                        rewind = true;
                        pause(backoffMs);
                        backoffMs = Math.min(backoffMs * 2, 30_000);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    LOG.errorf(e, "consumer %s woken unexpectedly", groupId);
                }
            } catch (Exception e) {
                LOG.errorf(e, "consumer %s stopped", groupId);
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        /** Sets every assigned partition back to its committed offset (the first when none is). */
        private void rewindToCommitted() {
            Set<TopicPartition> assigned = consumer.assignment();
            if (!assigned.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
                for (TopicPartition tp : assigned) {
                    OffsetAndMetadata at = committed.get(tp);
                    if (at == null) {
                        consumer.seekToBeginning(List.of(tp));
                    } else {
                        consumer.seek(tp, at.offset());
                    }
                }
            }
            rewind = false;
        }

        /** One poll, its records applied and their offsets committed. */
        private void step() {
            if (rewind) {
                rewindToCommitted();
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
            Together together = records.count() > 1 ? applyAll(records) : Together.ONE_BY_ONE;
            if (together == Together.APPLIED) {
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                    next.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
                }
                consumer.commitSync(next);
                outage.back();
                return;
            }
            if (together == Together.DATABASE_AWAY) {
                // one by one, each record would only wait for the database again: rewind, pause, poll again
                for (TopicPartition tp : records.partitions()) {
                    consumer.seek(tp, records.records(tp).get(0).offset());
                }
                pause(1_000);
                return;
            }
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    if (!apply(r)) {
                        // transient failure: rewind this partition and try again after a pause
                        consumer.seek(tp, r.offset());
                        pause(1_000);
                        break;
                    }
                    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                }
            }
        }

        /** What became of a poll's records applied together. */
        private enum Together {
            APPLIED,
            /** nothing applied: a record is malformed or the transaction failed; apply them one by one */
            ONE_BY_ONE,
            /** nothing applied: the database cannot be reached; try them all again later */
            DATABASE_AWAY
        }

        /**
         * Applies all the records of a poll in one transaction, each event once (its
         * {@code consumed_event} row decides).
         */
        private Together applyAll(ConsumerRecords<byte[], byte[]> records) {
            List<IncomingEvent> events = new ArrayList<>(records.count());
            try {
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        events.add(parse(r));
                    }
                }
            } catch (MalformedEventException e) {
                return Together.ONE_BY_ONE;
            }
            try {
                QuarkusTransaction.requiringNew().run(() -> applyInTransaction(handler, events));
                return Together.APPLIED;
            } catch (RuntimeException e) {
                if (outage.away(e)) {
                    return Together.DATABASE_AWAY;
                }
                LOG.debugf("batch of %d records from %s applied one by one instead: %s", events.size(), groupId, e.toString());
                return Together.ONE_BY_ONE;
            }
        }

        /** Applies one record; false when it should be retried. */
        private boolean apply(ConsumerRecord<byte[], byte[]> r) {
            IncomingEvent event;
            try {
                event = parse(r);
            } catch (MalformedEventException e) {
                return park(r, null, null, e.getMessage());
            }
            String which = r.topic() + "-" + r.partition() + "@" + r.offset();
            if (!which.equals(retrying)) {
                retrying = which;
                attempts = 0;
            }
            try {
                QuarkusTransaction.requiringNew().run(() -> applyInTransaction(handler, List.of(event)));
                attempts = 0;
                outage.back();
                return true;
            } catch (RuntimeException e) {
                if (outage.away(e)) {
                    // not the event's fault: retried for as long as the database stays away, never parked for it
                    return false;
                }
                if (TransactionConflict.isCause(e)) {
                    // a deadlock or serialization failure with another transaction: not the event's fault either
                    LOG.debugf("event %s from %s met a transaction conflict, will retry: %s", event.id(), r.topic(), e);
                    return false;
                }
                Throwable cause = permanentCause(e);
                if (cause != null || ++attempts >= MAX_ATTEMPTS) {
                    Throwable why = cause != null ? cause : e;
                    LOG.warnf("parking event %s (%s) from %s: %s", event.id(), event.type(), r.topic(), why.toString());
                    attempts = 0;
                    return park(r, event.id(), event.type(), String.valueOf(why.getMessage()));
                }
                LOG.warnf("event %s from %s not applied yet (attempt %d), will retry: %s", event.id(), r.topic(),
                        attempts, e.toString());
                return false;
            }
        }

        private boolean park(ConsumerRecord<byte[], byte[]> r, String id, String type, String reason) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    ParkedEvent p = new ParkedEvent();
                    p.topic = r.topic();
                    p.partition = r.partition();
                    p.offset = r.offset();
                    // a record that could not be parsed still names its event when its headers do
                    p.eventId = id != null ? id : storableHeader(r, "ce_id");
                    p.eventType = type != null ? type : storableHeader(r, "ce_type");
                    p.reason = storableReason(reason);
                    p.payload = storablePayload(r.value());
                    p.recordKey = storableText(r.key());
                    // a key that could not be kept leaves the record not replayable, like a header that could not
                    p.headers = r.key() != null && p.recordKey == null ? null : storableHeaders(r);
                    p.parkedAt = Instant.now();
                    p.persist();
                });
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("could not park record %s-%d@%d, will retry: %s", r.topic(), r.partition(), r.offset(), e.toString());
                return false;
            }
        }

        private void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /**
     * Records the events as consumed and hands those not consumed before to the handler,
     * once and in order, in the caller's transaction; returns how many it handed over.
     */
    private int applyInTransaction(EventHandler handler, List<IncomingEvent> events) {
        Set<String> fresh = markConsumed(events);
        List<IncomingEvent> apply = new ArrayList<>(fresh.size());
        for (IncomingEvent event : events) {
            if (fresh.remove(event.id())) {
                apply.add(event);
            }
        }
        if (apply.isEmpty()) {
            return 0;
        }
        try {
            handler.handleAll(apply);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedEventException(e.getMessage(), e);
        }
        return apply.size();
    }

    /** Records the events as consumed; returns the ids not consumed before. */
    private Set<String> markConsumed(List<IncomingEvent> events) {
        Set<String> fresh = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into consumed_event (event_id, topic)"
                     + " select * from unnest(?::text[], ?::text[]) on conflict do nothing returning event_id")) {
            s.setArray(1, c.createArrayOf("text", events.stream().map(IncomingEvent::id).toArray(String[]::new)));
            s.setArray(2, c.createArrayOf("text", events.stream().map(IncomingEvent::topic).toArray(String[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
            return fresh;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final int MAX_ATTEMPTS = 5;

    /** The cause that makes retrying pointless (bad data, a broken invariant), or null when it may be transient. */
    static Throwable permanentCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedEventException || t instanceof IllegalArgumentException
                    || t instanceof ClassCastException || t instanceof NullPointerException
                    || t instanceof DateTimeException
                    || t instanceof JsonProcessingException
                    || t instanceof SQLException && UnstorableText.isCause(t)) {
                return t;
            }
        }
        return null;
    }
}
