package io.termsledger.kit.problem;

/**
 * A transaction PostgreSQL aborted because it conflicted with another one: a deadlock (40P01), or a
 * serialization failure (40001). Neither is the request's fault, and the same work done again
 * normally succeeds: writers retry it, and a request that still meets one is answered 503 with
 * {@code Retry-After} ({@link ProblemMappers}), not 500.
 */
public final class TransactionConflict {

    /** The problem type's last part. */
    public static final String SLUG = "transaction-conflict";

    private TransactionConflict() {
    }

    /** Whether {@code e} or one of its causes is such an abort ({@link Causes#sqlState}). */
    public static boolean isCause(Throwable e) {
        return Causes.sqlState(e, "40P01", "40001");
    }
}
