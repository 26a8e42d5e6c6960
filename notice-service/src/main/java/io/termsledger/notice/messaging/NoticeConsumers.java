package io.termsledger.notice.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.EventHandler;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.notice.domain.AudienceChanges;
import io.termsledger.notice.domain.DeliveryStatus;
import io.termsledger.notice.service.AudienceService;
import io.termsledger.notice.service.DeliveryService;
import io.termsledger.notice.service.NoticeService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The three inputs of notice-service: agreement and version events (notices), consent
 * events (the audience), and gateway reports (delivery status). Each event is applied in
 * the kit's transaction that also marks its {@code ce_id} consumed (consent events a poll
 * at a time, set-based); types not listed here are ignored.
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
        consumers.startBatched("consents", List.of(Topics.CONSENT_EVENTS), new EventHandler() {
            @Override
            public void handle(IncomingEvent e) throws Exception {
                handleAll(List.of(e));
            }

            @Override
            public void handleAll(List<IncomingEvent> events) throws Exception {
                onConsentEvents(events);
            }
        });
        consumers.startBatched("delivery-reports", List.of(Topics.DELIVERY_REPORTS), this::onDeliveryReport);
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

    /** consents.events: bindings, acceptances and product users keep the audience, a poll at a time; other types are ignored. */
    void onConsentEvents(List<IncomingEvent> events) throws Exception {
        List<AudienceChanges.Change> changes = new ArrayList<>(events.size());
        for (IncomingEvent e : events) {
            switch (e.type()) {
                case InboundEvents.CONSENT_BOUND ->
                        changes.add(AudienceService.change(json.readValue(e.data(), InboundEvents.ConsentBound.class)));
                case InboundEvents.CONSENT_ACCEPTED ->
                        changes.add(AudienceService.change(json.readValue(e.data(), InboundEvents.ConsentAccepted.class)));
                case InboundEvents.PRODUCT_USED ->
                        changes.add(AudienceService.change(json.readValue(e.data(), InboundEvents.ProductUsed.class)));
                default -> {
                }
            }
        }
        audience.applyAll(changes);
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
        try {
            if (deliveries.report(UUID.fromString(r.deliveryId()), status, r.at(), r.detail(), "event:" + e.id())
                    .isEmpty()) {
                throw new MalformedEventException("no delivery " + r.deliveryId());
            }
        } catch (ApiProblem p) {
            // the rules the REST callback applies (not in the future, not before the request)
            throw new MalformedEventException(p.getMessage());
        }
    }
}
