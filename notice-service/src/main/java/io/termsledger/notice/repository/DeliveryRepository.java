package io.termsledger.notice.repository;

import io.termsledger.kit.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deliveries, written set-based: one statement inserts a chunk of users times channels
 * into {@code delivery} (the unique (notice, user, channel) constraint drops what exists)
 * and, for exactly the rows it inserted, writes the {@code notice.delivery.requested.v1}
 * outbox rows. Those rows have the columns and payload shape {@code Outbox.append} would
 * write (event id from gen_random_uuid(), the JSON built by json_build_object); the kit's
 * relay sends them like any other. One statement per chunk instead of one insert per event
 * is what makes a 100,000-user fan-out take seconds rather than minutes.
 */
@ApplicationScoped
public class DeliveryRepository {

    public static final String REQUESTED_TYPE = "notice.delivery.requested.v1";

    /** Users of a REVISION notice: bound to an earlier version. Parameters: key, toVersion, cursor, limit. */
    public static final String REVISION_AUDIENCE = "select user_id from audience_member where agreement_key = ?"
            + " and version < ? and user_id > ? order by user_id limit ?";
    /** Users of an admin notice: bound to any version. Parameters: key, cursor, limit. */
    public static final String AGREEMENT_AUDIENCE = "select user_id from audience_member where agreement_key = ?"
            + " and user_id > ? order by user_id limit ?";
    /**
     * Users of a WITHDRAWAL notice: those who got the revision, and those bound to the withdrawn version (who
     * accepted it early, some before its notice reached them). Each side yields its next chunk from its index,
     * so a chunk reads at most two chunks' worth of users. Parameters: revision id, cursor, limit, key, version,
     * cursor, limit, limit.
     */
    public static final String RECIPIENTS_OF = "select distinct user_id from ((select distinct user_id from delivery"
            + " where notice_id = ? and user_id > ? order by user_id limit ?) union all (select user_id from"
            + " audience_member where agreement_key = ? and version = ? and user_id > ? order by user_id limit ?)) r"
            + " order by user_id limit ?";
    /** Some users, in the order a chunk takes them. Parameter: an array of user ids. */
    public static final String USERS = "select user_id from unnest(cast(? as text[])) as u(user_id) order by user_id";

    /** The outcome of one fan-out statement. */
    public record Chunk(String lastUser, long users, long deliveries) {
    }

    @Inject
    Sql sql;

    /**
     * Inserts one delivery per user of {@code usersQuery} and channel, and the outbox row of
     * each delivery actually inserted, in one statement.
     */
    public Chunk fanOut(NoticeFields n, String usersQuery, Object[] usersParams, String[] channels, Instant now) {
        String statement = "with users as (" + usersQuery + "),"
                + " ins as (insert into delivery (notice_id, user_id, channel, requested_at)"
                + "   select ?, u.user_id, ch.channel, ? from users u cross join unnest(?) as ch(channel)"
                + "   on conflict do nothing returning id, user_id, channel),"
                + " ob as (insert into outbox (event_id, topic, message_key, event_type, subject, event_time, payload)"
                + "   select gen_random_uuid(), ?, ins.user_id, ?, cast(? as text) || ins.id::text, ?,"
                + "   json_build_object('deliveryId', ins.id, 'noticeId', cast(? as uuid), 'noticeType', cast(? as text),"
                + "     'userId', ins.user_id, 'channel', ins.channel, 'agreementKey', cast(? as text),"
                + "     'fromVersion', cast(? as int), 'toVersion', cast(? as int),"
                + "     'noticeAt', cast(? as text), 'effectiveAt', cast(? as text),"
                + "     'noticeMeasuredFrom', cast(? as text), 'requiredLeadDays', cast(? as int))::text"
                + "   from ins returning 1)"
                + " select (select max(user_id) from users), (select count(*) from users), (select count(*) from ob)";
        List<Object> params = new ArrayList<>(List.of(usersParams));
        params.add(n.id());
        params.add(now);
        params.add(channels);
        params.add(Topics.NOTICE_DELIVERIES);
        params.add(REQUESTED_TYPE);
        params.add(n.agreementKey() + "/notices/" + n.id() + "/deliveries/");
        params.add(now);
        params.add(n.id());
        params.add(n.type());
        params.add(n.agreementKey());
        params.add(n.fromVersion());
        params.add(n.toVersion());
        params.add(n.noticeAt().toString());
        params.add(n.effectiveAt().toString());
        params.add(n.noticeMeasuredFrom());
        params.add(n.requiredLeadDays());
        return sql.one(statement, rs -> new Chunk(rs.getString(1), rs.getLong(2), rs.getLong(3)), params.toArray())
                .orElseThrow();
    }

