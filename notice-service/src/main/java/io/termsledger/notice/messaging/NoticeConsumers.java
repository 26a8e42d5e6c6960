package io.termsledger.notice.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.notice.domain.DeliveryStatus;
import io.termsledger.notice.service.AudienceService;
import io.termsledger.notice.service.DeliveryService;
import io.termsledger.notice.service.NoticeService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/**
 * The three inputs of notice-service: agreement and version events (notices), consent
 * events (the audience), and gateway reports (delivery status). Each event is applied in
 * the kit's transaction that also marks its {@code ce_id} consumed; types not listed here
 * are ignored.
 */
@ApplicationScoped
public class NoticeConsumers {

    @Inject
    EventConsumers consumers;

    @Inject
    ObjectMapper json;

    @Inject
    NoticeService notices;

    @Inject
    AudienceService audience;

    @Inject
    DeliveryService deliveries;

    void onStart(@Observes StartupEvent ev) {
        consumers.start("versions", List.of(Topics.AGREEMENT_VERSIONS), this::onVersionEvent);
        consumers.start("consents", List.of(Topics.CONSENT_EVENTS), this::onConsentEvent);
        consumers.start("delivery-reports", List.of(Topics.DELIVERY_REPORTS), this::onDeliveryReport);
    }

    void onVersionEvent(IncomingEvent e) throws Exception {
        switch (e.type()) {
            case InboundEvents.AGREEMENT_REGISTERED ->
                    notices.onAgreementRegistered(json.readValue(e.data(), InboundEvents.Agreement.class), e.key());
            case InboundEvents.VERSION_PUBLISHED ->
                    notices.onVersionPublished(json.readValue(e.data(), InboundEvents.VersionPublished.class), e.id());
            case InboundEvents.VERSION_WITHDRAWN ->
                    notices.onVersionWithdrawn(json.readValue(e.data(), InboundEvents.VersionWithdrawn.class), e.id());
            default -> {
            }
        }
    }

    void onConsentEvent(IncomingEvent e) throws Exception {
        switch (e.type()) {
            case InboundEvents.CONSENT_BOUND ->
                    audience.onBound(json.readValue(e.data(), InboundEvents.ConsentBound.class));
            case InboundEvents.CONSENT_ACCEPTED ->
                    audience.onAccepted(json.readValue(e.data(), InboundEvents.ConsentAccepted.class));
            default -> {
            }
        }
    }

    void onDeliveryReport(IncomingEvent e) throws Exception {
        if (!InboundEvents.DELIVERY_REPORTED.equals(e.type())) {
            return;
        }
        InboundEvents.DeliveryReported r = json.readValue(e.data(), InboundEvents.DeliveryReported.class);
        if (r.deliveryId() == null || r.status() == null || r.at() == null) {
            throw new MalformedEventException("a delivery report needs deliveryId, status and at");
        }
        DeliveryStatus status = DeliveryStatus.valueOf(r.status());
        if (!status.reportable()) {
            throw new MalformedEventException("status " + status + " cannot be reported");
        }
        if (deliveries.report(UUID.fromString(r.deliveryId()), status, r.at(), r.detail(), "event:" + e.id())
                .isEmpty()) {
            throw new MalformedEventException("no delivery " + r.deliveryId());
        }
    }
}
