package io.termsledger.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.termsledger.consent.domain.EffectiveVersionEngine;
import io.termsledger.consent.domain.Fact;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.domain.Status;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Evaluates users with the engine and keeps the projection {@code user_agreement_status}
 * / {@code user_pending_state} and the derived {@code consent.bound.v1} events in step
 * with the ledger.
 *
 * <p><b>How "bound" events stay consistent with late facts.</b> Bound events are never
 * computed incrementally from the arriving fact: every change to a user's ledger for an
 * agreement (a fact, an import, a usage signal, a notice delivery, a withdrawal) and
 * every passing date (the sweep) re-evaluates the user with the engine over
 * <em>all</em> their facts, under the user's chain-head lock. The bindings the engine
 * derives are compared with what was already emitted ({@code bound_emission}, latest row
 * per (user, agreement, version)): a binding not yet emitted is emitted; a binding whose
 * {@code since} or basis changed because an earlier fact arrived late (e.g. an imported
 * click before the use that bound the user) is emitted again with the corrected values;
 * and a binding that no longer holds (a late objection that occurred before the
 * effective date, an early acceptance of a revision withdrawn afterwards) for a version
 * above the one now governing is retracted with {@code consent.bound.retracted.v1}.
 * The events on {@code consents.events} therefore converge on the engine's answer, and
 * each (user, agreement, version, since, basis) is emitted once.
 */
@ApplicationScoped
public class ProjectionService {

    private static final Logger LOG = Logger.getLogger(ProjectionService.class);
    public static final String BOUND = "consent.bound.v1";
    public static final String RETRACTED = "consent.bound.retracted.v1";
    /** How long a claimed row stays invisible to other sweeps while it is re-evaluated. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    @Inject
    Db db;

    @Inject
    AgreementRepository agreements;

    @Inject
    LedgerRepository ledger;

    @Inject
    EffectiveVersionEngine engine;

    @Inject
    Outbox outbox;

    @Inject
    AppClock clock;

    @Inject
    ObjectMapper json;

    public record Inputs(Agreement agreement, List<Version> versions, List<Fact> facts, List<StoredFact> stored) {
    }

    public record Due(String userId, String agreementKey) {
    }

    /** Everything the engine needs about one user and one agreement. */
    public Inputs inputs(String userId, Agreement agreement, List<Version> versions) {
        List<StoredFact> stored = ledger.facts(userId, agreement.key());
        List<Fact> facts = new ArrayList<>();
        for (StoredFact f : stored) {
            if (f.kind().equals("ACCEPTED")) {
                facts.add(new Fact.Acceptance(f.eventId().toString(), f.occurredAt(), f.version(), Method.valueOf(f.method())));
            } else {
                facts.add(new Fact.Objection(f.eventId().toString(), f.occurredAt(), f.version()));
            }
        }
        ledger.usage(userId, agreement.key()).forEach(u -> facts.add(new Fact.Usage(u.occurredAt())));
        ledger.deliveries(userId, agreement.key())
                .forEach(d -> facts.add(new Fact.NoticeDelivered(d.version(), d.deliveredAt())));
        return new Inputs(agreement, versions, facts, stored);
    }

    public Status status(Inputs in, Instant at) {
        return engine.status(in.agreement().policy(), in.versions().stream().map(Version::info).toList(), in.facts(), at);
    }