    /**
     * The notice fields a delivery event carries. With {@code noticeMeasuredFrom} INDIVIDUAL_DELIVERY a revision takes
     * effect for the user at the later of {@code effectiveAt} and {@code requiredLeadDays} calendar days (in the
     * agreement's zone) after the notice reached them, which a mailer needs to state it.
     */
    public record NoticeFields(UUID id, String type, String agreementKey, Integer fromVersion, Integer toVersion,
                               Instant noticeAt, Instant effectiveAt, String noticeMeasuredFrom, int requiredLeadDays) {
    }

    public Optional<DeliveryRecord> find(UUID id) {
        return sql.one("select * from delivery where id = ?", DeliveryRepository::map, id);
    }

    public Optional<DeliveryRecord> lock(UUID id) {
        return sql.one("select * from delivery where id = ? for update", DeliveryRepository::map, id);
    }

    public List<DeliveryRecord> page(UUID noticeId, String status, String channel, String userId, int page, int size) {
        return sql.list("select * from delivery where notice_id = ? and (cast(? as text) is null or status = ?)"
                        + " and (cast(? as text) is null or channel = ?) and (cast(? as text) is null or user_id = ?)"
                        + " order by user_id, channel limit ? offset ?",
                DeliveryRepository::map, noticeId, status, status, channel, channel, userId, userId, size,
                (long) page * size);
    }

    public long count(UUID noticeId, String status, String channel, String userId) {
        return sql.count("select count(*) from delivery where notice_id = ? and (cast(? as text) is null or status = ?)"
                        + " and (cast(? as text) is null or channel = ?) and (cast(? as text) is null or user_id = ?)",
                noticeId, status, status, channel, channel, userId, userId);
    }

    /**
     * Appends a report to the history and moves the current status when the report is the latest. A delivery
     * reported DELIVERED stays DELIVERED: the notice reached the user, and a later FAILED (a bounce after the
     * mail server took it) or a late SENT is kept in the history only.
     */
    public void report(UUID deliveryId, String status, Instant at, String detail, String source, Instant now) {
        sql.update("insert into delivery_report (delivery_id, status, reported_at, detail, source, received_at)"
                + " values (?, ?, ?, ?, ?, ?)", deliveryId, status, at, detail, source, now);
        sql.update("update delivery set status = case when ? = 'DELIVERED' or delivered_at is not null then 'DELIVERED'"
                        + " when last_report_at is null or ? >= last_report_at then ? else status end,"
                        + " last_report_at = greatest(last_report_at, ?),"
                        + " delivered_at = case when ? = 'DELIVERED' then least(delivered_at, ?) else delivered_at end"
                        + " where id = ?",
                status, at, status, at, status, at, deliveryId);
    }

    public List<ReportRecord> reports(UUID deliveryId) {
        return sql.list("select * from delivery_report where delivery_id = ? order by id",
                rs -> new ReportRecord(rs.getLong("id"), rs.getString("status"), Sql.instant(rs, "reported_at"),
                        rs.getString("detail"), rs.getString("source"), Sql.instant(rs, "received_at")),
                deliveryId);
    }

    /**
     * Records a user's DELIVERED instant for a notice (over every channel); true when it is the first or earlier
     * than the one recorded, which reports arriving out of order make possible.
     */
    public boolean earliestDelivered(UUID noticeId, String userId, UUID deliveryId, Instant at) {
        return sql.update("insert into notice_user_delivery (notice_id, user_id, delivery_id, delivered_at)"
                + " values (?, ?, ?, ?) on conflict (notice_id, user_id) do update"
                + " set delivery_id = excluded.delivery_id, delivered_at = excluded.delivered_at"
                + " where notice_user_delivery.delivered_at > excluded.delivered_at", noticeId, userId, deliveryId, at) == 1;
    }

    static DeliveryRecord map(ResultSet rs) throws SQLException {
        return new DeliveryRecord(rs.getObject("id", UUID.class), rs.getObject("notice_id", UUID.class),
                rs.getString("user_id"), rs.getString("channel"), rs.getString("status"),
                Sql.instant(rs, "requested_at"), Sql.instant(rs, "last_report_at"), Sql.instant(rs, "delivered_at"));
    }
}
