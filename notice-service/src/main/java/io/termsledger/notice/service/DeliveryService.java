package io.termsledger.notice.service;

import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.domain.DeliveryStatus;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.messaging.OutboundEvents;
import io.termsledger.notice.repository.DeliveryRecord;
import io.termsledger.notice.repository.DeliveryRepository;
import io.termsledger.notice.repository.NoticeRecord;
import io.termsledger.notice.repository.NoticeRepository;
import io.termsledger.notice.repository.ReportRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gateway reports on deliveries. Every report is appended to the delivery's history;
 * the delivery's current status is that of its latest report (by the gateway's instant).
 * A user's first DELIVERED report for a revision notice of an {@code INDIVIDUAL_DELIVERY}
 * agreement, over all channels, is published as {@code notice.delivered-to-user.v1}, so that
 * consent-service can measure that user's notice period from it; so is a later-processed
 * report of an earlier delivery (reports may arrive out of order), since the notice period runs
 * from the earliest.
 */
@ApplicationScoped
@Transactional
public class DeliveryService {

    /** A delivery and its report history. */
    public record DeliveryWithReports(DeliveryRecord delivery, List<ReportRecord> reports) {
    }

    /** One page of deliveries. */
    public record Page(List<DeliveryRecord> items, long total) {
    }

    /** How far a gateway's clock may be off ours: reports up to this far ahead of now, or before the request, are taken. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** The longest {@code detail} a report may carry, on the REST callback and the topic alike. */
    public static final int DETAIL_MAX = 2000;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    NoticeRepository notices;

    @Inject
    Outbox outbox;

    @Inject
    AppClock clock;

    /**
     * Records a report, from the REST callback or the topic alike; empty when the delivery does not exist. A report
     * dated in the future, or before the delivery was requested, is refused ({@link ApiProblem} 422), beyond
     * {@link #CLOCK_SKEW} either way: a backdated DELIVERED would shorten the user's notice period under
     * INDIVIDUAL_DELIVERY (effective for the user at the delivery plus the notice days). A {@code detail} over
     * {@link #DETAIL_MAX} characters is refused (400).
     */
    public Optional<DeliveryWithReports> report(UUID deliveryId, DeliveryStatus status, Instant at, String detail,
                                                String source) {
        if (detail != null && detail.length() > DETAIL_MAX) {
            // the REST callback's body validation refuses it first; a report from the topic meets this
            throw ApiProblem.badRequest("detail is at most " + DETAIL_MAX + " characters; this one has " + detail.length());
        }
        Instant now = clock.now();
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw ApiProblem.unprocessable("report-in-future", "at " + at + " lies in the future (now " + now
                    + "): report what happened, when it happened");
        }
        Optional<DeliveryRecord> found = deliveries.lock(deliveryId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DeliveryRecord d = found.get();
        if (at.isBefore(d.requestedAt().minus(CLOCK_SKEW))) {
            throw ApiProblem.unprocessable("report-before-request", "at " + at + " is before the delivery was requested ("
                    + d.requestedAt() + "): nothing is sent or delivered before the notice asks for it")
                    .with("requestedAt", d.requestedAt().toString());
        }
        at = NoticeService.micros(at);
        deliveries.report(deliveryId, status.name(), at, detail, source, clock.now());
        if (status == DeliveryStatus.DELIVERED && deliveries.earliestDelivered(d.noticeId(), d.userId(), d.id(), at)) {
            NoticeRecord n = notices.find(d.noticeId()).orElseThrow();
            if (n.type() == NoticeType.REVISION && "INDIVIDUAL_DELIVERY".equals(n.noticeMeasuredFrom())) {
                outbox.append(Topics.AGREEMENT_NOTICES, n.agreementKey(), OutboundEvents.DELIVERED_TO_USER,
                        n.agreementKey() + "/notices/" + n.id() + "/users/" + d.userId(),
                        new OutboundEvents.DeliveredToUser(n.id(), n.agreementKey(), n.toVersion(), d.userId(), at));
            }
        }
        return find(deliveryId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DeliveryWithReports> find(UUID deliveryId) {
        return deliveries.find(deliveryId).map(d -> new DeliveryWithReports(d, deliveries.reports(deliveryId)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page page(UUID noticeId, DeliveryStatus status, String channel, String userId, int page, int size) {
        String s = status == null ? null : status.name();
        return new Page(deliveries.page(noticeId, s, channel, userId, page, size),
                deliveries.count(noticeId, s, channel, userId));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(UUID noticeId) {
        return deliveries.count(noticeId, null, null, null);
    }
}
