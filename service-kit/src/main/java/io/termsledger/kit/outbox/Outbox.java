package io.termsledger.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.kit.sql.ArrayColumns;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
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

    /**
     * Appends several events with one statement, {@link #INSERT_FROM_ARRAYS} (the one way outbox rows
     * are written from Java, alone here or as a part of a caller's set-based statement).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Object[]> rows = rows(events);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement s = connection.prepareStatement(INSERT_FROM_ARRAYS)) {
                String[][] columns = ArrayColumns.split(rows, COLUMNS, String.class::cast);
                for (int c = 0; c < COLUMNS; c++) {
                    s.setArray(c + 1, connection.createArrayOf("text", columns[c]));
                }
                s.executeUpdate();
            }
        });
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

    /** How many {@code text[]} parameters {@link #INSERT_FROM_ARRAYS} takes (the width of a {@link #rows} row). */
    public static final int COLUMNS = 7;

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
