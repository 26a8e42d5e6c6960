package io.termsledger.notice.messaging;

import io.termsledger.notice.domain.Changes;
import java.time.Instant;
import java.util.UUID;

/** The data of the events notice-service produces on agreements.notices (docs/events.md). */
public final class OutboundEvents {

    public static final String NOTICE_ISSUED = "notice.issued.v1";
    public static final String REVISION_EFFECTIVE = "notice.revision-effective.v1";
    public static final String DELIVERED_TO_USER = "notice.delivered-to-user.v1";

    private OutboundEvents() {
    }

    /** Every notice, once, when it is created. {@code changes} is null when the previous version is unknown. */
    public record NoticeIssued(UUID noticeId, String type, String agreementKey, Integer fromVersion, Integer toVersion,
                               Instant noticeAt, Instant effectiveAt, int requiredLeadDays, int actualLeadDays,
                               Changes changes) {
    }

    /** Exactly once per revision, at its effective date. */
    public record RevisionEffective(UUID noticeId, String agreementKey, int version, Instant effectiveAt) {
    }

    /** The first DELIVERED report per user and revision notice, under INDIVIDUAL_DELIVERY. */
    public record DeliveredToUser(UUID noticeId, String agreementKey, Integer version, String userId,
                                  Instant deliveredAt) {
    }
}
