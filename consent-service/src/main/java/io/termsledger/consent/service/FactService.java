package io.termsledger.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.Head;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.consent.rest.ConsentRequest;
import io.termsledger.consent.rest.ObjectionRequest;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.EventIds;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Records acceptances and objections: validates them against the read model and the
 * policy ({@code prepare…}), then appends them to the users' hash chains under the users'
 * locks, writes the accepted/objected events to the outbox and re-evaluates the users —
 * all in the caller's transaction, several facts at a time ({@link #recordAll}).
 */
@ApplicationScoped
public class FactService {

    public static final String ACCEPTED_EVENT = "consent.accepted.v1";
    public static final String OBJECTED_EVENT = "consent.objected.v1";
    /**
     * The shape of a fact's canonical form. {@code /2} adds {@code contentSha256}, the named version's content
     * hash, to every fact; facts of {@code /1} carry it only as {@code evidence.documentSha256}, when sent.
     */
    public static final String FACT_SCHEMA = "terms-ledger/fact/2";

    @Inject
    AgreementRepository agreements;

    @Inject
    LedgerRepository ledger;

    @Inject
    Db db;

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

    /**
     * A validated fact, ready to be appended: everything but its place in the user's chain.
     * {@code body} holds the kind-specific members of the canonical form; {@code extra}
     * the kind-specific members of its event; {@code contentSha256} the content hash of the version it names.
     */
    public record Draft(String userId, String agreementKey, int version, String contentSha256, String kind,
                        Method method, Instant occurredAt, ObjectNode body, Map<String, Object> extra) {
        LedgerRepository.UserKey key() {
            return new LedgerRepository.UserKey(userId, agreementKey);
        }
    }

    /**
     * Validates an acceptance against the read model and the policy (cached: no database
     * work, no transaction); refusals are {@link ApiProblem}s.
     */
    public Draft prepareAccept(ConsentRequest r, boolean imported) {
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
        return new Draft(r.userId(), a.key(), v.version(), v.contentSha256(), "ACCEPTED", r.method(), occurred, body,
                Map.of("method", r.method().name()));
    }

    /**
     * Whether validating a fact of this agreement now reads only cached catalog data, no
     * database: the catalog is cached and stays fresh for another 50 ms, far longer than a
     * validation takes. The request path then validates on its I/O thread.
     */
    public boolean preparesFromCache(String agreementKey) {
        return agreementKey != null && agreements.cachedFor(agreementKey, 50_000_000L);
    }

    /** Validates an objection against the read model; refusals are {@link ApiProblem}s. */
    public Draft prepareObject(ObjectionRequest r, boolean imported) {
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
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reason", r.reason());
        return new Draft(r.userId(), a.key(), v.version(), v.contentSha256(), "OBJECTED", null, occurred, body, extra);
    }

    /**
     * Appends validated facts, in the given order, to their users' chains under the users'
     * locks; writes their accepted/objected events to the outbox; re-evaluates every
     * (user, agreement) touched (imports leave that to the sweep). A fixed number of
     * statements, whatever the number of facts.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Recorded> recordAll(List<Draft> drafts, boolean imported) {
        Db.Statement writes = db.statement();
        List<Recorded> out = recordAll(drafts, imported, writes);
        writes.run();
        return out;
    }

    /** An imported draft's outcome: recorded now, or the same fact as one the ledger already holds. */
    public record ImportOutcome(Recorded recorded, UUID duplicateOf) {
    }

    /** The fields of a fact's canonical text that the ledger gives it; the rest is what the person did. */
    // contentSha256 follows from agreementKey and version, and facts of schema /1 lack it: not part of what a fact says
    private static final List<String> LEDGER_FIELDS = List.of("schema", "eventId", "seq", "recordedAt", "imported",
            "prevHash", "contentSha256");