    /**
     * Re-evaluates (user, agreement) at now: projection row, pending states, bound events.
     * The caller holds the user's lock ({@link LedgerRepository#lockUser}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refresh(String userId, String agreementKey) {
        Agreement a = agreements.find(agreementKey).orElse(null);
        if (a == null) {
            return;
        }
        Instant now = clock.now();
        Inputs in = inputs(userId, a, agreements.versions(agreementKey));
        Status s;
        try {
            s = status(in, now);
        } catch (RuntimeException e) {
            // the engine failing must not lose the fact: keep the row due so the sweep retries
            LOG.errorf(e, "engine failed for user %s agreement %s; will retry", userId, agreementKey);
            db.update("insert into user_agreement_status (user_id, agreement_key, status_json, evaluated_at, next_check_at)"
                    + " values (?, ?, '{}', ?, ?) on conflict (user_id, agreement_key) do update set next_check_at ="
                    + " excluded.next_check_at", userId, agreementKey, now, now.plusSeconds(30));
            return;
        }
        writeProjection(userId, agreementKey, now, s, in.versions(), in.facts());
        emitBindings(userId, a, in, s, now);
    }

    private void writeProjection(String userId, String key, Instant now, Status s, List<Version> versions,
                                 List<Fact> facts) {
        // the next instant the answer may change without a new fact: a notice, an effective date (E or the
        // user's own E_u), a withdrawal
        List<Instant> candidates = new ArrayList<>();
        for (Version v : versions) {
            candidates.add(v.noticeAt());
            candidates.add(v.effectiveAt());
            candidates.add(v.withdrawnAt());
        }
        if (s.pending() != null) {
            s.pending().forEach(p -> candidates.add(p.effectiveAt()));
        }
        // facts recorded slightly ahead of now (within the clock skew) count once now passes them
        facts.forEach(f -> candidates.add(f.occurredAt()));
        Instant next = null;
        for (Instant t : candidates) {
            if (t != null && t.isAfter(now) && (next == null || t.isBefore(next))) {
                next = t;
            }
        }
        // what the row counted for before (nothing when it was never evaluated)
        Map<String, Integer> delta = new java.util.TreeMap<>();
        db.one("select governing_version, status_json <> '{}' from user_agreement_status where user_id = ? and"
                        + " agreement_key = ? for update",
                rs -> {
                    if (rs.getBoolean(2)) {
                        delta.merge(governingBucket(Db.integer(rs, "governing_version")), -1, Integer::sum);
                    }
                    return 1;
                }, userId, key);
        delta.merge(governingBucket(s.governingVersion()), 1, Integer::sum);
        String statusJson;
        try {
            statusJson = json.writeValueAsString(StatusView.of(userId, key, now, s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        db.update("insert into user_agreement_status (user_id, agreement_key, governing_version, basis_method,"
                        + " basis_event_id, since, status_json, evaluated_at, next_check_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (user_id, agreement_key) do update set governing_version = excluded.governing_version,"
                        + " basis_method = excluded.basis_method, basis_event_id = excluded.basis_event_id,"
                        + " since = excluded.since, status_json = excluded.status_json, evaluated_at = excluded.evaluated_at,"
                        + " next_check_at = excluded.next_check_at",
                userId, key, Db.orNull(s.governingVersion()), s.basis() == null ? null : s.basis().method(),
                s.basis() == null ? null : s.basis().eventId(), Db.orNull(s.basis() == null ? null : s.basis().since()),
                statusJson, now, Db.orNull(next));
        Map<Integer, String> want = new LinkedHashMap<>();
        if (s.pending() != null) {
            s.pending().forEach(p -> want.put(p.version(), p.state().name()));
        }
        Map<Integer, String> have = new HashMap<>();
        db.list("select version, state from user_pending_state where user_id = ? and agreement_key = ?",
                rs -> have.put(rs.getInt(1), rs.getString(2)), userId, key);
        for (Map.Entry<Integer, String> e : have.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                db.update("delete from user_pending_state where user_id = ? and agreement_key = ? and version = ?",
                        userId, key, e.getKey());
            }
        }
        have.forEach((v, st) -> delta.merge(pendingBucket(v, st), -1, Integer::sum));
        want.forEach((v, st) -> delta.merge(pendingBucket(v, st), 1, Integer::sum));
        applyCounters(userId, key, delta);
        for (Map.Entry<Integer, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                db.update("insert into user_pending_state (user_id, agreement_key, version, state) values (?, ?, ?, ?)"
                        + " on conflict (user_id, agreement_key, version) do update set state = excluded.state",
                        userId, key, e.getKey(), e.getValue());
            }
        }
    }

    static final int SHARDS = 16;

    static String governingBucket(Integer version) {
        return "G:" + (version == null ? "none" : version);
    }

    static String pendingBucket(int version, String state) {
        return "P:" + version + ":" + state;
    }

    /** Applies +1/-1 deltas to the population counters, in key order (no deadlocks between writers). */
    private void applyCounters(String userId, String key, Map<String, Integer> delta) {
        int shard = Math.floorMod(userId.hashCode(), SHARDS);
        for (Map.Entry<String, Integer> d : delta.entrySet()) {
            if (d.getValue() != 0) {
                db.update("insert into population_counter (agreement_key, bucket, shard, users) values (?, ?, ?, ?)"
                        + " on conflict (agreement_key, bucket, shard) do update set users = population_counter.users"
                        + " + excluded.users", key, d.getKey(), shard, (long) d.getValue());
            }
        }
    }

