package io.termsledger.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Writes an event to the {@code outbox} table in the caller's transaction; the
 * {@link OutboxRelay} sends it to Kafka after commit. Never send directly: a state
 * change and its event commit together or not at all.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    AppClock clock;

    @Inject
    OutboxRelay relay;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Appends an event with a fresh id and the current time; returns the event id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String topic, String key, String type, String subject, Object data) {
        return append(EventIds.next(), clock.now(), topic, key, type, subject, data);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(UUID eventId, Instant time, String topic, String key, String type, String subject, Object data) {
        appendAll(List.of(new Event(eventId, time, topic, key, type, subject, data)));
        return eventId;
    }

    /** One event to append: {@code data} is serialised to JSON unless it is a String already. */
    public record Event(UUID eventId, Instant time, String topic, String key, String type, String subject, Object data) {
    }

    /** Appends several events in one round trip to the database (a JDBC batch). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement s = connection.prepareStatement("insert into outbox (event_id, topic, message_key,"
                    + " event_type, subject, event_time, payload) values (?, ?, ?, ?, ?, ?, ?)")) {
                for (Event e : events) {
                    s.setObject(1, e.eventId());
                    s.setString(2, e.topic());
                    s.setString(3, e.key());
                    s.setString(4, e.type());
                    s.setString(5, e.subject());
                    s.setTimestamp(6, Timestamp.from(e.time()));
                    s.setString(7, payload(e));
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
        wakeRelayAfterCommit();
    }

    private String payload(Event e) {
        try {
            return e.data() instanceof String s ? s : json.writeValueAsString(e.data());
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("event data is not serialisable: " + e.type(), x);
        }
    }

    /**
     * An insert of outbox rows read from seven {@code text[]} parameters (event id, topic, key,
     * type, subject, time, payload; see {@link #rows}), in array order: for a caller that writes
     * its events as one part of a larger set-based statement, so a batch of changes and its
     * events cost one round trip.
     */
    public static final String INSERT_FROM_ARRAYS = "insert into outbox (event_id, topic, message_key, event_type,"
            + " subject, event_time, payload) select e::uuid, t, k, ty, s, ti::timestamptz, p"
            + " from unnest(?, ?, ?, ?, ?, ?, ?) with ordinality as x(e, t, k, ty, s, ti, p, o) order by o";

    /**
     * The events as rows for {@link #INSERT_FROM_ARRAYS} (values in its column order, the time
     * as ISO-8601 text); the relay is woken when the caller's transaction commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Object[]> rows(List<Event> events) {
        if (!events.isEmpty()) {
            wakeRelayAfterCommit();
        }
        return events.stream().map(e -> new Object[] {e.eventId().toString(), e.topic(), e.key(), e.type(), e.subject(),
            e.time().toString(), payload(e)}).toList();
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(Outbox.class) != null) {
            return;
        }
        transactions.putResource(Outbox.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
    }
}