    /**
     * Appends imported facts like {@link #recordAll(List, boolean)}, except a fact the user's ledger already
     * holds (same agreement, version, kind, method, instant to the microsecond, evidence and reason) or that
     * an earlier line of the same batch holds: an import sent again after a dropped connection, or a file
     * with a line twice, records each fact once. Checked under the users' locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ImportOutcome> recordImported(List<Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        Db.Queries q = db.queries();
        Supplier<Locks> locks = lock(drafts, true, q);
        q.run();
        Map<String, UUID> held = new HashMap<>();
        for (LedgerRepository.Stored s : ledger.factsAt(drafts.stream().map(Draft::userId).toList(),
                drafts.stream().map(Draft::occurredAt).toList())) {
            held.putIfAbsent(storedContent(s.canonical()), s.eventId());
        }
        // the first draft of each content not held is recorded; every other draft names the fact that holds it
        String[] contents = new String[drafts.size()];
        boolean[] first = new boolean[drafts.size()];
        Set<String> seen = new HashSet<>();
        List<Draft> fresh = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            contents[i] = draftContent(drafts.get(i));
            first[i] = !held.containsKey(contents[i]) && seen.add(contents[i]);
            if (first[i]) {
                fresh.add(drafts.get(i));
            }
        }
        Db.Statement writes = db.statement();
        Iterator<Recorded> recorded = recordAll(fresh, true, writes, locks.get()).iterator();
        writes.run();
        List<ImportOutcome> out = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            if (first[i]) {
                Recorded r = recorded.next();
                held.put(contents[i], r.eventId());
                out.add(new ImportOutcome(r, null));
            } else {
                out.add(new ImportOutcome(null, held.get(contents[i])));
            }
        }
        return out;
    }

    /** What a draft would hold in its canonical text, without what the ledger adds. */
    private static String draftContent(Draft d) {
        ObjectNode body = d.body().deepCopy();
        body.put("userId", d.userId());
        body.put("agreementKey", d.agreementKey());
        body.put("version", d.version());
        body.put("occurredAt", d.occurredAt().toString());
        return Canonical.write(body);
    }

