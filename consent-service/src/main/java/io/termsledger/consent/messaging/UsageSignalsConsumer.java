package io.termsledger.consent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.rest.UsageRequest;
import io.termsledger.consent.service.UsageService;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.EventHandler;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
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
        consumers.startBatched("usage-signals", List.of(Topics.USAGE_SIGNALS), new EventHandler() {
            @Override
            public void handle(IncomingEvent e) throws Exception {
                UsageSignalsConsumer.this.handle(e);
            }

            @Override
            public void handleAll(List<IncomingEvent> events) throws Exception {
                UsageSignalsConsumer.this.handleAll(events);
            }
        });
    }

    public void handle(IncomingEvent e) throws Exception {
        if (TYPE.equals(e.type())) {
            apply(e, json.readTree(e.data()));
        }
    }

    /**
     * A poll's signals, earliest {@code occurredAt} first (a signal whose instant cannot be read first of all, to be
     * refused as before). A signal is stored only when its interval holds no earlier one, so signals taken newest
     * first were each stored (a product flushing its buffer backwards); taken earliest first, one row per interval
     * and poll. The answers are the same in either order: only the earliest signal of an interval counts.
     */
    public void handleAll(List<IncomingEvent> events) throws Exception {
        List<Signal> signals = new ArrayList<>();
        for (IncomingEvent e : events) {
            if (TYPE.equals(e.type())) {
                JsonNode d;
                try {
                    d = json.readTree(e.data());
                } catch (JsonProcessingException unreadable) {
                    d = null;
                }
                signals.add(new Signal(e, d, occurredAt(d)));
            }
        }
        signals.sort(Comparator.comparing(Signal::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Signal s : signals) {
            if (s.data() == null) {
                handle(s.event()); // refused with the parser's own message
            } else {
                apply(s.event(), s.data());
            }
        }
    }

    /** A signal of a poll, read once: its data (null when unreadable) and instant (null when it has none). */
    private record Signal(IncomingEvent event, JsonNode data, Instant at) {
    }

    private static Instant occurredAt(JsonNode d) {
        JsonNode at = d == null ? null : d.get("occurredAt");
        if (at == null || !at.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(at.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void apply(IncomingEvent e, JsonNode d) throws Exception {
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
