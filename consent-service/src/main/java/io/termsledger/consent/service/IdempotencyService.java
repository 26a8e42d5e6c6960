package io.termsledger.consent.service;

import io.termsledger.consent.repository.Db;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Idempotency keys, looked up and stored in the transaction that records the facts (see
 * {@link FactWriter}). {@link #claimAll} finds earlier uses of the keys (replay, or 422
 * for another body); {@link #completeAll} stores each new key with its answer when the
 * facts are written, so a key whose transaction rolls back is gone with it and a
 * corrected retry can use it. Only successful answers are replayed. Within one instance a
 * duplicate arriving while the first request is queued or being written is refused by the
 * writer (409) before it gets here. Across instances the unique key decides: the second
 * writer's insert waits for the first and then finds the key taken, its batch rolls back
 * and is retried, and the retry replays the first answer. A row still IN_PROGRESS (written
 * by earlier versions of the service) answers 409.
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
     * Looks up earlier uses of the keys (all distinct). Each key maps to a {@link Claim}
     * (proceed, or replay), or to the {@link ApiProblem} that refuses its request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Key, Object> claimAll(List<Key> keys) {
        Db.Queries q = db.queries();
        Supplier<Map<Key, Object>> claims = claimAll(keys, q);
        q.run();
        return claims.get();
    }

    /** {@link #claimAll(List)} as one of {@code q}'s statements: the claims once {@code q} has run. */
    public Supplier<Map<Key, Object>> claimAll(List<Key> keys, Db.Queries q) {
        Map<String, Row> earlier = new HashMap<>();
        if (!keys.isEmpty()) {
            q.add("select scope, idem_key, request_sha256, state, response_status, response_body from idempotency_key"
                            + " where scope = any(?) and idem_key = any(?)",
                    rs -> earlier.put(rs.getString(1) + "\n" + rs.getString(2), new Row(rs.getString(3), rs.getString(4),
                            Db.integer(rs, "response_status"), rs.getString(6))),
                    new Db.TextArray(keys.stream().map(Key::scope).collect(Collectors.toCollection(TreeSet::new))),
                    new Db.TextArray(keys.stream().map(Key::key).toList()));
        }
        return () -> {
            Map<Key, Object> out = new HashMap<>();
            for (Key k : keys) {
                Row row = earlier.get(k.scope() + "\n" + k.key());
                out.put(k, row == null ? Claim.PROCEED : decide(k, row));
            }
            return out;
        };
    }

    private static Object decide(Key k, Row row) {
        if (!row.state().equals("DONE")) {
            // still being recorded elsewhere: retry shortly
            return inFlight();
        }
        if (!row.requestSha256().equals(k.requestSha256())) {
            return ApiProblem.unprocessable("idempotency-key-reused",
                    "This Idempotency-Key was already used with a different request body; use a new key.");
        }
        return new Claim(false, row.status(), row.body());
    }

    /**
     * The earlier use of one key, read on its own: a {@link Claim} to replay, the {@link ApiProblem} that
     * refuses the request (another body, or still in flight), or empty when the key is unused. For a request
     * its validation refuses: a retry of a recorded fact replays the first answer even when today's rules
     * would refuse the fact (its version withdrawn since, say).
     */
    public Optional<Object> earlier(Key key) {
        Db.Queries q = db.queries();
        Supplier<Map<Key, Object>> claims = claimAll(List.of(key), q);
        q.run();
        Object claim = claims.get().get(key);
        return claim == Claim.PROCEED ? Optional.empty() : Optional.of(claim);
    }

    /**
     * Whether {@code e} is {@link #completeAll}'s insert failing because another writer stored one
     * of the keys meanwhile: written again, the fact's claim finds that writer's answer.
     */
    public static boolean keyStoredMeanwhile(Throwable e) {
        return Db.violates(e, "idempotency_key_pkey");
    }

    /** The answer while a request with the same key is being processed. */
    public static ApiProblem inFlight() {
        return ApiProblem.conflict("idempotency-key-in-flight",
                "A request with this Idempotency-Key is being processed; retry shortly.");
    }

    /**
     * Stores the new keys with their answers as a part of {@code writes}, the statement that
     * records the facts. It fails (rolling the facts back) when another writer stored one of the
     * keys meanwhile: the batch is then retried, and the retry replays that writer's answer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeAll(Map<Key, String> answers, int status, Db.Statement writes) {
        writes.rows("insert into idempotency_key (scope, idem_key, request_sha256, state, response_status, response_body)"
                + " select s, k, h, 'DONE', st::int, b from unnest(?, ?, ?, ?, ?) as x(s, k, h, st, b)",
                answers.entrySet().stream().map(e -> new Object[] {e.getKey().scope(), e.getKey().key(),
                    e.getKey().requestSha256(), status, e.getValue()}).toList(), 5);
    }
}
