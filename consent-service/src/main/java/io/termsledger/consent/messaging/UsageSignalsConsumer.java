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
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

    @Inject
    Validator validator;

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
        UsageRequest r = new UsageRequest(Json.text(d, "userId"), Json.optText(d, "agreementKey"), Json.optText(d, "product"),
                Json.instant(d, "occurredAt"));
        // the rules POST /usage applies to its body (a user id of 1 to 200 characters, no control characters ...)
        Set<ConstraintViolation<UsageRequest>> violations = validator.validate(r);
        if (!violations.isEmpty()) {
            throw new MalformedEventException(violations.stream().map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .sorted().collect(Collectors.joining("; ")));
        }
        try {
            usage.record(r, "kafka:" + e.id());
        } catch (ApiProblem p) {
            throw new MalformedEventException(p.getMessage());
        }
    }
}
