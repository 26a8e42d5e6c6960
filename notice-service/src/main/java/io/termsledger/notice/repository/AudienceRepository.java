package io.termsledger.notice.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;

/** Who is bound to which version of each agreement, as told by consents.events. */
@ApplicationScoped
public class AudienceRepository {

    @Inject
    Sql sql;

    /**
     * Records that the user is bound to {@code version} since {@code since}; an older
     * binding (earlier {@code since}) arriving late does not overwrite a newer one.
     * Returns the version the user is bound to afterwards.
     */
    public int bind(String agreementKey, String userId, int version, Instant since, Instant now) {
        sql.update("insert into audience_member (agreement_key, user_id, version, since, updated_at)"
                        + " values (?, ?, ?, ?, ?) on conflict (agreement_key, user_id) do update"
                        + " set version = excluded.version, since = excluded.since, updated_at = excluded.updated_at"
                        + " where audience_member.since is null or excluded.since is null"
                        + " or excluded.since >= audience_member.since",
                agreementKey, userId, version, since, now);
        return version(agreementKey, userId).orElse(version);
    }

    /** Adds the user with {@code version} unless already known; true when added. */
    public boolean joinIfAbsent(String agreementKey, String userId, int version, Instant since, Instant now) {
        return sql.update("insert into audience_member (agreement_key, user_id, version, since, updated_at)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing", agreementKey, userId, version, since, now) == 1;
    }

    public Optional<Integer> version(String agreementKey, String userId) {
        return sql.one("select version from audience_member where agreement_key = ? and user_id = ?",
                rs -> rs.getInt(1), agreementKey, userId);
    }
}
