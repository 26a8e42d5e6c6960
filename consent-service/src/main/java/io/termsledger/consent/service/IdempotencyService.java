package io.termsledger.consent.service;

import io.termsledger.consent.repository.Db;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Idempotency keys, claimed and completed in the transaction that records the facts
 * (see {@link FactWriter}): {@link #claimAll} inserts each key as IN_PROGRESS, or finds
 * the earlier use of the key; {@link #completeAll} stores the answers. A key whose
 * transaction rolls back is gone with it, so a corrected retry can use it. Only
 * successful answers are replayed. Within one instance a duplicate arriving while the
 * first request is queued or being written is refused by the writer (409) before it
 * gets here; a row still IN_PROGRESS (left by another instance) answers 409 too.
 */
@ApplicationScoped
public class IdempotencyService {

    @Inject
    Db db;

    /** An idempotency key of one request. */
    public record Key(String scope, String key, String requestSha256) {
    }

    /** Either go ahead, or replay this earlier answer. */
    public record Claim(boolean proceed, Integer status, String body) {
        static final Claim PROCEED = new Claim(true, null, null);
    }

    private record Row(String requestSha256, String state, Integer status, String body) {
    }

    /**
     * Claims the keys (all distinct) in the caller's transaction. Each key maps to a
     * {@link Claim}, or to the {@link ApiProblem} that refuses its request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Key, Object> claimAll(List<Key> keys) {
        Map<Key, Object> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        List<Object[]> rows = new ArrayList<>();
        keys.forEach(k -> rows.add(new Object[] {k.scope(), k.key(), k.requestSha256()}));
        int[] inserted = db.batch("insert into idempotency_key (scope, idem_key, request_sha256, state) values (?, ?, ?,"
                + " 'IN_PROGRESS') on conflict (scope, idem_key) do nothing", rows);
        List<Key> taken = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (inserted[i] == 1) {
                out.put(keys.get(i), Claim.PROCEED);
            } else {
                taken.add(keys.get(i));
            }
        }
        if (taken.isEmpty()) {
            return out;
        }
        Map<String, Row> earlier = new HashMap<>();
        db.list("select scope, idem_key, request_sha256, state, response_status, response_body from idempotency_key"
                        + " where scope = any(?) and idem_key = any(?)",
                rs -> earlier.put(rs.getString(1) + "\n" + rs.getString(2), new Row(rs.getString(3), rs.getString(4),
                        Db.integer(rs, "response_status"), rs.getString(6))),
                new Db.TextArray(taken.stream().map(Key::scope).collect(java.util.stream.Collectors.toCollection(TreeSet::new))),
                new Db.TextArray(taken.stream().map(Key::key).toList()));
        for (Key k : taken) {
            out.put(k, decide(k, earlier.get(k.scope() + "\n" + k.key())));
        }
        return out;
    }

    private static Object decide(Key k, Row row) {
        if (row == null || !row.state().equals("DONE")) {
            // still being recorded elsewhere (or released between our insert and the read): retry shortly
            return inFlight();
        }
        if (!row.requestSha256().equals(k.requestSha256())) {
            return ApiProblem.unprocessable("idempotency-key-reused",
                    "This Idempotency-Key was already used with a different request body; use a new key.");
        }
        return new Claim(false, row.status(), row.body());
    }

    /** The answer while a request with the same key is being processed. */
    public static ApiProblem inFlight() {
        return ApiProblem.conflict("idempotency-key-in-flight",
                "A request with this Idempotency-Key is being processed; retry shortly.");
    }

    /** Stores the answers of claimed keys, in the transaction that recorded the facts. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeAll(Map<Key, String> answers, int status) {
        List<Object[]> rows = new ArrayList<>();
        answers.forEach((k, body) -> rows.add(new Object[] {status, body, k.scope(), k.key()}));
        db.batch("update idempotency_key set state = 'DONE', response_status = ?, response_body = ? where scope = ?"
                + " and idem_key = ?", rows);
    }
}
