package io.termsledger.notice.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.kit.hash.Sha256;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.config.NoticeConfig;
import io.termsledger.notice.domain.AgreementPolicy;
import io.termsledger.notice.domain.Changes;
import io.termsledger.notice.domain.Clause;
import io.termsledger.notice.domain.LeadTime;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.messaging.InboundEvents;
import io.termsledger.notice.messaging.OutboundEvents;
import io.termsledger.notice.repository.AgreementRepository;
import io.termsledger.notice.repository.NoticeRecord;
import io.termsledger.notice.repository.NoticeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Issues notices: a REVISION notice per published revision, a WITHDRAWAL notice per
 * withdrawn one, and the admin notices with legal lead times. Each notice is written
 * with its {@code notice.issued.v1} event in one transaction; its deliveries are fanned
 * out afterwards by {@link FanoutService}.
 */
@ApplicationScoped
@Transactional
public class NoticeService {

    private static final Logger LOG = Logger.getLogger(NoticeService.class);
    static final String DEFAULT_ZONE = "Asia/Shanghai";

    @Inject
    AgreementRepository agreements;

    @Inject
    NoticeRepository notices;

    @Inject
    Outbox outbox;

    @Inject
    AppClock clock;

    @Inject
    NoticeConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    AfterCommit afterCommit;

    public void onAgreementRegistered(InboundEvents.Agreement a, String key) {
        agreements.upsert(policyOf(a), clock.now());
    }

    public void onVersionPublished(InboundEvents.VersionPublished e, String eventId) {
        String key = required(e.agreementKey(), "agreementKey");
        int version = required(e.version(), "version");
        Instant noticeAt = micros(required(e.noticeAt(), "noticeAt"));
        Instant effectiveAt = micros(required(e.effectiveAt(), "effectiveAt"));
        AgreementPolicy policy = policyOf(required(e.agreement(), "agreement"));
        // what consent-service's read model refuses is refused here too: a notice for a version consent-service
        // never took would ask users to accept what it cannot record
        if (!policy.agreementKey().equals(key)) {
            throw new MalformedEventException("agreement.agreementKey differs from agreementKey");
        }
        if (version < 1) {
            throw new MalformedEventException("version must be positive");
        }
        if (effectiveAt.isBefore(noticeAt)) {
            throw new MalformedEventException("effectiveAt lies before noticeAt");
        }
        if (e.contentSha256() == null || !e.contentSha256().matches("[0-9a-f]{64}")) {
            throw new MalformedEventException("contentSha256 must be 64 lower-case hex digits");
        }
        List<Clause> clauses = required(e.clauses(), "clauses").stream()
                .map(c -> new Clause(c.id(), c.heading(), c.text(), Boolean.TRUE.equals(c.highlighted())))
                .toList();
        boolean imported = Boolean.TRUE.equals(e.imported());
        Instant now = clock.now();
        agreements.upsert(policy, now);
        agreements.saveVersion(key, version, e.label(), imported, noticeAt, effectiveAt, e.contentSha256(),
                e.previousVersion(), clauses);
        Optional<Instant> withdrawn = agreements.withdrawnBeforeStored(key, version);
        if (withdrawn.isPresent()) {
            // its withdrawal came first (this event was parked and replayed): a withdrawn version gets no notice
            agreements.markWithdrawn(key, version, withdrawn.get());
            LOG.infof("%s v%d arrived after its withdrawal at %s: stored withdrawn, no notice", key, version,
                    withdrawn.get());
            return;
        }
        if (e.previousVersion() == null) {
            // the first live version (version 1, or the first after drafts never published or versions withdrawn):
            // version-service lets it take effect at publication, and nobody is bound to an earlier one to notify
            return;
        }
        agreements.lockExclusive(key);
        Changes changes = agreements.clauses(key, e.previousVersion()).map(old -> Changes.between(old, clauses))
                .orElse(null);
        if (changes == null) {
            LOG.warnf("%s v%d: previous version %d was never seen, the notice lists no changes", key, version,
                    e.previousVersion());
        }
        int required = policy.noticeDays();
        NoticeRecord n = new NoticeRecord(UUID.randomUUID(), NoticeType.REVISION, key, e.previousVersion(), version,
                noticeAt, effectiveAt, required, LeadTime.actualDays(noticeAt, effectiveAt, policy.zone()),
                LeadTime.met(noticeAt, effectiveAt, required, policy.zone()), write(changes), e.changeSummary(),
                imported, policy.noticeMeasuredFrom(), null, eventId, now, null, null, null,
                imported ? now : null);
        issue(n, changes);
    }

