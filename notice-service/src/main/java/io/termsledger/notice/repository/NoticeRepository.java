package io.termsledger.notice.repository;

import io.termsledger.notice.domain.AudienceChanges;
import io.termsledger.notice.domain.NoticeType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Notices, the claim of due effective dates, and the fan-out cursor. */
@ApplicationScoped
public class NoticeRepository {

    @Inject
    Sql sql;

    /** Inserts a notice; false when an equal one exists (one REVISION / WITHDRAWAL per version). */
    public boolean insert(NoticeRecord n) {
        return sql.update("insert into notice (id, type, agreement_key, from_version, to_version, notice_at,"
                        + " effective_at, required_lead_days, actual_lead_days, lead_time_met, changes, message,"
                        + " imported, notice_measured_from, audience_notice_id, source_event_id, created_at,"
                        + " fanout_done_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict do nothing",
                n.id(), n.type(), n.agreementKey(), n.fromVersion(), n.toVersion(), n.noticeAt(), n.effectiveAt(),
                n.requiredLeadDays(), n.actualLeadDays(), n.leadTimeMet(), n.changesJson(), n.message(),
                n.imported(), n.noticeMeasuredFrom(), n.audienceNoticeId(), n.sourceEventId(), n.createdAt(),
                n.fanoutDoneAt()) == 1;
    }

    /** An admin notice's Idempotency-Key: the request it was first used with and the notice that request issued. */
    public record IdempotencyKey(String requestSha256, UUID noticeId) {
    }

    public Optional<IdempotencyKey> idempotencyKey(String key) {
        return sql.one("select request_sha256, notice_id from notice_idempotency_key where idem_key = ?",
                rs -> new IdempotencyKey(rs.getString(1), rs.getObject(2, UUID.class)), key);
    }

    /**
     * Stores an Idempotency-Key with the notice its request issues; false when a request with the same key
     * stored it first (this insert waits for that request's transaction, and finds the key if it committed).
     */
    public boolean storeIdempotencyKey(String key, String requestSha256, UUID noticeId, Instant at) {
        return sql.update("insert into notice_idempotency_key (idem_key, request_sha256, notice_id, created_at)"
                + " values (?, ?, ?, ?) on conflict do nothing", key, requestSha256, noticeId, at) == 1;
    }

    public Optional<NoticeRecord> find(UUID id) {
        return sql.one("select * from notice where id = ?", NoticeRepository::map, id);
    }

    public Optional<NoticeRecord> findByVersion(NoticeType type, String key, int version) {
        return sql.one("select * from notice where type = ? and agreement_key = ? and to_version = ?",
                NoticeRepository::map, type, key, version);
    }

    public List<NoticeRecord> list(String agreementKey, NoticeType type) {
        return sql.list("select * from notice where (cast(? as text) is null or agreement_key = ?)"
                        + " and (cast(? as text) is null or type = ?) order by notice_at, created_at, id",
                NoticeRepository::map, agreementKey, agreementKey, type == null ? null : type.name(),
                type == null ? null : type.name());
    }

    /**
     * The notices of these agreements that a user joining the audience must also get (not withdrawn, not
     * imported): those not yet effective; every revision measured from each user's own delivery, which binds a
     * user only once notified (a user bound to an earlier version who joins after its date, by a late import or
     * event, would otherwise never be); and every withdrawal notice, for a user who joins bound to the withdrawn
     * version (their acceptance's event was still on its way when the withdrawal was fanned out).
     * {@link #reaches} says which concern a member.
     */
    public List<NoticeRecord> runningFor(Collection<String> agreementKeys, Instant now) {
        return sql.list("select * from notice where agreement_key = any(?) and withdrawn_at is null and not imported"
                        + " and (type = 'WITHDRAWAL' or effective_at > ?"
                        + " or (type = 'REVISION' and notice_measured_from = 'INDIVIDUAL_DELIVERY')) order by created_at",
                NoticeRepository::map, agreementKeys.toArray(String[]::new), now);
    }

    /**
     * Whether a notice {@link #runningFor} returned concerns a member bound to {@code version}: a withdrawal, one
     * bound to the withdrawn version; a revision, one bound below it; any other notice, every member. A product's
     * user bound to no version ({@link AudienceChanges#NOT_BOUND}) gets only notices not yet effective: the
     * revisions that bind only once delivered bind them to nothing.
     */
    public static boolean reaches(NoticeRecord n, int version, Instant now) {
        if (n.type() == NoticeType.WITHDRAWAL) {
            return n.toVersion() != null && n.toVersion() == version;
        }
        if (version == AudienceChanges.NOT_BOUND && !n.effectiveAt().isAfter(now)) {
            return false;
        }
        return n.type() != NoticeType.REVISION || n.toVersion() > version;
    }

    /** The revisions of these agreements whose fan-out is unfinished (not withdrawn, not imported). */
    public List<NoticeRecord> revisionsFanningOut(Collection<String> agreementKeys) {
        return sql.list("select * from notice where agreement_key = any(?) and type = 'REVISION' and fanout_done_at is null"
                        + " and withdrawn_at is null and not imported order by created_at",
                NoticeRepository::map, (Object) agreementKeys.toArray(String[]::new));
    }

    /** Marks a revision withdrawn (it will never fire) and stops its fan-out; false when it already was. */
    public boolean markWithdrawn(UUID id, Instant at) {
        return sql.update("update notice set withdrawn_at = ?, fanout_done_at = coalesce(fanout_done_at, ?)"
                + " where id = ? and withdrawn_at is null", at, at, id) == 1;
    }

    /**
     * Claims revisions whose effective date has come: sets {@code fired_at} on rows nobody
     * has fired yet, skipping rows another instance is claiming right now. The caller writes
     * the event in the same transaction, so a claim and its event commit together.
     */
    public List<NoticeRecord> claimDue(Instant now, int limit) {
        return sql.list("with due as (select id from notice where type = 'REVISION' and fired_at is null"
                        + " and withdrawn_at is null and effective_at <= ? order by effective_at limit ?"
                        + " for update skip locked)"
                        + " update notice n set fired_at = ? from due where n.id = due.id"
                        + " and n.fired_at is null returning n.*",
                NoticeRepository::map, now, limit, now);
    }

    /** The oldest notice whose fan-out is unfinished, locked for this transaction (others skip it). */
    public Optional<NoticeRecord> lockPendingFanout() {
        return sql.one("select * from notice where fanout_done_at is null order by created_at limit 1"
                + " for update skip locked", NoticeRepository::map);
    }

    public void advanceFanout(UUID id, String cursor, Instant doneAt) {
        sql.update("update notice set fanout_cursor = coalesce(?, fanout_cursor), fanout_done_at = ? where id = ?",
                cursor, doneAt, id);
    }

    static NoticeRecord map(ResultSet rs) throws SQLException {
        return new NoticeRecord(rs.getObject("id", UUID.class), NoticeType.valueOf(rs.getString("type")),
                rs.getString("agreement_key"), Sql.integer(rs, "from_version"), Sql.integer(rs, "to_version"),
                Sql.instant(rs, "notice_at"), Sql.instant(rs, "effective_at"), rs.getInt("required_lead_days"),
                rs.getInt("actual_lead_days"), rs.getBoolean("lead_time_met"), rs.getString("changes"),
                rs.getString("message"), rs.getBoolean("imported"), rs.getString("notice_measured_from"),
                rs.getObject("audience_notice_id", UUID.class), rs.getString("source_event_id"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "withdrawn_at"), Sql.instant(rs, "fired_at"),
                rs.getString("fanout_cursor"), Sql.instant(rs, "fanout_done_at"));
    }
}
