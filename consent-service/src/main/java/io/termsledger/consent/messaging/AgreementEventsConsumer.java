package io.termsledger.consent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.domain.BindingRule;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.domain.NoticeMeasuredFrom;
import io.termsledger.consent.domain.Policy;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.service.ProjectionService;
import io.termsledger.kit.messaging.EventConsumers;
import io.termsledger.kit.messaging.IncomingEvent;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the read model of agreements and versions from {@code agreements.versions}
 * (docs/events.md). Idempotent on the event id (kit consumer) and on content (upserts,
 * insert-if-absent); unknown types are ignored, malformed data is parked.
 */
@ApplicationScoped
public class AgreementEventsConsumer {

    public static final String REGISTERED = "agreement.registered.v1";
    public static final String PUBLISHED = "agreement.version.published.v1";
    public static final String WITHDRAWN = "agreement.version.withdrawn.v1";

    @Inject
    EventConsumers consumers;

    @Inject
    ObjectMapper json;

    @Inject
    AgreementRepository agreements;

    @Inject
    ProjectionService projection;

    void onStart(@Observes StartupEvent ev) {
        consumers.start("agreement-versions", List.of(Topics.AGREEMENT_VERSIONS), this::handle);
    }

    public void handle(IncomingEvent e) throws JsonProcessingException {
        switch (e.type()) {
            case REGISTERED -> agreements.upsertAgreement(agreement(json.readTree(e.data())));
            case PUBLISHED -> published(json.readTree(e.data()));
            case WITHDRAWN -> withdrawn(json.readTree(e.data()));
            default -> {
                // not for us
            }
        }
    }

    private void published(JsonNode d) {
        String key = Json.text(d, "agreementKey");
        Agreement a = agreement(Json.object(d, "agreement"));
        if (!a.key().equals(key)) {
            throw new MalformedEventException("agreement.agreementKey differs from agreementKey");
        }
        int version = Json.integer(d, "version");
        if (version < 1) {
            throw new MalformedEventException("version must be positive");
        }
        String sha = Json.text(d, "contentSha256");
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new MalformedEventException("contentSha256 must be 64 lower-case hex digits");
        }
        var noticeAt = Json.instant(d, "noticeAt");
        var effectiveAt = Json.instant(d, "effectiveAt");
        if (effectiveAt.isBefore(noticeAt)) {
            throw new MalformedEventException("effectiveAt lies before noticeAt");
        }
        // not read here, but notice-service needs the clauses for the revision's notice and parks the event without
        // them: both services take the same publications, or users would be bound with no notice given
        if (!d.path("clauses").isArray()) {
            throw new MalformedEventException("clauses must be an array");
        }
        agreements.upsertAgreement(a);
        agreements.insertVersion(new Version(key, version, Json.optText(d, "label"),
                d.path("imported").asBoolean(false), noticeAt, effectiveAt, sha, Json.optInteger(d, "previousVersion"),
                null, null));
        projection.markAgreementDue(key);
    }

    private void withdrawn(JsonNode d) {
        String key = Json.text(d, "agreementKey");
        int version = Json.integer(d, "version");
        var at = Json.instant(d, "withdrawnAt");
        if (agreements.withdraw(key, version, at, Json.optText(d, "reason")) == 0) {
            throw new MalformedEventException("withdrawal of unknown version " + key + " v" + version);
        }
        projection.markAgreementDue(key);
    }

    static Agreement agreement(JsonNode d) {
        JsonNode p = Json.object(d, "policy");
        String scope = Json.text(d, "scope");
        if (!scope.equals("GENERAL") && !scope.equals("PRODUCT")) {
            throw new MalformedEventException("scope must be GENERAL or PRODUCT");
        }
        String tz = Json.optText(d, "timezone");
        ZoneId zone;
        try {
            zone = ZoneId.of(tz == null ? "Asia/Shanghai" : tz);
        } catch (DateTimeException ex) {
            throw new MalformedEventException("timezone is not an IANA zone: " + tz);
        }
        Set<Method> methods = EnumSet.noneOf(Method.class);
        JsonNode m = p.get("acceptanceMethods");
        if (m == null || !m.isArray()) {
            throw new MalformedEventException("policy.acceptanceMethods must be an array");
        }
        for (JsonNode x : m) {
            methods.add(enumValue(Method.class, x.asText(), "policy.acceptanceMethods"));
        }
        int noticeDays = Json.integer(p, "noticeDays");
        if (noticeDays < 0) {
            throw new MalformedEventException("policy.noticeDays must not be negative");
        }
        // read by notice-service only; held to its rule, so that both services refuse the same events
        JsonNode periods = p.path("noticePeriods");
        if (!periods.isMissingNode() && !periods.isNull()) {
            if (!periods.isObject()) {
                throw new MalformedEventException("policy.noticePeriods must be an object");
            }
            periods.elements().forEachRemaining(days -> {
                if (!days.canConvertToInt() || !days.isIntegralNumber() || days.asInt() < 0) {
                    throw new MalformedEventException("policy.noticePeriods must hold whole days not below zero");
                }
            });
        }
        String measured = Json.optText(p, "noticeMeasuredFrom");
        Policy policy = new Policy(noticeDays,
                enumValue(BindingRule.class, Json.text(p, "bindingRule"), "policy.bindingRule"),
                p.path("sealPrevails").asBoolean(false), Set.copyOf(methods),
                measured == null ? NoticeMeasuredFrom.ANNOUNCEMENT
                        : enumValue(NoticeMeasuredFrom.class, measured, "policy.noticeMeasuredFrom"), zone);
        return new Agreement(Json.text(d, "agreementKey"), Json.optText(d, "title"), Json.optText(d, "provider"), scope,
                Json.optText(d, "parentKey"), Json.optText(d, "product"), zone.getId(), policy,
                Json.optInstant(d, "registeredAt"));
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new MalformedEventException(field + " has an unknown value: " + value);
        }
    }
}
