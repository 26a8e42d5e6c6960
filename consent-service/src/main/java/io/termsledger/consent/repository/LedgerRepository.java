package io.termsledger.consent.repository;

import io.termsledger.consent.service.Canonical;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The append-only ledger tables: consent facts with their chain, usage signals, notice deliveries. */
@ApplicationScoped
public class LedgerRepository {

    /** Sentinel start of the first usage interval (before any effective date). */
    public static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");

    @Inject
    Db db;

    public record Head(long seq, String hash) {
    }

    /** One user's ledger for one agreement: the unit the engine evaluates and the projection keeps. */
    public record UserKey(String userId, String agreementKey) {
    }

    /** Everything the ledger holds for one (user, agreement). */
    public record Entries(List<StoredFact> facts, List<UsageRow> usage, List<DeliveryRow> deliveries) {
    }

    public record StoredFact(long id, UUID eventId, String userId, long seq, String kind, String agreementKey, int version,
                             String method, Instant occurredAt, Instant recordedAt, boolean imported, String canonical,
                             String prevHash, String hash) {
    }

    public record UsageRow(String agreementKey, Instant occurredAt, Instant intervalStart, Instant recordedAt, String source) {
    }

    public record DeliveryRow(String agreementKey, int version, String noticeId, Instant deliveredAt) {
    }

    /**
     * Locks the user's chain head (creating it on first use) until the end of the
     * transaction; every change to one user's ledger and projection runs under it.
     */
    public Head lockUser(String userId) {
        return lockUsers(List.of(userId)).get(userId);
    }

    /**
     * Locks the chain heads of several users (creating them on first use) until the end of the
     * transaction, in one round trip: a user's first head is created, then every head is locked,
     * both in user order so that two writers never wait for each other in a cycle. {@code FOR
     * UPDATE} takes the lock without writing a row version (an upsert's no-op update wrote one per
     * user and batch, which the chain head's own move then replaced again).
     */
    public Map<String, Head> lockUsers(Collection<String> userIds) {
        Db.TextArray users = new Db.TextArray(new TreeSet<>(userIds));
        Db.Queries q = db.queries().add("insert into chain_head (user_id, seq, head_hash) select u, 0, ?"
                + " from unnest(?) with ordinality as x(u, o) order by o on conflict (user_id) do nothing", null,
                Canonical.GENESIS, users);
        Map<String, Head> heads = lockHeads(users, q);
        q.run();
        return heads;
    }

    /** A stored fact's id and canonical text. */
    public record Stored(UUID eventId, String canonical) {
    }

    /** The facts of these users that occurred at one of these instants (in text form, as stored: to the microsecond). */
    public List<Stored> factsAt(Collection<String> userIds, Collection<Instant> instants) {
        return db.list("select event_id, canonical from consent_fact where user_id = any(?)"
                        + " and occurred_at = any(cast(? as timestamptz[]))",
                rs -> new Stored(rs.getObject(1, UUID.class), rs.getString(2)), new Db.TextArray(new TreeSet<>(userIds)),
                new Db.TextArray(instants.stream().map(Instant::toString).distinct().toList()));
    }

    /**
     * Locks the chain heads the users already have, as one of {@code q}'s statements (in user
     * order): the map is filled when {@code q} runs and lacks the users who have none yet. Whoever
     * appends for such a user creates the head with {@link #appendAll} in its own write, and
     * that insert fails if another transaction created it meanwhile (the batch is then retried
     * and finds the head), so a user's first fact needs no statement of its own.
     */
    public Map<String, Head> lockExistingHeads(Collection<String> userIds, Db.Queries q) {
        return lockHeads(new Db.TextArray(new TreeSet<>(userIds)), q);
    }

    private Map<String, Head> lockHeads(Db.TextArray users, Db.Queries q) {
        Map<String, Head> heads = new HashMap<>();
        q.add("select user_id, seq, head_hash from chain_head where user_id = any(?) order by user_id for update",
                rs -> heads.put(rs.getString(1), new Head(rs.getLong(2), rs.getString(3))), users);
        return heads;
    }

    /**
     * Whether {@code e} is {@link #appendAll}'s head insert failing because another transaction
     * created one of those heads meanwhile: the facts were built on no head and are rolled back;
     * written again, they find and lock the head.
     */
    public static boolean headCreatedMeanwhile(Throwable e) {
        return Db.violates(e, "chain_head_pkey");
    }

