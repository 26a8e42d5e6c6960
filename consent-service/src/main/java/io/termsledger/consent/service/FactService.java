package io.termsledger.consent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.Head;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.consent.rest.ConsentRequest;
import io.termsledger.consent.rest.ObjectionRequest;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Records acceptances and objections: validates them against the read model and the
 * policy, appends them to the user's hash chain under the user's lock, writes the
 * accepted/objected event to the outbox and re-evaluates the user — all in one
 * transaction.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = ApiProblem.class) // refusals happen before any write
public class FactService {

    public static final String ACCEPTED_EVENT = "consent.accepted.v1";
    public static final String OBJECTED_EVENT = "consent.objected.v1";
    public static final String FACT_SCHEMA = "terms-ledger/fact/1";

    @Inject
    AgreementRepository agreements;

    @Inject
    LedgerRepository ledger;

    @Inject
    ProjectionService projection;

    @Inject
    Outbox outbox;

    @Inject
    AppClock clock;

    @Inject
    ConsentConfig config;

    @Inject
    IpHasher ipHasher;

    @Inject
    ObjectMapper json;

    /** The answer to a recorded fact ({@code POST /consents}, {@code POST /objections}). */
    public record Recorded(UUID eventId, long seq, String hash, String prevHash, Instant recordedAt) {
    }

    public Recorded accept(ConsentRequest r, boolean imported, Consumer<Recorded> inTransaction) {
        Instant now = clock.now();
        Agreement a = agreement(r.agreementKey());
        Version v = version(a, r.version());
        Instant occurred = occurredAt(r.occurredAt(), now, imported);
        checkTime(v, occurred, now);
        if (!a.policy().acceptanceMethods().contains(r.method())) {
            throw ApiProblem.unprocessable("method-not-allowed", "Agreement " + a.key() + " does not accept " + r.method()
                    + "; allowed methods: " + a.policy().acceptanceMethods().stream().map(Enum::name).sorted().toList())
                    .with("allowedMethods", a.policy().acceptanceMethods().stream().map(Enum::name).sorted().toList());
        }
        ObjectNode evidence = evidence(r.evidence(), v);
        ObjectNode body = json.createObjectNode();
        body.put("kind", "ACCEPTED");
        body.put("method", r.method().name());
        if (!evidence.isEmpty()) {
            body.set("evidence", evidence);
        }
        Recorded rec = append(r.userId(), a.key(), v.version(), "ACCEPTED", r.method(), occurred, now, imported, body);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", rec.eventId().toString());
        data.put("userId", r.userId());
        data.put("agreementKey", a.key());
        data.put("version", v.version());
        data.put("method", r.method().name());
        data.put("occurredAt", occurred.toString());
        data.put("recordedAt", rec.recordedAt().toString());
        data.put("hash", rec.hash());
        return announce(rec, ACCEPTED_EVENT, r.userId(), a.key(), data, now, imported, inTransaction);
    }

    public Recorded object(ObjectionRequest r, boolean imported, Consumer<Recorded> inTransaction) {
        Instant now = clock.now();
        Agreement a = agreement(r.agreementKey());
        Version v = version(a, r.version());
        Instant occurred = occurredAt(r.occurredAt(), now, imported);
        checkTime(v, occurred, now);
        ObjectNode body = json.createObjectNode();
        body.put("kind", "OBJECTED");
        if (r.reason() != null && !r.reason().isBlank()) {
            body.put("reason", r.reason());
        }
        Recorded rec = append(r.userId(), a.key(), v.version(), "OBJECTED", null, occurred, now, imported, body);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", rec.eventId().toString());
        data.put("userId", r.userId());
        data.put("agreementKey", a.key());
        data.put("version", v.version());
        data.put("occurredAt", occurred.toString());
        data.put("recordedAt", rec.recordedAt().toString());
        data.put("reason", r.reason());
        return announce(rec, OBJECTED_EVENT, r.userId(), a.key(), data, now, imported, inTransaction);
    }

    /**
     * Writes the fact's event to the outbox and brings the user's projection up to date
     * (imports leave that to the sweep), all in the fact's transaction.
     */
    private Recorded announce(Recorded rec, String eventType, String userId, String key, Map<String, Object> data,
                              Instant now, boolean imported, Consumer<Recorded> inTransaction) {
        outbox.append(rec.eventId(), now, Topics.CONSENT_EVENTS, userId, eventType, userId + "/" + key, data);
        if (imported) {
            projection.markDue(userId, key);
        } else {
            projection.refresh(userId, key);
        }
        if (inTransaction != null) {
            inTransaction.accept(rec);
        }
        return rec;
    }

