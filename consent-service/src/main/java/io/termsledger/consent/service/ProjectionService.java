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
import io.termsledger.consent.repository.LedgerRepository.Entries;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.consent.repository.LedgerRepository.UserKey;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.EventIds;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.DatabaseOutage;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
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
    /** How long a claimed row stays invisible to other sweeps while it is re-evaluated (it stays due all along). */
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

    /** Everything the engine needs about one user and one agreement. */
    public Inputs inputs(String userId, Agreement agreement, List<Version> versions) {
        return inputs(agreement, versions, new Entries(ledger.facts(userId, agreement.key()),
                ledger.usage(userId, agreement.key()), ledger.deliveries(userId, agreement.key())));
    }

    private static Inputs inputs(Agreement agreement, List<Version> versions, Entries entries) {
        List<Fact> facts = new ArrayList<>();
        for (StoredFact f : entries.facts()) {
            if (f.kind().equals("ACCEPTED")) {
                facts.add(new Fact.Acceptance(f.eventId().toString(), f.occurredAt(), f.version(), Method.valueOf(f.method())));
            } else {
                facts.add(new Fact.Objection(f.eventId().toString(), f.occurredAt(), f.version()));
            }
        }
        entries.usage().forEach(u -> facts.add(new Fact.Usage(u.occurredAt())));
        entries.deliveries().forEach(d -> facts.add(new Fact.NoticeDelivered(d.version(), d.deliveredAt())));
        return new Inputs(agreement, versions, facts, entries.facts());
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
        refreshAll(List.of(new UserKey(userId, agreementKey)));
    }

    /**
     * Re-evaluates several (user, agreement) pairs at now with a fixed number of
     * statements, whatever their number: the ledger entries and the projection's current
     * rows are read in two queries, the engine runs per pair in memory, and the changes are
     * written in one statement, the events in another. The caller holds the locks of all
     * the users ({@link LedgerRepository#lockUsers}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshAll(Collection<UserKey> wanted) {
        Db.Statement writes = db.statement();
        refreshAll(wanted, List.of(), List.of(), writes,
                agreements.lockCatalogs(wanted.stream().map(UserKey::agreementKey).toList()), null);
        writes.run();
    }

    /**
     * {@link #refreshAll(Collection)} for facts about to be written: {@code appended} are facts
     * not yet in the database (they are added to what the engine reads), {@code first} their
     * events, written to the outbox ahead of the bound events they lead to (accepted before
     * bound). Everything is written as parts of {@code writes}, which the caller runs.
     * {@code catalogs}: the agreements' catalogs, locked ({@link AgreementRepository#lockCatalogs}).
     * {@code prior}: what the engine reads, read already ({@link #readPrior}), or null to read it here.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshAll(Collection<UserKey> wanted, List<Outbox.Event> first, List<StoredFact> appended,
                           Db.Statement writes, Map<String, AgreementRepository.Catalog> catalogs, Prior prior) {
        Set<UserKey> pairs = new LinkedHashSet<>();
        for (UserKey k : wanted) {
            if (catalogs.containsKey(k.agreementKey())) {
                pairs.add(k);
            }
        }
        if (pairs.isEmpty()) {
            writes.rows(Outbox.INSERT_FROM_ARRAYS, outbox.rows(first), Outbox.COLUMNS);
            return;
        }
        Instant now = clock.now();
        if (prior == null || !prior.entries.keySet().containsAll(pairs)) {
            Db.Queries reads = db.queries();
            prior = readPrior(pairs, reads);
            reads.run();
        }
        Map<UserKey, Entries> entries = prior.entries;
        Before before = prior.before;
        for (StoredFact f : appended) {
            Entries e = entries.get(new UserKey(f.userId(), f.agreementKey()));
            if (e != null) {
                e.facts().add(f); // after the stored ones: a new fact's seq is above them all
            }
        }
        Writes out = new Writes(now);
        out.events.addAll(first);
        for (UserKey k : pairs) {
            AgreementRepository.Catalog c = catalogs.get(k.agreementKey());
            Inputs in = inputs(c.agreement().orElseThrow(), c.versions(), entries.get(k));
            Status s;
            try {
                s = status(in, now);
            } catch (RuntimeException e) {
                // the engine failing must not lose the fact: the row stays due (status is computed from the
                // ledger meanwhile) and the sweep leaves it alone for 30 s before it tries again
                LOG.errorf(e, "engine failed for user %s agreement %s; will retry", k.userId(), k.agreementKey());
                out.retry.add(new Object[] {k.userId(), k.agreementKey(), now, now, now.plusSeconds(30)});
                continue;
            }
            writeProjection(k, now, s, in, before, out);
            emitBindings(k, in, s, now, before.emitted.getOrDefault(k, Map.of()), out);
        }
        out.flush(writes);
    }

    /**
     * What a re-evaluation reads before the engine runs: the pairs' ledger entries (a map with
     * every pair read as a key) and what the projection holds for them ({@link #readPrior}).
     */
    public static final class Prior {
        private final Map<UserKey, Entries> entries;
        private final Before before;

        private Prior(Map<UserKey, Entries> entries, Before before) {
            this.entries = entries;
            this.before = before;
        }
    }

    /**
     * Adds the reads of {@link Prior} for {@code pairs} to {@code q}, after the statements that lock
     * the pairs' users (a batch of facts saves a round trip by reading with its locks); the prior
     * state is filled when {@code q} runs.
     */
    public Prior readPrior(Collection<UserKey> pairs, Db.Queries q) {
        Set<UserKey> set = new LinkedHashSet<>(pairs);
        return new Prior(ledger.entries(set, q), before(set, q));
    }

    /** What the projection held for the pairs before this re-evaluation. */
    private static final class Before {
        final Map<UserKey, Integer> counted = new HashMap<>(); // pairs already counted, with their governing version (0: none)
        final Map<UserKey, Map<Integer, String>> pending = new HashMap<>();
        final Map<UserKey, Map<Integer, Emitted>> emitted = new HashMap<>();
        /** The stored answer and next check of each evaluated row that no sweep has claimed. */
        final Map<UserKey, Answer> answers = new HashMap<>();
    }

    /** A projection row's stored answer (its JSON document) and when it is next due. */
    private record Answer(String json, Instant nextCheck) {
    }

    /**
     * Whether two answers of the pair say the same, apart from the instant they were computed at (their
     * {@code at}, which a status query replaces with its own instant anyway). When a document does not
     * start the expected way they count as different, and the row is written.
     */
    private boolean sameAnswer(UserKey k, String stored, String fresh) {
        String prefix = atPrefix(k.userId(), k.agreementKey());
        int a = endOfAt(stored, prefix);
        int b = endOfAt(fresh, prefix);
        return a >= 0 && b >= 0 && stored.length() - a == fresh.length() - b
                && stored.regionMatches(a, fresh, b, stored.length() - a);
    }

    /**
     * A stored status document ({@link StatusView}: user, agreement, then {@code at}) with its {@code at}
     * replaced by {@code at}, without parsing it; null when it does not start that way.
     */
    private String withAt(String document, String userId, String agreementKey, String at) {
        String prefix = atPrefix(userId, agreementKey);
        int end = endOfAt(document, prefix);
        return end < 0 ? null : prefix + at + document.substring(end);
    }

    /** How a status document of the pair starts, up to the value of its {@code at}. */
    private String atPrefix(String userId, String agreementKey) {
        try {
            return "{\"userId\":" + json.writeValueAsString(userId) + ",\"agreementKey\":"
                    + json.writeValueAsString(agreementKey) + ",\"at\":\"";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the document's {@code at} value ends (its closing quote); -1 when it does not start with {@code prefix}. */
    private static int endOfAt(String document, String prefix) {
        return document.startsWith(prefix) ? document.indexOf('"', prefix.length()) : -1;
    }

    /**
     * What the projection and the emission record hold for the pairs, in one statement: the
     * rows, the pending states and the latest emission per version, each looked up by the exact
     * (user, agreement) pairs. (A condition {@code agreement_key = any(...)} once led the planner to
     * the population index for an agreement its statistics did not know yet, and so to every
     * row of that agreement: 20 ms a batch at 55,000 users.) No row locks: what is read here (the
     * answer, the governing version, pending states, emissions) is written only under the user's
     * chain-head lock, which the caller holds; the other writers of these rows (the sweep's claim,
     * a publication marking its agreement due) touch only {@code claimed_until} and
     * {@code next_check_at}, which this re-evaluation replaces after evaluating against the catalog
     * it has share-locked.
     */
    private Before before(Set<UserKey> pairs, Db.Queries q) {
        Before b = new Before();
        q.add("with x as (select * from unnest(?, ?) as x(u, k))"
                + " select 'S' as part, s.user_id, s.agreement_key, s.governing_version as version, null as kind,"
                + " null as basis, null::timestamptz as since, s.status_json, s.next_check_at, s.claimed_until is not null as claimed"
                + " from x join user_agreement_status s on s.user_id = x.u and s.agreement_key = x.k"
                + " union all select 'P', p.user_id, p.agreement_key, p.version, p.state, null, null, null, null, null"
                + " from x join user_pending_state p on p.user_id = x.u and p.agreement_key = x.k"
                + " union all (select distinct on (e.user_id, e.agreement_key, e.version) 'E', e.user_id, e.agreement_key,"
                + " e.version, e.kind, e.basis, e.since, null, null, null from x join bound_emission e"
                + " on e.user_id = x.u and e.agreement_key = x.k order by e.user_id, e.agreement_key, e.version, e.id desc)",
                rs -> {
                    UserKey k = new UserKey(rs.getString("user_id"), rs.getString("agreement_key"));
                    if (!pairs.contains(k)) {
                        return 0;
                    }
                    switch (rs.getString("part")) {
                        case "S" -> {
                            String stored = rs.getString("status_json");
                            if (!stored.equals("{}")) {
                                Integer g = Db.integer(rs, "version");
                                b.counted.put(k, g == null ? 0 : g);
                                if (!rs.getBoolean("claimed")) {
                                    b.answers.put(k, new Answer(stored, Db.instant(rs, "next_check_at")));
                                }
                            }
                        }
                        case "P" -> b.pending.computeIfAbsent(k, x -> new HashMap<>())
                                .put(rs.getInt("version"), rs.getString("kind"));
                        default -> b.emitted.computeIfAbsent(k, x -> new HashMap<>()).put(rs.getInt("version"),
                                new Emitted(rs.getInt("version"), rs.getString("kind"), rs.getString("basis"),
                                        Db.instant(rs, "since")));
                    }
                    return 1;
                }, LedgerRepository.pairColumns(pairs));
        return b;
    }

    /** A population counter cell; ordered so that writers update cells in one global order. */
    private record Cell(String agreementKey, String bucket, int shard) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            int c = agreementKey.compareTo(o.agreementKey);
            c = c != 0 ? c : bucket.compareTo(o.bucket);
            return c != 0 ? c : Integer.compare(shard, o.shard);
        }
    }

    /** The changes of one re-evaluation round, written as batches by {@link #flush}. */
    private final class Writes {
        final Instant now;
        final List<Object[]> retry = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();
        final List<Object[]> pendingGone = new ArrayList<>();
        final List<Object[]> pendingSet = new ArrayList<>();
        final Map<Cell, Long> counters = new TreeMap<>();
        final List<Object[]> emissions = new ArrayList<>();
        final List<Outbox.Event> events = new ArrayList<>();

        Writes(Instant now) {
            this.now = now;
        }

        void count(UserKey k, String bucket, long delta) {
            counters.merge(new Cell(k.agreementKey(), bucket, Math.floorMod(k.userId().hashCode(), SHARDS)), delta, Long::sum);
        }

        /**
         * Adds the round's changes to {@code writes}: each kind of change is a data-modifying
         * part reading its rows from arrays. The parts touch disjoint rows: a pair is either due
         * again (engine failure) or re-evaluated, a pending version is either gone or set,
         * counter cells are distinct and listed in one global order.
         */
        void flush(Db.Statement writes) {
            writes.rows(DUE_ROWS, retry, 5)
                    .rows(STATUS_ROWS, rows, 9)
                    .rows(PENDING_GONE, pendingGone, 3)
                    .rows(PENDING_SET, pendingSet, 4)
                    .rows(COUNTERS, counters.entrySet().stream().filter(e -> e.getValue() != 0)
                            .map(e -> new Object[] {e.getKey().agreementKey(), e.getKey().bucket(), e.getKey().shard(),
                                e.getValue()}).toList(), 4)
                    .rows(EMISSIONS, emissions, 9)
                    .rows(Outbox.INSERT_FROM_ARRAYS, outbox.rows(events), Outbox.COLUMNS);
        }
    }

    /**
     * (user, agreement, evaluatedAt, nextCheckAt, claimedUntil): a row the sweep re-evaluates at
     * nextCheckAt (not before claimedUntil, when set), its stored answer unchanged.
     */
    private static final String DUE_ROWS = "insert into user_agreement_status (user_id, agreement_key,"
            + " status_json, evaluated_at, next_check_at, claimed_until)"
            + " select u, k, '{}', e::timestamptz, n::timestamptz, c::timestamptz from unnest(?, ?, ?, ?, ?) as x(u, k, e, n, c)"
            + " on conflict (user_id, agreement_key) do update set next_check_at = excluded.next_check_at,"
            + " claimed_until = excluded.claimed_until";
    private static final String STATUS_ROWS = "insert into user_agreement_status (user_id, agreement_key,"
            + " governing_version, basis_method, basis_event_id, since, status_json, evaluated_at, next_check_at)"
            + " select u, k, g::int, m, b, s::timestamptz, j, e::timestamptz, n::timestamptz"
            + " from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?) as x(u, k, g, m, b, s, j, e, n)"
            + " on conflict (user_id, agreement_key) do update set governing_version = excluded.governing_version,"
            + " basis_method = excluded.basis_method, basis_event_id = excluded.basis_event_id,"
            + " since = excluded.since, status_json = excluded.status_json, evaluated_at = excluded.evaluated_at,"
            + " next_check_at = excluded.next_check_at, claimed_until = null";
    private static final String PENDING_GONE = "delete from user_pending_state p using unnest(?, ?, ?) as x(u, k, v)"
            + " where p.user_id = x.u and p.agreement_key = x.k and p.version = x.v::int";
    private static final String PENDING_SET = "insert into user_pending_state (user_id, agreement_key, version, state)"
            + " select u, k, v::int, st from unnest(?, ?, ?, ?) as x(u, k, v, st)"
            + " on conflict (user_id, agreement_key, version) do update set state = excluded.state";
    private static final String COUNTERS = "insert into population_counter (agreement_key, bucket, shard, users)"
            + " select k, b, sh::int, n::bigint from unnest(?, ?, ?, ?) with ordinality as x(k, b, sh, n, o) order by o"
            + " on conflict (agreement_key, bucket, shard) do update set users = population_counter.users + excluded.users";
    private static final String EMISSIONS = "insert into bound_emission (user_id, agreement_key, version, kind, basis,"
            + " since, previous_version, event_id, emitted_at) select u, k, v::int, kd, b, s::timestamptz, p::int, ev::uuid,"
            + " e::timestamptz from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?) as x(u, k, v, kd, b, s, p, ev, e)";

    private void writeProjection(UserKey k, Instant now, Status s, Inputs in, Before before, Writes out) {
        String userId = k.userId();
        String key = k.agreementKey();
        // the next instant the answer may change without a new fact: a notice, an effective date (E or the
        // user's own E_u), a withdrawal
        List<Instant> candidates = new ArrayList<>();
        for (Version v : in.versions()) {
            candidates.add(v.noticeAt());
            candidates.add(v.effectiveAt());
            candidates.add(v.withdrawnAt());
        }
        if (s.pending() != null) {
            s.pending().forEach(p -> candidates.add(p.effectiveAt()));
        }
        // facts recorded slightly ahead of now (within the clock skew) count once now passes them
        in.facts().forEach(f -> candidates.add(f.occurredAt()));
        Instant next = null;
        for (Instant t : candidates) {
            if (t != null && t.isAfter(now) && (next == null || t.isBefore(next))) {
                next = t;
            }
        }
        // what the row counted for before (nothing when it was never evaluated)
        Integer counted = before.counted.get(k);
        if (counted != null) {
            out.count(k, governingBucket(counted == 0 ? null : counted), -1);
        }
        out.count(k, governingBucket(s.governingVersion()), 1);
        String statusJson;
        try {
            statusJson = json.writeValueAsString(StatusView.of(userId, key, now, s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // an unchanged answer is not written again (a user accepting the version that already governs them, say):
        // the row keeps the instant it was last computed at, which the status query replaces with its own
        Answer stored = before.answers.get(k);
        if (stored == null || !Objects.equals(stored.nextCheck(), next) || !sameAnswer(k, stored.json(), statusJson)) {
            out.rows.add(new Object[] {userId, key, Db.orNull(s.governingVersion()),
                s.basis() == null ? null : s.basis().method(), s.basis() == null ? null : s.basis().eventId(),
                Db.orNull(s.basis() == null ? null : s.basis().since()), statusJson, now, Db.orNull(next)});
        }
        Map<Integer, String> want = new LinkedHashMap<>();
        if (s.pending() != null) {
            s.pending().forEach(p -> want.put(p.version(), p.state().name()));
        }
        Map<Integer, String> have = before.pending.getOrDefault(k, Map.of());
        for (Map.Entry<Integer, String> e : have.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                out.pendingGone.add(new Object[] {userId, key, e.getKey()});
            }
        }
        have.forEach((v, st) -> out.count(k, pendingBucket(v, st), -1));
        want.forEach((v, st) -> out.count(k, pendingBucket(v, st), 1));
        for (Map.Entry<Integer, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                out.pendingSet.add(new Object[] {userId, key, e.getKey(), e.getValue()});
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

    private void emitBindings(UserKey k, Inputs in, Status s, Instant now, Map<Integer, Emitted> emitted, Writes out) {
        String userId = k.userId();
        Agreement a = in.agreement();
        // earlier instants are asked about with the catalog as known now: a revision withdrawn since never bound
        // anyone, so the version a user held before it (and the basis of a later one) is read without it
        Set<Integer> withdrawn = in.versions().stream().filter(v -> v.info().withdrawnBy(now)).map(Version::version)
                .collect(Collectors.toSet());
        Inputs asKnownNow = withdrawn.isEmpty() ? in : new Inputs(a,
                in.versions().stream().filter(v -> !withdrawn.contains(v.version())).toList(), in.facts(),
                in.stored());
        List<Bindings.Binding> derived = Bindings.derive(s, a.policy().bindingRule(), in.facts(), now,
                t -> status(asKnownNow, t));
        for (Bindings.Binding b : derived) {
            Emitted e = emitted.get(b.version());
            if (e == null || !e.kind().equals("BOUND") || !Objects.equals(e.since(), b.since())
                    || !Objects.equals(e.basis(), b.basis())) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("userId", userId);
                data.put("agreementKey", a.key());
                data.put("version", b.version());
                Integer previous = previousVersion(b, derived, emitted, withdrawn);
                data.put("previousVersion", previous);
                data.put("basis", b.basis());
                data.put("since", b.since().toString());
                emit(out, k, BOUND, data, b.version(), "BOUND", b.basis(), b.since(), previous);
            }
        }
        int governing = s.governingVersion() == null ? 0 : s.governingVersion();
        for (Emitted e : emitted.values()) {
            boolean stillBound = derived.stream().anyMatch(b -> b.version() == e.version());
            // a binding below the governing version held until the next one, unless its version was withdrawn
            if (e.kind().equals("BOUND") && !stillBound && (e.version() > governing || withdrawn.contains(e.version()))) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("userId", userId);
                data.put("agreementKey", a.key());
                data.put("version", e.version());
                data.put("governingVersion", s.governingVersion());
                data.put("since", e.since() == null ? null : e.since().toString());
                emit(out, k, RETRACTED, data, e.version(), "RETRACTED", null, null, null);
            }
        }
    }

    /** Queues a bound/retracted event and its bound_emission row (the record of what was emitted). */
    private static void emit(Writes out, UserKey k, String type, Map<String, Object> data, int version, String kind,
                             String basis, Instant since, Integer previous) {
        UUID id = EventIds.next();
        out.events.add(new Outbox.Event(id, out.now, Topics.CONSENT_EVENTS, k.userId(), type,
                k.userId() + "/" + k.agreementKey(), data));
        out.emissions.add(new Object[] {k.userId(), k.agreementKey(), version, kind, basis, Db.orNull(since),
            Db.orNull(previous), id, out.now});
    }

    /** The highest version below b that bound the user no later than b: derived now, or emitted before. */
    private static Integer previousVersion(Bindings.Binding b, List<Bindings.Binding> derived, Map<Integer, Emitted> emitted,
                                           Set<Integer> withdrawn) {
        Integer best = b.previousVersion();
        for (Emitted e : emitted.values()) {
            if (e.kind().equals("BOUND") && !withdrawn.contains(e.version()) && e.version() < b.version() && e.since() != null && !e.since().isAfter(b.since())
                    && derived.stream().noneMatch(d -> d.version() == e.version() && d.since().isAfter(b.since()))
                    && (best == null || e.version() > best)) {
                best = e.version();
            }
        }
        return best;
    }

    /**
     * The projected status at now as the JSON document the API returns, when the projection row
     * is current (evaluated, and no date or future-dated fact has come due since): every change
     * to the user's ledger re-evaluates the row in the same transaction, so until
     * {@code next_check_at} the stored answer is the engine's answer ({@link #answerAt}).
     */
    public Optional<String> currentStatusJson(String userId, String agreementKey, Instant now) {
        return storedStatus(userId, agreementKey, now).map(stored -> answerAt(stored, userId, agreementKey, now));
    }

    /**
     * A current stored status document ({@link #CURRENT_STATUS}) as the API answers it at now: only its
     * {@code at} member replaced, or, when the document does not start the expected way, parsed and written again.
     */
    public String answerAt(String stored, String userId, String agreementKey, Instant now) {
        String answer = withAt(stored, userId, agreementKey, now.toString());
        try {
            return answer != null ? answer : json.writeValueAsString(atNow(stored, now));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored status document, answered at now. */
    private StatusView atNow(String stored, Instant now) {
        try {
            StatusView v = json.readValue(stored, StatusView.class);
            return new StatusView(v.userId(), v.agreementKey(), now, v.governingVersion(), v.basis(), v.pending(), v.notes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The stored status document of ($1 user, $2 agreement) when it is current at $3 (now): evaluated, and
     * nothing has come due since. Numbered parameters for the reactive client ({@code StatusReads}).
     */
    public static final String CURRENT_STATUS = "select status_json from user_agreement_status"
            + " where user_id = $1 and agreement_key = $2 and status_json <> '{}' and (next_check_at is null or next_check_at > $3)";

    private static final String CURRENT_STATUS_JDBC = CURRENT_STATUS.replaceAll("\\$\\d", "?");

    private Optional<String> storedStatus(String userId, String agreementKey, Instant now) {
        return db.one(CURRENT_STATUS_JDBC, rs -> rs.getString(1), userId, agreementKey, now);
    }

    /** Leaves the re-evaluation of (user, agreement) to the sweep (bulk imports). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markDue(String userId, String agreementKey) {
        markDueAll(List.of(new UserKey(userId, agreementKey)));
    }

    /** Leaves the re-evaluation of several (user, agreement) pairs to the sweep, in one batch. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markDueAll(Collection<UserKey> pairs) {
        Instant now = clock.now();
        db.statement().rows(DUE_ROWS, new LinkedHashSet<>(pairs).stream()
                .map(k -> new Object[] {k.userId(), k.agreementKey(), now, now, null}).toList(), 5).run();
    }

    /** A version was published or withdrawn: every user of the agreement is re-evaluated by the sweep. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markAgreementDue(String agreementKey) {
        db.update("update user_agreement_status set next_check_at = ? where agreement_key = ?", clock.now(), agreementKey);
    }

    /**
     * Claims up to {@code limit} due rows (skip-locked, leased) for re-evaluation. A claimed
     * row stays due, so status queries compute its answer from the ledger until the
     * re-evaluation has written it.
     */
    public List<UserKey> claimDue(int limit) {
        Instant now = clock.now();
        return QuarkusTransaction.requiringNew().call(() -> db.list(
                "update user_agreement_status u set claimed_until = ? from (select user_id, agreement_key"
                        + " from user_agreement_status where next_check_at <= ? and (claimed_until is null or claimed_until <= ?)"
                        + " order by next_check_at limit ? for update skip locked) d"
                        + " where u.user_id = d.user_id and u.agreement_key = d.agreement_key returning u.user_id, u.agreement_key",
                rs -> new UserKey(rs.getString(1), rs.getString(2)), now.plus(LEASE), now, now, limit));
    }

    /** Re-evaluates one (user, agreement) in its own transaction under the user's lock. */
    public void refreshInOwnTransaction(String userId, String agreementKey) {
        refreshInOwnTransaction(List.of(new UserKey(userId, agreementKey)));
    }

    /** Re-evaluates several pairs in one transaction under their users' locks. */
    public void refreshInOwnTransaction(Collection<UserKey> pairs) {
        QuarkusTransaction.requiringNew().run(() -> {
            ledger.lockUsers(pairs.stream().map(UserKey::userId).toList());
            refreshAll(pairs);
        });
    }

    /** How many claimed rows one sweep transaction re-evaluates together. */
    private static final int SWEEP_TRANSACTION = 100;

    /** Runs sweeps until nothing is due; returns how many rows were re-evaluated. */
    public int sweepUntilIdle(int batch) {
        int total = 0;
        while (true) {
            List<UserKey> due = claimDue(batch);
            if (due.isEmpty()) {
                return total;
            }
            for (int from = 0; from < due.size(); from += SWEEP_TRANSACTION) {
                List<UserKey> part = due.subList(from, Math.min(due.size(), from + SWEEP_TRANSACTION));
                try {
                    refreshInOwnTransaction(part);
                } catch (RuntimeException e) {
                    if (DatabaseOutage.isCause(e)) {
                        // one by one, each row would only wait for the database again; the claims' lease runs out
                        // and the next sweep after the database is back takes these rows up
                        throw e;
                    }
                    // one bad row must not hold the others back: retry them one by one
                    for (UserKey k : part) {
                        try {
                            refreshInOwnTransaction(List.of(k));
                        } catch (RuntimeException single) {
                            if (DatabaseOutage.isCause(single)) {
                                throw single;
                            }
                            LOG.warnf("re-evaluation of %s / %s failed, will retry: %s", k.userId(), k.agreementKey(),
                                    single.toString());
                        }
                    }
                }
                total += part.size();
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
                    + " next_check_at = excluded.next_check_at, claimed_until = null", now, now);
            recount();
            return due;
        });
    }
}