    /**
     * Appends facts (in chain order per user) and moves each user's head to its last fact as
     * two or three parts of {@code writes}, which the caller runs. {@code created} are the users
     * whose heads this write creates ({@link #lockExistingHeads} found none); a plain insert, so
     * that it fails when another transaction created one of them meanwhile.
     */
    public void appendAll(List<StoredFact> facts, Set<String> created, Db.Statement writes) {
        List<Object[]> rows = new ArrayList<>();
        Map<String, StoredFact> last = new TreeMap<>();
        for (StoredFact f : facts) {
            rows.add(new Object[] {f.eventId(), f.userId(), f.seq(), f.kind(), f.agreementKey(), f.version(), f.method(),
                f.occurredAt(), f.recordedAt(), f.imported(), f.canonical(), f.prevHash(), f.hash()});
            last.put(f.userId(), f);
        }
        Map<Boolean, List<Object[]>> heads = last.values().stream().collect(Collectors.partitioningBy(
                f -> created.contains(f.userId()), Collectors.mapping(f -> new Object[] {f.userId(), f.seq(), f.hash()},
                        Collectors.toList())));
        writes.rows("insert into consent_fact (event_id, user_id, seq, kind, agreement_key, version, method,"
                        + " occurred_at, recorded_at, imported, canonical, prev_hash, hash)"
                        + " select e::uuid, u, s::bigint, kd, k, v::int, m, o::timestamptz, r::timestamptz, i::boolean, c, p, h"
                        + " from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) with ordinality"
                        + " as x(e, u, s, kd, k, v, m, o, r, i, c, p, h, n) order by n", rows, 13)
                .rows("update chain_head h set seq = x.s::bigint, head_hash = x.h from unnest(?, ?, ?) as x(u, s, h)"
                        + " where h.user_id = x.u", heads.get(false), 3)
                .rows("insert into chain_head (user_id, seq, head_hash) select u, s::bigint, h from unnest(?, ?, ?) as x(u, s, h)",
                        heads.get(true), 3);
    }

    /**
     * The ledger entries of several (user, agreement) pairs, in one query: facts (in chain
     * order), usage signals and notice deliveries (in time order). Facts come without their
     * canonical form and hashes (what the engine needs, not the proof).
     */
    public Map<UserKey, Entries> entries(Collection<UserKey> wanted) {
        Db.Queries q = db.queries();
        Map<UserKey, Entries> out = entries(wanted, q);
        q.run();
        return out;
    }

