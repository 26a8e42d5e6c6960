package io.termsledger.notice.repository;

import io.termsledger.notice.domain.AudienceChanges.Member;
import io.termsledger.notice.domain.AudienceChanges.Pair;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Who is bound to which version of each agreement, as told by consents.events. */
@ApplicationScoped
public class AudienceRepository {

    @Inject
    Sql sql;

    /** The stored members among {@code pairs}, one statement. */
    public Map<Pair, Member> members(Collection<Pair> pairs) {
        Map<Pair, Member> out = new HashMap<>();
        if (pairs.isEmpty()) {
            return out;
        }
        sql.list("select m.agreement_key, m.user_id, m.version, m.since from unnest(?, ?) as x(k, u)"
                        + " join audience_member m on m.agreement_key = x.k and m.user_id = x.u",
                rs -> out.put(new Pair(rs.getString(1), rs.getString(2)), new Member(rs.getInt(3), Sql.instant(rs, "since"))),
                pairs.stream().map(Pair::agreementKey).toArray(String[]::new),
                pairs.stream().map(Pair::userId).toArray(String[]::new));
        return out;
    }

    /** Stores the members as given (inserted or replaced), one statement. */
    public void write(Map<Pair, Member> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        sql.update("insert into audience_member (agreement_key, user_id, version, since, updated_at)"
                        + " select k, u, v::int, s::timestamptz, ? from unnest(?, ?, ?, ?) as x(k, u, v, s)"
                        + " on conflict (agreement_key, user_id) do update set version = excluded.version,"
                        + " since = excluded.since, updated_at = excluded.updated_at", now,
                rows.keySet().stream().map(Pair::agreementKey).toArray(String[]::new),
                rows.keySet().stream().map(Pair::userId).toArray(String[]::new),
                rows.values().stream().map(m -> Integer.toString(m.version())).toArray(String[]::new),
                rows.values().stream().map(m -> m.since() == null ? null : m.since().toString()).toArray(String[]::new));
    }
}
