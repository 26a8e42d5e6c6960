package io.termsledger.notice.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.termsledger.notice.repository.DeliveryRecord;
import io.termsledger.notice.repository.ReportRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One delivery of a notice to one user on one channel. */
@Schema(name = "Delivery")
public record DeliveryView(
        UUID id,
        UUID noticeId,
        String userId,
        String channel,
        @Schema(description = "REQUESTED, then the status of the latest gateway report (SENT, FAILED, DELIVERED)")
        String status,
        @Schema(description = "When the current status was reached") Instant at,
        Instant requestedAt,
        @Schema(description = "Earliest DELIVERED instant reported") Instant deliveredAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Every gateway report, in arrival order (single-delivery reads only)")
        List<Report> reports) {

    /** One gateway report. */
    @Schema(name = "DeliveryReport")
    public record Report(String status, Instant at, String detail, String source, Instant receivedAt) {
    }

    static DeliveryView of(DeliveryRecord d, List<ReportRecord> reports) {
        return new DeliveryView(d.id(), d.noticeId(), d.userId(), d.channel(), d.status(), d.statusAt(),
                d.requestedAt(), d.deliveredAt(), reports == null ? null : reports.stream()
                .map(r -> new Report(r.status(), r.at(), r.detail(), r.source(), r.receivedAt())).toList());
    }
}