    /** {@link #entries(Collection)} as one of {@code q}'s statements: the map is filled when {@code q} runs. */
    public Map<UserKey, Entries> entries(Collection<UserKey> wanted, Db.Queries q) {
        Map<UserKey, Entries> out = new HashMap<>();
        wanted.forEach(k -> out.put(k, new Entries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
        // the exact pairs, each looked up by its (user, agreement) index entries: a user's rows of other
        // agreements are never read (with users = any(...) and agreements = any(...) the plan fetched them
        // from the heap and filtered them out, a random page each)
        q.add("with x as (select * from unnest(?, ?) as x(u, k))"
                + " select 'F' as part, f.user_id, f.agreement_key, f.event_id, f.seq, f.kind, f.version, f.method,"
                + " f.occurred_at, f.recorded_at, f.imported, null::timestamptz as interval_start, null::text as source,"
                + " null::text as notice_id from x join consent_fact f on f.user_id = x.u and f.agreement_key = x.k"
                + " union all select 'U', s.user_id, s.agreement_key, null, null, null, null, null, s.occurred_at,"
                + " s.recorded_at, null, s.interval_start, s.source, null"
                + " from x join usage_signal s on s.user_id = x.u and s.agreement_key = x.k"
                + " union all select 'D', d.user_id, d.agreement_key, null, null, null, d.version, null, d.delivered_at,"
                + " null, null, null, null, d.notice_id from x join notice_delivery d on d.user_id = x.u and d.agreement_key = x.k"
                + " order by part, user_id, agreement_key, seq, occurred_at", rs -> {
            Optional<Entries> e = entriesOf(out, rs);
            if (e.isEmpty()) {
                return 0;
            }
            switch (rs.getString("part")) {
                case "F" -> e.get().facts().add(new StoredFact(0, rs.getObject("event_id", UUID.class),
                        rs.getString("user_id"), rs.getLong("seq"), rs.getString("kind"), rs.getString("agreement_key"),
                        rs.getInt("version"), rs.getString("method"), Db.instant(rs, "occurred_at"),
                        Db.instant(rs, "recorded_at"), rs.getBoolean("imported"), null, null, null));
                case "U" -> e.get().usage().add(new UsageRow(rs.getString("agreement_key"), Db.instant(rs, "occurred_at"),
                        Db.instant(rs, "interval_start"), Db.instant(rs, "recorded_at"), rs.getString("source")));
                default -> e.get().deliveries().add(new DeliveryRow(rs.getString("agreement_key"), rs.getInt("version"),
                        rs.getString("notice_id"), Db.instant(rs, "occurred_at")));
            }
            return 1;
        }, pairColumns(out.keySet()));
        return out;
    }

    public List<StoredFact> facts(String userId) {
        return db.list("select * from consent_fact where user_id = ? order by seq", LedgerRepository::fact, userId);
    }

    public List<StoredFact> facts(String userId, String agreementKey) {
        return db.list("select * from consent_fact where user_id = ? and agreement_key = ? order by seq",
                LedgerRepository::fact, userId, agreementKey);
    }

    public Optional<StoredFact> fact(UUID eventId) {
        return db.one("select * from consent_fact where event_id = ?", LedgerRepository::fact, eventId);
    }

    public List<UsageRow> usage(String userId, String agreementKey) {
        return db.list("select * from usage_signal where user_id = ? and agreement_key = ? order by occurred_at",
                LedgerRepository::usage, userId, agreementKey);
    }

    public List<UsageRow> usage(String userId) {
        return db.list("select * from usage_signal where user_id = ? order by agreement_key, occurred_at",
                LedgerRepository::usage, userId);
    }

    /** Whether any usage signal of the user is stored for the agreement. */
    public boolean hasUsage(String userId, String agreementKey) {
        return db.one("select 1 from usage_signal where user_id = ? and agreement_key = ? limit 1", rs -> 1, userId,
                agreementKey).isPresent();
    }

    /** Whether a stored signal lies in [from, to]: then a later signal of that interval adds nothing. */
    public boolean usageWithin(String userId, String agreementKey, Instant from, Instant to) {
        return db.one("select 1 from usage_signal where user_id = ? and agreement_key = ? and occurred_at >= ?"
                + " and occurred_at <= ? limit 1", rs -> 1, userId, agreementKey, from, to).isPresent();
    }

    public void insertUsage(String userId, String agreementKey, Instant occurredAt, Instant intervalStart,
                            Instant recordedAt, String source) {
        db.update("insert into usage_signal (user_id, agreement_key, occurred_at, interval_start, recorded_at, source)"
                + " values (?, ?, ?, ?, ?, ?)", userId, agreementKey, occurredAt, intervalStart, recordedAt, source);
    }

    public boolean insertDelivery(String userId, String agreementKey, int version, String noticeId, Instant deliveredAt,
                                  Instant recordedAt) {
        return db.update("insert into notice_delivery (user_id, agreement_key, version, notice_id, delivered_at, recorded_at)"
                        + " values (?, ?, ?, ?, ?, ?) on conflict (notice_id, user_id, delivered_at) do nothing",
                userId, agreementKey, version, noticeId, deliveredAt, recordedAt) == 1;
    }

    public List<DeliveryRow> deliveries(String userId, String agreementKey) {
        return db.list("select * from notice_delivery where user_id = ? and agreement_key = ? order by delivered_at",
                LedgerRepository::delivery, userId, agreementKey);
    }

    public List<DeliveryRow> deliveries(String userId) {
        return db.list("select * from notice_delivery where user_id = ? order by agreement_key, delivered_at",
                LedgerRepository::delivery, userId);
    }

    /** The agreements a user has any ledger entry for. */
    public List<String> agreementsOf(String userId) {
        return db.list("select agreement_key from consent_fact where user_id = ? union select agreement_key from usage_signal"
                + " where user_id = ? union select agreement_key from notice_delivery where user_id = ? order by 1",
                rs -> rs.getString(1), userId, userId, userId);
    }

    static StoredFact fact(ResultSet rs) throws SQLException {
        return new StoredFact(rs.getLong("id"), rs.getObject("event_id", UUID.class), rs.getString("user_id"),
                rs.getLong("seq"), rs.getString("kind"), rs.getString("agreement_key"), rs.getInt("version"),
                rs.getString("method"), Db.instant(rs, "occurred_at"), Db.instant(rs, "recorded_at"),
                rs.getBoolean("imported"), rs.getString("canonical"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    /**
     * The pairs as two {@code text[]} parameters (user ids, agreement keys; same order), for
     * {@code unnest(?, ?) as x(u, k)} joined on the exact (user, agreement) pairs.
     */
    public static Object[] pairColumns(Collection<UserKey> pairs) {
        return new Object[] {new Db.TextArray(pairs.stream().map(UserKey::userId).toList()),
            new Db.TextArray(pairs.stream().map(UserKey::agreementKey).toList())};
    }

    private static Optional<Entries> entriesOf(Map<UserKey, Entries> wanted, ResultSet rs) throws SQLException {
        return Optional.ofNullable(wanted.get(new UserKey(rs.getString("user_id"), rs.getString("agreement_key"))));
    }

    static DeliveryRow delivery(ResultSet rs) throws SQLException {
        return new DeliveryRow(rs.getString("agreement_key"), rs.getInt("version"), rs.getString("notice_id"),
                Db.instant(rs, "delivered_at"));
    }

    static UsageRow usage(ResultSet rs) throws SQLException {
        return new UsageRow(rs.getString("agreement_key"), Db.instant(rs, "occurred_at"), Db.instant(rs, "interval_start"),
                Db.instant(rs, "recorded_at"), rs.getString("source"));
    }
}
