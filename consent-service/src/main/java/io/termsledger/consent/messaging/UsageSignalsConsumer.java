package io.termsledger.consent.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.rest.UsageRequest;
import io.termsledger.consent.service.UsageService;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/** {@code usage.signal.v1} from products on {@code usage.signals}: the same path as {@code POST /usage}. */
@ApplicationScoped
public class UsageSignalsConsumer {

    public static final String TYPE = "usage.signal.v1";

    @Inject
    EventConsumers consumers;

    @Inject
    ObjectMapper json;

    @Inject
    UsageService usage;

    void onStart(@Observes StartupEvent ev) {
        consumers.startBatched("usage-signals", List.of(Topics.USAGE_SIGNALS), this::handle);
    }

    public void handle(IncomingEvent e) throws Exception {
        if (!TYPE.equals(e.type())) {
            return;
        }
        JsonNode d = json.readTree(e.data());
        if (d == null || !d.isObject()) {
            throw new MalformedEventException("data must be a JSON object");
        }
        String userId = Json.text(d, "userId");
        if (userId.length() > 200) {
            throw new MalformedEventException("userId is longer than 200 characters");
        }
        UsageRequest r = new UsageRequest(userId, Json.optText(d, "agreementKey"), Json.optText(d, "product"),
                Json.instant(d, "occurredAt"));
        try {
            usage.record(r, "kafka:" + e.id());
        } catch (ApiProblem p) {
            throw new MalformedEventException(p.getMessage());
        }
    }
}
