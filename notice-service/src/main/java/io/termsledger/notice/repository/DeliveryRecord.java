package io.termsledger.notice.repository;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code delivery}. */
public record DeliveryRecord(UUID id, UUID noticeId, String userId, String channel, String status,
                             Instant requestedAt, Instant lastReportAt, Instant deliveredAt) {

    /** When the current status was reached: the last report, else the request. */
    public Instant statusAt() {
        return lastReportAt != null ? lastReportAt : requestedAt;
    }
}
