package io.termsledger.notice.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.notice.domain.AgreementPolicy;
import io.termsledger.notice.domain.Clause;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/** Agreements and our own copy of each published version's clauses. */
@ApplicationScoped
public class AgreementRepository {

    private static final TypeReference<Map<String, Integer>> PERIODS = new TypeReference<>() {
    };
    private static final TypeReference<List<Clause>> CLAUSES = new TypeReference<>() {
    };

    @Inject
    Sql sql;

    @Inject
    ObjectMapper json;

    public void upsert(AgreementPolicy p, Instant at) {
        sql.update("insert into agreement (agreement_key, scope, parent_key, product, timezone, notice_days,"
                        + " notice_measured_from, notice_periods, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (agreement_key) do update set scope = excluded.scope,"
                        + " parent_key = excluded.parent_key, product = excluded.product, timezone = excluded.timezone,"
                        + " notice_days = excluded.notice_days, notice_measured_from = excluded.notice_measured_from,"
                        + " notice_periods = excluded.notice_periods, updated_at = excluded.updated_at",
                p.agreementKey(), p.scope(), p.parentKey(), p.product(), p.zone().getId(), p.noticeDays(),
                p.noticeMeasuredFrom(), write(p.noticePeriods()), at);
    }

    public Optional<AgreementPolicy> find(String key) {
        return sql.one("select * from agreement where agreement_key = ?", rs -> new AgreementPolicy(
                rs.getString("agreement_key"), rs.getString("scope"), rs.getString("parent_key"),
                rs.getString("product"), ZoneId.of(rs.getString("timezone")), rs.getInt("notice_days"),
                rs.getString("notice_measured_from"), read(rs.getString("notice_periods"), PERIODS)), key);
    }

    /** Stores a published version once; a redelivered event changes nothing. */
    public void saveVersion(String key, int version, String label, boolean imported, Instant noticeAt,
                            Instant effectiveAt, String sha256, Integer previousVersion, List<Clause> clauses) {
        sql.update("insert into agreement_version (agreement_key, version, label, imported, notice_at, effective_at,"
                        + " content_sha256, previous_version, clauses) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict do nothing",
                key, version, label, imported, noticeAt, effectiveAt, sha256, previousVersion, write(clauses));
    }

    public Optional<List<Clause>> clauses(String key, int version) {
        return sql.one("select clauses from agreement_version where agreement_key = ? and version = ?",
                rs -> read(rs.getString(1), CLAUSES), key, version);
    }

    /**
     * Marks a stored version withdrawn; a version not stored yet (its publication parked and replayed
     * later) has the withdrawal kept for it, so that it is stored withdrawn when it comes.
     */
    public void markWithdrawn(String key, int version, Instant at) {
        int marked = sql.update("update agreement_version set withdrawn_at = ? where agreement_key = ? and version = ?"
                + " and withdrawn_at is null", at, key, version);
        if (marked == 0) {
            sql.update("insert into withdrawal_before_version (agreement_key, version, withdrawn_at)"
                    + " select ?, ?, ? where not exists (select 1 from agreement_version where agreement_key = ?"
                    + " and version = ?) on conflict do nothing", key, version, at, key, version);
        }
    }

    /** When the version was withdrawn before its publication reached this service, if it was. */
    public Optional<Instant> withdrawnBeforeStored(String key, int version) {
        return sql.one("select withdrawn_at from withdrawal_before_version where agreement_key = ? and version = ?",
                rs -> Sql.instant(rs, "withdrawn_at"), key, version);
    }

    /**
     * Serialises notice work per agreement: creating a notice takes the lock exclusively,
     * a user joining the audience takes it shared. So a user who joins while a notice is
     * being created is either seen by that notice's fan-out or sees the notice itself.
     */
    public void lockExclusive(String key) {
        sql.one("select pg_advisory_xact_lock(hashtext('notice:' || ?))", rs -> 1, key);
    }

    /** The shared lock of each agreement, taken in the order given (callers sort them). */
    public void lockShared(SortedSet<String> keys) {
        sql.list("select pg_advisory_xact_lock_shared(hashtext('notice:' || k)) from unnest(?) with ordinality as x(k, n)"
                + " order by n", rs -> 1, (Object) keys.toArray(String[]::new));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
