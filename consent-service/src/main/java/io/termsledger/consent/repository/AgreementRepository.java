package io.termsledger.consent.repository;

import io.termsledger.consent.domain.BindingRule;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.domain.NoticeMeasuredFrom;
import io.termsledger.consent.domain.Policy;
import io.termsledger.consent.domain.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The read model of agreements and their published versions (fed by agreements.versions). */
@ApplicationScoped
public class AgreementRepository {

    @Inject
    Db db;

    /**
     * Agreements and their versions change rarely and are read on every request: they are
     * cached for at most {@link #TTL_NANOS} (another instance may have applied an event
     * this one has not seen) and dropped here whenever this instance changes them.
     * Re-evaluations do not trust the cache: they read the catalog at the revision they
     * have locked ({@link #lockCatalogs}).
     */
    private static final long TTL_NANOS = 1_000_000_000L;

    /** An agreement and its published versions as of one revision of the read model. */
    public record Catalog(Optional<Agreement> agreement, List<Version> versions, long revision) {
    }

    private record Cached(Catalog catalog, long expires) {
    }

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private Catalog cached(String key) {
        return cachedCatalog(key).orElseGet(() -> load(key));
    }

    /** The agreement's catalog when the cache holds it unexpired (no database round trip); empty otherwise. */
    public Optional<Catalog> cachedCatalog(String key) {
        Cached c = cache.get(key);
        return c == null || System.nanoTime() - c.expires() > 0 ? Optional.empty() : Optional.of(c.catalog());
    }

    /** Whether the cache holds an entry for the key at all, expired or not (what keeps memory). */
    public boolean holds(String key) {
        return cache.containsKey(key);
    }

    /**
     * Whether the agreement's catalog is cached and stays fresh for at least {@code nanos} more:
     * reading it within that time takes no database round trip.
     */
    public boolean cachedFor(String key, long nanos) {
        Cached c = cache.get(key);
        return c != null && c.expires() - System.nanoTime() > nanos;
    }

    /**
     * Reads the catalog of an agreement and caches it unless the cache already holds a later revision. An unknown
     * agreement is not cached: any caller may name any key, and entries are only dropped when an event changes
     * their agreement, so remembering unknown keys would let the cache grow without bound.
     */
    private Catalog load(String key) {
        long[] revision = {-1};
        Optional<Agreement> a = db.one("select * from agreement where agreement_key = ?", rs -> {
            revision[0] = rs.getLong("revision");
            return agreement(rs);
        }, key);
        List<Version> v = a.isEmpty() ? List.of() : List.copyOf(db.list(
                "select * from agreement_version where agreement_key = ? order by version", AgreementRepository::version, key));
        Catalog loaded = new Catalog(a, v, revision[0]);
        if (a.isEmpty()) {
            return loaded;
        }
        cache.merge(key, new Cached(loaded, System.nanoTime() + TTL_NANOS),
                (old, neu) -> neu.catalog().revision() >= old.catalog().revision() ? neu : old);
        return loaded;
    }

    /**
     * The catalogs of the given agreements as of their current revision, with their rows
     * share-locked until the transaction ends: a publication or withdrawal (which bumps
     * the revision first, or last, in its own transaction) waits for this transaction, or
     * this one waits for it and reads what it committed. Unknown agreements are left out.
     */
    public Map<String, Catalog> lockCatalogs(Collection<String> keys) {
        Db.Queries q = db.queries();
        Supplier<Map<String, Catalog>> catalogs = lockCatalogs(keys, q);
        q.run();
        return catalogs.get();
    }

    /** {@link #lockCatalogs(Collection)} as one of {@code q}'s statements: the catalogs once {@code q} has run. */
    public Supplier<Map<String, Catalog>> lockCatalogs(Collection<String> keys, Db.Queries q) {
        Map<String, Catalog> out = new TreeMap<>();
        q.add("select agreement_key, revision from agreement where agreement_key = any(?) order by agreement_key for share",
                rs -> {
                    Cached c = cache.get(rs.getString(1));
                    // a row read after the lock was granted shows what the holder committed, the revision included
                    out.put(rs.getString(1), c != null && c.catalog().revision() == rs.getLong(2) ? c.catalog() : null);
                    return 1;
                }, new Db.TextArray(new TreeSet<>(keys)));
        return () -> {
            out.replaceAll((key, current) -> current != null ? current : load(key));
            return out;
        };
    }

    /** Drops a cached agreement (this instance changed it). */
    public void evict(String key) {
        cache.remove(key);
    }

    /** Marks a change of the agreement or its versions (and locks its row until the transaction ends). */
    private void bump(String key) {
        db.update("update agreement set revision = revision + 1 where agreement_key = ?", key);
    }

    public record Agreement(String key, String title, String provider, String scope, String parentKey, String product,
                            String timezone, Policy policy, Instant registeredAt) {
    }