    public void onVersionWithdrawn(InboundEvents.VersionWithdrawn e, String eventId) {
        String key = required(e.agreementKey(), "agreementKey");
        int version = required(e.version(), "version");
        Instant withdrawnAt = micros(required(e.withdrawnAt(), "withdrawnAt"));
        agreements.markWithdrawn(key, version, withdrawnAt);
        agreements.lockExclusive(key);
        Optional<NoticeRecord> found = notices.findByVersion(NoticeType.REVISION, key, version);
        if (found.isEmpty()) {
            LOG.infof("%s v%d withdrawn without a revision notice here: nothing to withdraw", key, version);
            return;
        }
        NoticeRecord rev = found.get();
        if (rev.firedAt() != null) {
            LOG.warnf("%s v%d withdrawn after its effective event went out at %s", key, version, rev.firedAt());
        }
        notices.markWithdrawn(rev.id(), withdrawnAt);
        Instant now = clock.now();
        NoticeRecord w = new NoticeRecord(UUID.randomUUID(), NoticeType.WITHDRAWAL, key, rev.fromVersion(),
                rev.toVersion(), withdrawnAt, withdrawnAt, 0, 0, true, write(Changes.none()), e.reason(),
                rev.imported(), rev.noticeMeasuredFrom(), rev.id(), eventId, now, null, null, null,
                rev.imported() ? now : null);
        issue(w, Changes.none());
    }

    /** An admin notice as issued, or as found when an earlier request with the same Idempotency-Key issued it. */
    public record Issued(NoticeRecord notice, boolean replayed) {
    }

