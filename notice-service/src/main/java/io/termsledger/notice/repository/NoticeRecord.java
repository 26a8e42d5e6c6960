package io.termsledger.notice.repository;

import io.termsledger.notice.domain.NoticeType;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code notice}; never leaves the service (the REST layer maps it to a view). */
public record NoticeRecord(UUID id, NoticeType type, String agreementKey, Integer fromVersion, Integer toVersion,
                           Instant noticeAt, Instant effectiveAt, int requiredLeadDays, int actualLeadDays,
                           boolean leadTimeMet, String changesJson, String message, boolean imported,
                           String noticeMeasuredFrom, UUID audienceNoticeId, String sourceEventId, Instant createdAt,
                           Instant withdrawnAt, Instant firedAt, String fanoutCursor, Instant fanoutDoneAt) {
}
