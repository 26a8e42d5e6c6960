package io.termsledger.consent.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.termsledger.consent.repository.Db;
import io.termsledger.kit.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Idempotency keys. {@link #begin} inserts the key as IN_PROGRESS in its own short
 * transaction, so a concurrent duplicate sees it at once (409); the transaction that
 * records the fact marks it DONE with the answer ({@link #complete}); a request that
 * fails releases the key ({@link #release}) so a corrected retry can use it. Only
 * successful answers are replayed.
 */
@ApplicationScoped
public class IdempotencyService {

    @Inject
    Db db;

    /** Either go ahead, or replay this earlier answer. */
    public record Claim(boolean proceed, Integer status, String body) {
    }

    private record Row(String requestSha256, String state, Integer status, String body) {
    }

    public Claim begin(String scope, String key, String requestSha256) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int inserted = db.update("insert into idempotency_key (scope, idem_key, request_sha256, state) values (?, ?, ?,"
                    + " 'IN_PROGRESS') on conflict (scope, idem_key) do nothing", scope, key, requestSha256);
            if (inserted == 1) {
                return new Claim(true, null, null);
            }
            Row row = db.one("select request_sha256, state, response_status, response_body from idempotency_key"
                            + " where scope = ? and idem_key = ?",
                    rs -> new Row(rs.getString(1), rs.getString(2), Db.integer(rs, "response_status"), rs.getString(4)),
                    scope, key).orElse(null);
            if (row == null) {
                // released between our insert attempt and the read: the caller may simply retry
                throw ApiProblem.conflict("idempotency-key-in-flight",
                        "A request with this Idempotency-Key is being processed; retry shortly.");
            }
            if (!row.requestSha256().equals(requestSha256)) {
                throw ApiProblem.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used with a different request body; use a new key.");
            }
            if (!row.state().equals("DONE")) {
                throw ApiProblem.conflict("idempotency-key-in-flight",
                        "A request with this Idempotency-Key is being processed; retry shortly.");
            }
            return new Claim(false, row.status(), row.body());
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(String scope, String key, int status, String body) {
        db.update("update idempotency_key set state = 'DONE', response_status = ?, response_body = ? where scope = ?"
                + " and idem_key = ?", status, body, scope, key);
    }

    public void release(String scope, String key) {
        QuarkusTransaction.requiringNew().run(() -> db.update(
                "delete from idempotency_key where scope = ? and idem_key = ? and state = 'IN_PROGRESS'", scope, key));
    }
}
