package io.termsledger.notice.repository;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code delivery}. */
public record DeliveryRecord(UUID id, UUID noticeId, String userId, String channel, String status,
                             Instant requestedAt, Instant lastReportAt, Instant deliveredAt) {

    /**
     * When the current status was reached: the first delivery for a delivery that reached the user (a later
     * bounce or a late SENT does not move its status, so not its instant either), else the last report, else
     * the request.
     */
    public Instant statusAt() {
        if ("DELIVERED".equals(status) && deliveredAt != null) {
            return deliveredAt;
        }
        return lastReportAt != null ? lastReportAt : requestedAt;
    }
}