    /** Recounts every population counter from the projection rows (rebuild; the caller holds the table locks). */
    private void recount() {
        db.update("delete from population_counter");
        db.update("insert into population_counter (agreement_key, bucket, shard, users) select agreement_key,"
                + " 'G:' || coalesce(governing_version::text, 'none'), 0, count(*) from user_agreement_status"
                + " where status_json <> '{}' group by 1, 2");
        db.update("insert into population_counter (agreement_key, bucket, shard, users) select agreement_key,"
                + " 'P:' || version || ':' || state, 0, count(*) from user_pending_state group by 1, 2");
    }

    private record Emitted(int version, String kind, String basis, Instant since) {
    }

    private void emitBindings(String userId, Agreement a, Inputs in, Status s, Instant now) {
        List<Bindings.Binding> derived = Bindings.derive(s, a.policy().bindingRule(), in.facts(), now, t -> status(in, t));
        Map<Integer, Emitted> emitted = new HashMap<>();
        db.list("select distinct on (version) version, kind, basis, since from bound_emission where user_id = ?"
                        + " and agreement_key = ? order by version, id desc",
                rs -> emitted.put(rs.getInt(1), new Emitted(rs.getInt(1), rs.getString(2), rs.getString(3),
                        Db.instant(rs, "since"))), userId, a.key());
        for (Bindings.Binding b : derived) {
            Emitted e = emitted.get(b.version());
            if (e == null || !e.kind().equals("BOUND") || !Objects.equals(e.since(), b.since())
                    || !Objects.equals(e.basis(), b.basis())) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("userId", userId);
                data.put("agreementKey", a.key());
                data.put("version", b.version());
                Integer previous = previousVersion(b, derived, emitted);
                data.put("previousVersion", previous);
                data.put("basis", b.basis());
                data.put("since", b.since().toString());
                UUID id = outbox.append(Topics.CONSENT_EVENTS, userId, BOUND, userId + "/" + a.key(), data);
                record(userId, a.key(), b.version(), "BOUND", b.basis(), b.since(), previous, id, now);
            }
        }
        int governing = s.governingVersion() == null ? 0 : s.governingVersion();
        for (Emitted e : emitted.values()) {
            boolean stillBound = derived.stream().anyMatch(b -> b.version() == e.version());
            if (e.kind().equals("BOUND") && !stillBound && e.version() > governing) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("userId", userId);
                data.put("agreementKey", a.key());
                data.put("version", e.version());
                data.put("governingVersion", s.governingVersion());
                data.put("since", e.since() == null ? null : e.since().toString());
                UUID id = outbox.append(Topics.CONSENT_EVENTS, userId, RETRACTED, userId + "/" + a.key(), data);
                record(userId, a.key(), e.version(), "RETRACTED", null, null, null, id, now);
            }
        }
    }

    /** The highest version below b that bound the user no later than b: derived now, or emitted before. */
    private static Integer previousVersion(Bindings.Binding b, List<Bindings.Binding> derived, Map<Integer, Emitted> emitted) {
        Integer best = b.previousVersion();
        for (Emitted e : emitted.values()) {
            if (e.kind().equals("BOUND") && e.version() < b.version() && e.since() != null && !e.since().isAfter(b.since())
                    && derived.stream().noneMatch(d -> d.version() == e.version() && d.since().isAfter(b.since()))
                    && (best == null || e.version() > best)) {
                best = e.version();
            }
        }
        return best;
    }

    private void record(String userId, String key, int version, String kind, String basis, Instant since, Integer previous,
                        UUID id, Instant now) {
        db.update("insert into bound_emission (user_id, agreement_key, version, kind, basis, since, previous_version,"
                        + " event_id, emitted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                userId, key, version, kind, basis, Db.orNull(since), Db.orNull(previous), id, now);
    }

    /**
     * The projected status at now, when the projection row is current (evaluated, and no
     * date or future-dated fact has come due since): every change to the user's ledger
     * re-evaluates the row in the same transaction, so until {@code next_check_at} the
     * stored answer is the engine's answer.
     */
    public java.util.Optional<StatusView> currentStatus(String userId, String agreementKey, Instant now) {
        return db.one("select status_json from user_agreement_status where user_id = ? and agreement_key = ?"
                        + " and status_json <> '{}' and (next_check_at is null or next_check_at > ?)",
                rs -> rs.getString(1), userId, agreementKey, now).map(j -> {
                    try {
                        StatusView v = json.readValue(j, StatusView.class);
                        return new StatusView(v.userId(), v.agreementKey(), now, v.governingVersion(), v.basis(),
                                v.pending(), v.notes());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Leaves the re-evaluation of (user, agreement) to the sweep (bulk imports). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markDue(String userId, String agreementKey) {
        db.update("insert into user_agreement_status (user_id, agreement_key, status_json, evaluated_at, next_check_at)"
                + " values (?, ?, '{}', ?, ?) on conflict (user_id, agreement_key) do update set next_check_at ="
                + " excluded.next_check_at", userId, agreementKey, clock.now(), clock.now());
    }

    /** A version was published or withdrawn: every user of the agreement is re-evaluated by the sweep. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markAgreementDue(String agreementKey) {
        db.update("update user_agreement_status set next_check_at = ? where agreement_key = ?", clock.now(), agreementKey);
    }

    /** Claims up to {@code limit} due rows (skip-locked, leased) for re-evaluation. */
    public List<Due> claimDue(int limit) {
        Instant now = clock.now();
        return QuarkusTransaction.requiringNew().call(() -> db.list(
                "update user_agreement_status u set next_check_at = ? from (select user_id, agreement_key"
                        + " from user_agreement_status where next_check_at <= ? order by next_check_at limit ?"
                        + " for update skip locked) d where u.user_id = d.user_id and u.agreement_key = d.agreement_key"
                        + " returning u.user_id, u.agreement_key",
                rs -> new Due(rs.getString(1), rs.getString(2)), now.plus(LEASE), now, limit));
    }

    /** Re-evaluates one (user, agreement) in its own transaction under the user's lock. */
    public void refreshInOwnTransaction(String userId, String agreementKey) {
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.lockUser(userId);
            refresh(userId, agreementKey);
        });
    }

    /** Runs sweeps until nothing is due; returns how many rows were re-evaluated. */
    public int sweepUntilIdle(int batch) {
        int total = 0;
        while (true) {
            List<Due> due = claimDue(batch);
            if (due.isEmpty()) {
                return total;
            }
            for (Due d : due) {
                try {
                    refreshInOwnTransaction(d.userId(), d.agreementKey());
                } catch (RuntimeException e) {
                    LOG.warnf("re-evaluation of %s / %s failed, will retry: %s", d.userId(), d.agreementKey(), e.toString());
                }
                total++;
            }
        }
    }

    /**
     * Rebuild from the ledger: every (user, agreement) with a ledger entry gets a
     * projection row that is due now, rows without ledger entries go; the sweep then
     * re-evaluates them all. Returns the number of rows due.
     */
    public int markAllForRebuild() {
        Instant now = clock.now();
        return QuarkusTransaction.requiringNew().timeout(600).call(() -> {
            // first, before touching any row: writers finish, then wait until the counters are recounted
            db.update("lock table user_agreement_status in share row exclusive mode");
            db.update("lock table user_pending_state in share row exclusive mode");
            db.update("delete from user_pending_state p where not exists (select 1 from consent_fact f where f.user_id ="
                    + " p.user_id and f.agreement_key = p.agreement_key) and not exists (select 1 from usage_signal u"
                    + " where u.user_id = p.user_id and u.agreement_key = p.agreement_key) and not exists (select 1 from"
                    + " notice_delivery n where n.user_id = p.user_id and n.agreement_key = p.agreement_key)");
            db.update("delete from user_agreement_status p where not exists (select 1 from consent_fact f where f.user_id ="
                    + " p.user_id and f.agreement_key = p.agreement_key) and not exists (select 1 from usage_signal u"
                    + " where u.user_id = p.user_id and u.agreement_key = p.agreement_key) and not exists (select 1 from"
                    + " notice_delivery n where n.user_id = p.user_id and n.agreement_key = p.agreement_key)");
            int due = db.update("insert into user_agreement_status (user_id, agreement_key, status_json, evaluated_at,"
                    + " next_check_at) select user_id, agreement_key, '{}', ?, ? from (select user_id, agreement_key from"
                    + " consent_fact union select user_id, agreement_key from usage_signal union select user_id,"
                    + " agreement_key from notice_delivery) x on conflict (user_id, agreement_key) do update set"
                    + " next_check_at = excluded.next_check_at", now, now);
            recount();
            return due;
        });
    }
}