    /**
     * An admin notice (DOMAIN.md §6), refused with 422 when its lead time is shorter than required. With an
     * {@code idempotencyKey}, a request whose key issued a notice before gets that notice (its body the same;
     * another body is 422), even when today's rules would refuse it; the key is stored with the notice, so a
     * refused request leaves it unused. A request with the same key that arrives while the first is being
     * written waits for it and then gets its notice.
     */
    public Issued issueAdminNotice(NoticeType type, String key, Instant effectiveAt, String message,
            String idempotencyKey) {
        String requestSha256 = idempotencyKey == null ? null : requestSha256(type, key, effectiveAt, message);
        if (idempotencyKey != null) {
            Optional<Issued> earlier = earlierUse(idempotencyKey, requestSha256);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (!type.adminIssued()) {
            throw ApiProblem.badRequest("type " + type + " is issued from version events, not by an admin");
        }
        AgreementPolicy p = agreements.find(key).orElseThrow(() -> ApiProblem.unprocessable("unknown-agreement",
                "agreement '" + key + "' is unknown here: it must be registered with version-service first"));
        int required = requiredDays(p, type);
        Instant now = micros(clock.now());
        effectiveAt = micros(effectiveAt);
        Instant earliest = LeadTime.earliestEffectiveAt(now, required, p.zone());
        if (effectiveAt.isBefore(earliest)) {
            throw ApiProblem.unprocessable("lead-time-too-short", type + " notices for '" + key + "' need "
                            + required + " natural days (" + p.zone() + "): effectiveAt must be " + earliest
                            + " or later")
                    .with("requiredLeadDays", required)
                    .with("earliestEffectiveAt", earliest.toString());
        }
        agreements.lockExclusive(key);
        NoticeRecord n = new NoticeRecord(UUID.randomUUID(), type, key, null, null, now, effectiveAt, required,
                LeadTime.actualDays(now, effectiveAt, p.zone()), true, write(Changes.none()), message, false,
                p.noticeMeasuredFrom(), null, null, now, null, null, null, null);
        if (idempotencyKey != null && !notices.storeIdempotencyKey(idempotencyKey, requestSha256, n.id(), now)) {
            // a request with the same key committed while this one waited on the key: its notice is the answer
            return earlierUse(idempotencyKey, requestSha256).orElseThrow();
        }
        issue(n, Changes.none());
        return new Issued(n, false);
    }

    private Optional<Issued> earlierUse(String idempotencyKey, String requestSha256) {
        return notices.idempotencyKey(idempotencyKey).map(earlier -> {
            if (!earlier.requestSha256().equals(requestSha256)) {
                throw ApiProblem.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used with a different request body; use a new key.");
            }
            return new Issued(notices.find(earlier.noticeId()).orElseThrow(), true);
        });
    }

    /**
     * What an admin notice's Idempotency-Key is checked against: its fields, the instant to the microsecond, each
     * after its length (joined by a separator, a key and a message holding it could change places).
     */
    static String requestSha256(NoticeType type, String key, Instant effectiveAt, String message) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of(type.name(), key, micros(effectiveAt).toString(), message)) {
            text.append(field.length()).append(':').append(field);
        }
        return Sha256.hex(text.toString());
    }

    /** Minimum natural days: the agreement's own notice period for the type, else the configured default. */
    int requiredDays(AgreementPolicy p, NoticeType type) {
        Integer own = p.noticePeriods() == null ? null : p.noticePeriods().get(type.name());
        if (own != null) {
            return own;
        }
        return config.periods().getOrDefault(type.name(), 0);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<NoticeRecord> find(UUID id) {
        return notices.find(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NoticeRecord> list(String agreementKey, NoticeType type) {
        return notices.list(agreementKey, type);
    }

    private void issue(NoticeRecord n, Changes changes) {
        if (!notices.insert(n)) {
            LOG.debugf("%s notice for %s v%s exists already", n.type(), n.agreementKey(), n.toVersion());
            return;
        }
        outbox.append(Topics.AGREEMENT_NOTICES, n.agreementKey(), OutboundEvents.NOTICE_ISSUED,
                n.agreementKey() + "/notices/" + n.id(),
                new OutboundEvents.NoticeIssued(n.id(), n.type().name(), n.agreementKey(), n.fromVersion(),
                        n.toVersion(), n.noticeAt(), n.effectiveAt(), n.requiredLeadDays(), n.actualLeadDays(),
                        changes));
        afterCommit.wakeScheduler();
    }

    /**
     * The policy an agreement event carries, held to the rules consent-service's read model applies (its
     * {@code AgreementEventsConsumer}; the two must refuse the same events, or one service would act on a version
     * the other never took): the agreement's own key, a scope of GENERAL or PRODUCT, notice days given and not
     * negative (a missing value was taken as 0 days), a known binding rule, acceptance methods an array of known
     * methods, a known notice regime, an IANA zone, and notice periods of whole days not below zero; an event
     * that breaks one is parked.
     */
    static AgreementPolicy policyOf(InboundEvents.Agreement a) {
        String key = required(a.agreementKey(), "agreementKey");
        InboundEvents.Policy p = required(a.policy(), "policy");
        String scope = required(a.scope(), "scope");
        if (!scope.equals("GENERAL") && !scope.equals("PRODUCT")) {
            throw new MalformedEventException("scope must be GENERAL or PRODUCT, not " + scope);
        }
        int noticeDays = required(p.noticeDays(), "policy.noticeDays");
        if (noticeDays < 0) {
            throw new MalformedEventException("policy.noticeDays must not be negative");
        }
        String rule = required(p.bindingRule(), "policy.bindingRule");
        if (!rule.equals("ON_EFFECTIVE_DATE") && !rule.equals("ON_CONTINUED_USE")) {
            throw new MalformedEventException("policy.bindingRule has an unknown value: " + rule);
        }
        for (String method : required(p.acceptanceMethods(), "policy.acceptanceMethods")) {
            if (method == null || !Set.of("CLICK", "SEAL", "USE").contains(method)) {
                throw new MalformedEventException("policy.acceptanceMethods has an unknown value: " + method);
            }
        }
        String measured = p.noticeMeasuredFrom() == null ? "ANNOUNCEMENT" : p.noticeMeasuredFrom();
        if (!measured.equals("ANNOUNCEMENT") && !measured.equals("INDIVIDUAL_DELIVERY")) {
            throw new MalformedEventException("policy.noticeMeasuredFrom has an unknown value: " + measured);
        }
        Map<String, Integer> periods = p.noticePeriods() == null ? Map.of() : p.noticePeriods();
        if (periods.values().stream().anyMatch(days -> days == null || days < 0)) {
            throw new MalformedEventException("policy.noticePeriods must hold whole days not below zero");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(a.timezone() == null ? DEFAULT_ZONE : a.timezone());
        } catch (DateTimeException e) {
            throw new MalformedEventException("timezone is not an IANA zone: " + a.timezone());
        }
        return new AgreementPolicy(key, scope, a.parentKey(), a.product(), zone, noticeDays, measured, Map.copyOf(periods));
    }

    /** PostgreSQL keeps microseconds: instants are cut to them before they are stored or published. */
    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new MalformedEventException("event data has no '" + field + "'");
        }
        return value;
    }

    private String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
