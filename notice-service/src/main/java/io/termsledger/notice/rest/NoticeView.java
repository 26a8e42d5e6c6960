package io.termsledger.notice.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.notice.domain.Changes;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.repository.NoticeRecord;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A notice as clients see it. */
@Schema(name = "Notice")
public record NoticeView(
        UUID id,
        NoticeType type,
        String agreementKey,
        @Schema(description = "The version in force before the revision (null for admin notices)") Integer fromVersion,
        @Schema(description = "The revision's version (null for admin notices)") Integer toVersion,
        Instant noticeAt,
        Instant effectiveAt,
        @Schema(description = "Minimum natural days between notice and effect") int requiredLeadDays,
        @Schema(description = "Whole natural days between notice and effect, in the agreement's zone") int actualLeadDays,
        boolean leadTimeMet,
        @Schema(description = "Clause changes; null when the previous version was never seen by this service")
        Changes changes,
        String message,
        boolean imported,
        @Schema(description = "RUNNING (before effectiveAt), DUE (revision past effectiveAt, event not yet sent), "
                + "EFFECTIVE (revision-effective event sent), IN_EFFECT (other notices past effectiveAt), WITHDRAWN")
        String status,
        Instant firedAt,
        Instant withdrawnAt,
        @Schema(description = "WITHDRAWAL notices: the revision notice withdrawn") UUID withdrawsNoticeId,
        @Schema(description = "Whether every audience user has their deliveries") boolean fanoutComplete,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Number of delivery records (single-notice reads only)") Long deliveries) {

    static NoticeView of(NoticeRecord n, Instant now, Long deliveries, ObjectMapper json) {
        Changes changes = null;
        if (n.changesJson() != null) {
            try {
                changes = json.readValue(n.changesJson(), Changes.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new NoticeView(n.id(), n.type(), n.agreementKey(), n.fromVersion(), n.toVersion(), n.noticeAt(),
                n.effectiveAt(), n.requiredLeadDays(), n.actualLeadDays(), n.leadTimeMet(), changes, n.message(),
                n.imported(), status(n, now), n.firedAt(), n.withdrawnAt(), n.audienceNoticeId(),
                n.fanoutDoneAt() != null, deliveries);
    }

    static String status(NoticeRecord n, Instant now) {
        if (n.withdrawnAt() != null) {
            return "WITHDRAWN";
        }
        if (n.type() == NoticeType.REVISION) {
            return n.firedAt() != null ? "EFFECTIVE" : n.effectiveAt().isAfter(now) ? "RUNNING" : "DUE";
        }
        return n.effectiveAt().isAfter(now) ? "RUNNING" : "IN_EFFECT";
    }
}
