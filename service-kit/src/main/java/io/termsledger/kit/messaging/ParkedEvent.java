package io.termsledger.kit.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An event a consumer could never apply, kept for an operator (table {@code parked_event}
 * of every service). Written when the consumer parks a record; listed by
 * {@code GET /admin/parked-events}.
 */
@Entity
@Table(name = "parked_event")
public class ParkedEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "kafka_partition", nullable = false)
    public int partition;

    @Column(name = "kafka_offset", nullable = false)
    public long offset;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "event_type")
    public String eventType;

    @Column(nullable = false)
    public String reason;

    public String payload;

    @Column(name = "parked_at", nullable = false)
    public Instant parkedAt;

    /** The record's key (null when it had none, or one that is not storable text). */
    @Column(name = "record_key")
    public String recordKey;

    /** The record's {@code ce_} headers as a JSON object; null for rows parked before they were kept. */
    public String headers;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    @Column(name = "replayed_by")
    public String replayedBy;

    /** {@link EventConsumers.ReplayOutcome}'s name once replayed. */
    @Column(name = "replay_outcome")
    public String replayOutcome;
}