    public record Version(String agreementKey, int version, String label, boolean imported, Instant noticeAt,
                          Instant effectiveAt, String contentSha256, Integer previousVersion, Instant withdrawnAt,
                          String withdrawReason) {
        public VersionInfo info() {
            return new VersionInfo(version, noticeAt, effectiveAt, withdrawnAt, contentSha256, imported);
        }
    }

    public void upsertAgreement(Agreement a) {
        evict(a.key());
        Policy p = a.policy();
        db.update("insert into agreement (agreement_key, title, provider, scope, parent_key, product, timezone, notice_days,"
                        + " binding_rule, seal_prevails, acceptance_methods, notice_measured_from, registered_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (agreement_key) do update set title = excluded.title, provider = excluded.provider,"
                        + " scope = excluded.scope, parent_key = excluded.parent_key, product = excluded.product,"
                        + " timezone = excluded.timezone, notice_days = excluded.notice_days, binding_rule = excluded.binding_rule,"
                        + " seal_prevails = excluded.seal_prevails, acceptance_methods = excluded.acceptance_methods,"
                        + " notice_measured_from = excluded.notice_measured_from,"
                        + " registered_at = coalesce(agreement.registered_at, excluded.registered_at), updated_at = now(),"
                        + " revision = agreement.revision + 1",
                a.key(), a.title(), a.provider(), a.scope(), a.parentKey(), a.product(), a.timezone(), p.noticeDays(),
                p.bindingRule().name(), p.sealPrevails(),
                p.acceptanceMethods().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                p.noticeMeasuredFrom().name(), Db.orNull(a.registeredAt()));
    }

    /** Inserts a published version; a redelivered publication changes nothing. */
    public void insertVersion(Version v) {
        evict(v.agreementKey());
        int inserted = db.update("insert into agreement_version (agreement_key, version, label, imported, notice_at, effective_at,"
                        + " content_sha256, previous_version) values (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (agreement_key, version) do nothing",
                v.agreementKey(), v.version(), v.label(), v.imported(), v.noticeAt(), v.effectiveAt(), v.contentSha256(),
                Db.orNull(v.previousVersion()));
        if (inserted > 0) {
            bump(v.agreementKey());
        }
    }

    public int withdraw(String key, int version, Instant at, String reason) {
        evict(key);
        int changed = db.update("update agreement_version set withdrawn_at = coalesce(withdrawn_at, ?), withdraw_reason ="
                + " coalesce(withdraw_reason, ?) where agreement_key = ? and version = ?", at, reason, key, version);
        if (changed > 0) {
            bump(key);
        }
        return changed;
    }

    public Optional<Agreement> find(String key) {
        return cached(key).agreement();
    }

    /**
     * The agreement's catalog read from the database, not the cache: as the calling transaction sees it (in a
     * REPEATABLE READ transaction, the same snapshot as its other reads). The cache takes it when it is newer.
     */
    public Catalog read(String key) {
        return load(key);
    }

    public List<Agreement> byProduct(String product) {
        return db.list("select * from agreement where product = ? order by agreement_key", AgreementRepository::agreement,
                product);
    }

    public List<Agreement> all() {
        return db.list("select * from agreement order by agreement_key", AgreementRepository::agreement);
    }

    public List<Version> versions(String key) {
        return cached(key).versions();
    }

    public Optional<Version> version(String key, int version) {
        return versions(key).stream().filter(v -> v.version() == version).findFirst();
    }

    static Agreement agreement(ResultSet rs) throws SQLException {
        Set<Method> methods = EnumSet.noneOf(Method.class);
        String m = rs.getString("acceptance_methods");
        if (m != null && !m.isBlank()) {
            Arrays.stream(m.split(",")).map(String::trim).map(Method::valueOf).forEach(methods::add);
        }
        Policy policy = new Policy(rs.getInt("notice_days"), BindingRule.valueOf(rs.getString("binding_rule")),
                rs.getBoolean("seal_prevails"), Set.copyOf(methods),
                NoticeMeasuredFrom.valueOf(rs.getString("notice_measured_from")), ZoneId.of(rs.getString("timezone")));
        return new Agreement(rs.getString("agreement_key"), rs.getString("title"), rs.getString("provider"),
                rs.getString("scope"), rs.getString("parent_key"), rs.getString("product"), rs.getString("timezone"),
                policy, Db.instant(rs, "registered_at"));
    }

    static Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getString("agreement_key"), rs.getInt("version"), rs.getString("label"),
                rs.getBoolean("imported"), Db.instant(rs, "notice_at"), Db.instant(rs, "effective_at"),
                rs.getString("content_sha256"), Db.integer(rs, "previous_version"), Db.instant(rs, "withdrawn_at"),
                rs.getString("withdraw_reason"));
    }
}
