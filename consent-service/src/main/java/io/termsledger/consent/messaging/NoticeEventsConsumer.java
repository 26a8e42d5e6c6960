package io.termsledger.consent.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.service.ProjectionService;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * {@code notice.delivered-to-user.v1} from {@code agreements.notices}: the instant a
 * notice reached a user, which sets the user's own effective date under
 * INDIVIDUAL_DELIVERY (E_u = max(E, deliveredAt + noticeDays)). Deliveries are kept
 * even when the agreement is not (yet) in the read model. Each delivery instant received
 * per (notice, user) is kept (a later event may name an earlier delivery); the engine takes
 * the earliest.
 */
@ApplicationScoped
public class NoticeEventsConsumer {

    public static final String DELIVERED = "notice.delivered-to-user.v1";

    @Inject
    EventConsumers consumers;

    @Inject
    ObjectMapper json;

    @Inject
    LedgerRepository ledger;

    @Inject
    ProjectionService projection;

    @Inject
    AppClock clock;

    void onStart(@Observes StartupEvent ev) {
        consumers.startBatched("notices", List.of(Topics.AGREEMENT_NOTICES), this::handle);
    }

    public void handle(IncomingEvent e) throws Exception {
        if (!DELIVERED.equals(e.type())) {
            return;
        }
        JsonNode d = json.readTree(e.data());
        if (d == null || !d.isObject()) {
            throw new MalformedEventException("data must be a JSON object");
        }
        String userId = Json.text(d, "userId");
        String key = Json.text(d, "agreementKey");
        int version = Json.integer(d, "version");
        String noticeId = Json.text(d, "noticeId");
        var deliveredAt = Json.instant(d, "deliveredAt");
        ledger.lockUser(userId);
        if (ledger.insertDelivery(userId, key, version, noticeId, deliveredAt, clock.now())) {
            projection.refresh(userId, key);
        }
    }
}