    private String storedContent(String canonical) {
        try {
            ObjectNode body = (ObjectNode) json.readTree(canonical);
            body.remove(LEDGER_FIELDS);
            return Canonical.write(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored fact's canonical text is not JSON", e);
        }
    }

    /**
     * {@link #recordAll(List, boolean)} with the facts, the head moves, the events and the
     * projection's changes as parts of {@code writes}, which the caller runs (adding its own
     * parts) before the transaction ends; an import's due marks are written at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Recorded> recordAll(List<Draft> drafts, boolean imported, Db.Statement writes) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        Db.Queries q = db.queries();
        Supplier<Locks> locks = lock(drafts, imported, q);
        q.run();
        return recordAll(drafts, imported, writes, locks.get());
    }

    /**
     * What appending facts needs held: the users' chain heads (none yet for a user whose first fact
     * this is: the write creates it) and the agreements' catalogs, locked; for live facts also what
     * their re-evaluation reads ({@code prior}, null for imports).
     */
    public record Locks(Map<String, Head> heads, Map<String, AgreementRepository.Catalog> catalogs,
                        ProjectionService.Prior prior) {
    }

    /**
     * Takes the locks a batch of facts needs as statements of {@code q}, followed (live facts) by
     * the reads of their re-evaluation: the locks once {@code q} has run.
     */
    public Supplier<Locks> lock(List<Draft> drafts, boolean imported, Db.Queries q) {
        Map<String, Head> heads = ledger.lockExistingHeads(drafts.stream().map(Draft::userId).toList(), q);
        Supplier<Map<String, AgreementRepository.Catalog>> catalogs =
                agreements.lockCatalogs(drafts.stream().map(Draft::agreementKey).toList(), q);
        ProjectionService.Prior prior = imported ? null
                : projection.readPrior(drafts.stream().map(Draft::key).distinct().toList(), q);
        return () -> new Locks(heads, catalogs.get(), prior);
    }

    /** {@link #recordAll(List, boolean, Db.Statement)} under locks already taken ({@link #lock}), covering every draft. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Recorded> recordAll(List<Draft> drafts, boolean imported, Db.Statement writes, Locks locks) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        for (Draft d : drafts) {
            recheck(d, locks.catalogs().get(d.agreementKey()));
        }
        Instant now = clock.now();
        Instant recordedAt = now.truncatedTo(ChronoUnit.MICROS);
        Map<String, Head> heads = new HashMap<>(locks.heads());
        Set<String> created = new HashSet<>();
        List<StoredFact> stored = new ArrayList<>(drafts.size());
        List<Outbox.Event> events = new ArrayList<>(drafts.size());
        List<Recorded> out = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            Head head = heads.get(d.userId());
            if (head == null) {
                // the user's first fact: this write creates the head
                head = new Head(0, Canonical.GENESIS);
                created.add(d.userId());
            }
            UUID eventId = EventIds.next();
            long seq = head.seq() + 1;
            ObjectNode body = d.body().deepCopy();
            body.put("schema", FACT_SCHEMA);
            body.put("eventId", eventId.toString());
            body.put("userId", d.userId());
            body.put("seq", seq);
            body.put("agreementKey", d.agreementKey());
            body.put("version", d.version());
            // the text the fact refers to, under the fact's own hash: a bundle's version list cannot swap it
            body.put("contentSha256", d.contentSha256());
            body.put("occurredAt", d.occurredAt().toString());
            body.put("recordedAt", recordedAt.toString());
            body.put("imported", imported);
            body.put("prevHash", head.hash());
            String canonical = Canonical.write(body);
            String hash = Canonical.sha256Hex(canonical);
            stored.add(new StoredFact(0, eventId, d.userId(), seq, d.kind(), d.agreementKey(), d.version(),
                    d.method() == null ? null : d.method().name(), d.occurredAt(), recordedAt, imported, canonical,
                    head.hash(), hash));
            heads.put(d.userId(), new Head(seq, hash));
            Recorded rec = new Recorded(eventId, seq, hash, head.hash(), recordedAt);
            out.add(rec);
            events.add(new Outbox.Event(eventId, now, Topics.CONSENT_EVENTS, d.userId(),
                    d.kind().equals("ACCEPTED") ? ACCEPTED_EVENT : OBJECTED_EVENT, d.userId() + "/" + d.agreementKey(),
                    eventData(d, rec)));
        }
        ledger.appendAll(stored, created, writes);
        List<LedgerRepository.UserKey> touched = drafts.stream().map(Draft::key).distinct().toList();
        if (imported) {
            writes.rows(Outbox.INSERT_FROM_ARRAYS, outbox.rows(events), Outbox.COLUMNS);
            projection.markDueAll(touched);
        } else {
            projection.refreshAll(touched, events, stored, writes, locks.catalogs(), locks.prior());
        }
        return out;
    }

    private static Map<String, Object> eventData(Draft d, Recorded rec) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", rec.eventId().toString());
        data.put("userId", d.userId());
        data.put("agreementKey", d.agreementKey());
        data.put("version", d.version());
        if (d.kind().equals("ACCEPTED")) {
            data.putAll(d.extra());
        }
        data.put("occurredAt", d.occurredAt().toString());
        data.put("recordedAt", rec.recordedAt().toString());
        if (!d.kind().equals("ACCEPTED")) {
            data.putAll(d.extra());
        }
        // every fact's chain hash, so that a consumer can anchor a proof on an objection too
        data.put("hash", rec.hash());
        return data;
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
        checkNotWithdrawn(v, occurred);
    }

    /**
     * Checks a fact validated against the cached catalog again under the catalog as locked for its write: a
     * withdrawal committed meanwhile (the fact may have waited in the writer's queue) refuses it as it would
     * have been refused at once. A refusal fails the batch; each of its facts is then written alone, so that
     * only this one is refused. Nothing else a fact was validated against changes once published.
     */
    private static void recheck(Draft d, AgreementRepository.Catalog locked) {
        if (locked == null) {
            return;
        }
        for (Version v : locked.versions()) {
            if (v.version() == d.version()) {
                checkNotWithdrawn(v, d.occurredAt());
            }
        }
    }

    private static void checkNotWithdrawn(Version v, Instant occurred) {
        if (v.withdrawnAt() != null && !v.withdrawnAt().isAfter(occurred)) {
            throw ApiProblem.unprocessable("version-withdrawn", v.agreementKey() + " version " + v.version()
                    + " was withdrawn at " + v.withdrawnAt()).with("withdrawnAt", v.withdrawnAt().toString());
        }
    }
}