    private Recorded append(String userId, String key, int version, String kind, Method method, Instant occurred,
                            Instant now, boolean imported, ObjectNode body) {
        Head head = ledger.lockUser(userId);
        UUID eventId = UUID.randomUUID();
        Instant recordedAt = now.truncatedTo(ChronoUnit.MICROS);
        long seq = head.seq() + 1;
        body.put("schema", FACT_SCHEMA);
        body.put("eventId", eventId.toString());
        body.put("userId", userId);
        body.put("seq", seq);
        body.put("agreementKey", key);
        body.put("version", version);
        body.put("occurredAt", occurred.toString());
        body.put("recordedAt", recordedAt.toString());
        body.put("imported", imported);
        body.put("prevHash", head.hash());
        String canonical = Canonical.write(body);
        String hash = Canonical.sha256Hex(canonical);
        ledger.append(new StoredFact(0, eventId, userId, seq, kind, key, version, method == null ? null : method.name(),
                occurred, recordedAt, imported, canonical, head.hash(), hash));
        return new Recorded(eventId, seq, hash, head.hash(), recordedAt);
    }

    private ObjectNode evidence(ConsentRequest.Evidence e, Version v) {
        ObjectNode n = json.createObjectNode();
        if (e == null) {
            return n;
        }
        if (e.documentSha256() != null) {
            String doc = e.documentSha256().toLowerCase();
            if (!doc.equals(v.contentSha256())) {
                throw ApiProblem.unprocessable("document-hash-mismatch", "evidence.documentSha256 " + doc
                        + " is not the content hash of " + v.agreementKey() + " version " + v.version() + " ("
                        + v.contentSha256() + "): the user was shown another document")
                        .with("contentSha256", v.contentSha256());
            }
            n.put("documentSha256", doc);
        }
        put(n, "channel", e.channel());
        if (e.ip() != null && !e.ip().isBlank()) {
            n.put("ipHmac", ipHasher.hash(e.ip()));
        }
        put(n, "userAgent", e.userAgent());
        put(n, "locale", e.locale());
        put(n, "sealDocumentNo", e.sealDocumentNo());
        put(n, "sealScanSha256", e.sealScanSha256() == null ? null : e.sealScanSha256().toLowerCase());
        put(n, "sealOrganisation", e.sealOrganisation());
        return n;
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }

    Agreement agreement(String key) {
        return agreements.find(key).orElseThrow(() -> ApiProblem.unprocessable("unknown-agreement",
                "No agreement '" + key + "' is known (it must be registered in version-service first)."));
    }

    Version version(Agreement a, int version) {
        return agreements.version(a.key(), version).orElseThrow(() -> ApiProblem.unprocessable("unknown-version",
                "Agreement " + a.key() + " has no published version " + version + "; published: "
                        + agreements.versions(a.key()).stream().map(Version::version).toList()));
    }

    Instant occurredAt(Instant given, Instant now, boolean imported) {
        if (given == null) {
            if (imported) {
                throw ApiProblem.badRequest("occurredAt is required for imported facts");
            }
            return now.truncatedTo(ChronoUnit.MICROS);
        }
        return given.truncatedTo(ChronoUnit.MICROS);
    }

    void checkTime(Version v, Instant occurred, Instant now) {
        Instant latest = now.plus(config.clockSkew());
        if (occurred.isAfter(latest)) {
            throw ApiProblem.unprocessable("occurred-in-future", "occurredAt " + occurred + " lies in the future (now is "
                    + now + ", allowed skew " + config.clockSkew() + ")").with("latestAllowed", latest.toString());
        }
        if (occurred.isBefore(v.noticeAt())) {
            throw ApiProblem.unprocessable("before-notice", "occurredAt " + occurred + " is before the notice of "
                    + v.agreementKey() + " version " + v.version() + " (" + v.noticeAt() + ")")
                    .with("noticeAt", v.noticeAt().toString());
        }
        if (v.withdrawnAt() != null && !v.withdrawnAt().isAfter(occurred)) {
            throw ApiProblem.unprocessable("version-withdrawn", v.agreementKey() + " version " + v.version()
                    + " was withdrawn at " + v.withdrawnAt()).with("withdrawnAt", v.withdrawnAt().toString());
        }
    }
}
