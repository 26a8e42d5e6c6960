package io.termsledger.notice.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The data of the events notice-service consumes, exactly as docs/events.md defines them.
 * Tolerant readers: fields added to a v1 event later are ignored.
 */
public final class InboundEvents {

    public static final String AGREEMENT_REGISTERED = "agreement.registered.v1";
    public static final String VERSION_PUBLISHED = "agreement.version.published.v1";
    public static final String VERSION_WITHDRAWN = "agreement.version.withdrawn.v1";
    public static final String CONSENT_BOUND = "consent.bound.v1";
    public static final String CONSENT_ACCEPTED = "consent.accepted.v1";
    public static final String PRODUCT_USED = "consent.product-used.v1";
    public static final String DELIVERY_REPORTED = "notice.delivery.reported.v1";

    private InboundEvents() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(Integer noticeDays, String bindingRule, Boolean sealPrevails, List<String> acceptanceMethods,
                         String noticeMeasuredFrom, Map<String, Integer> noticePeriods) {
    }

    /** agreement.registered.v1, also embedded as {@code agreement} in agreement.version.published.v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agreement(String agreementKey, String title, String provider, String scope, String parentKey,
                            String product, String timezone, Policy policy, Instant registeredAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Clause(String id, String heading, String text, Boolean highlighted) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionPublished(String agreementKey, Integer version, String label, String changeSummary,
                                   Boolean imported, Agreement agreement, Instant noticeAt, Instant effectiveAt,
                                   String contentSha256, Integer previousVersion, List<Clause> clauses) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionWithdrawn(String agreementKey, Integer version, String reason, Instant withdrawnAt,
                                   Instant noticeAt, Instant effectiveAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConsentBound(String userId, String agreementKey, Integer version, Integer previousVersion,
                               String basis, Instant since) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConsentAccepted(String eventId, String userId, String agreementKey, Integer version, String method,
                                  Instant occurredAt, Instant recordedAt, String hash) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProductUsed(String userId, String agreementKey, String product, Instant firstUsedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeliveryReported(String deliveryId, String status, Instant at, String detail) {
    }
}
