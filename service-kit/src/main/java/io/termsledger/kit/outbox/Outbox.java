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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

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
        return append(UUID.randomUUID(), clock.now(), topic, key, type, subject, data);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(UUID eventId, Instant time, String topic, String key, String type, String subject, Object data) {
        String payload;
        try {
            payload = data instanceof String s ? s : json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data is not serialisable: " + type, e);
        }
        em.createNativeQuery("insert into outbox (event_id, topic, message_key, event_type, subject, event_time, payload)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, eventId)
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, type)
                .setParameter(5, subject)
                .setParameter(6, Timestamp.from(time))
                .setParameter(7, payload)
                .executeUpdate();
        wakeRelayAfterCommit();
        return eventId;
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
