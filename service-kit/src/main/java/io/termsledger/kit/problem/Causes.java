package io.termsledger.kit.problem;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Looks through a failure for the one that says what happened: the failure itself, its causes and
 * their suppressed throwables. The suppressed ones count because the transaction manager reports a
 * commit that failed as "could not commit", with the driver's exception among the suppressed
 * throwables rather than as the cause.
 */
public final class Causes {

    /** How many throwables are looked at, at most: a chain can loop. */
    private static final int MAX_SEEN = 32;

    private Causes() {
    }

    /** Whether {@code e} or any throwable behind it passes {@code test}. */
    public static boolean any(Throwable e, Predicate<Throwable> test) {
        Deque<Throwable> next = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (e != null) {
            next.add(e);
        }
        while (!next.isEmpty() && seen.size() < MAX_SEEN) {
            Throwable t = next.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (test.test(t)) {
                return true;
            }
            if (t.getCause() != null) {
                next.add(t.getCause());
            }
            next.addAll(Arrays.asList(t.getSuppressed()));
        }
        return false;
    }

    /** Whether the database refused the statement with one of these SQLSTATEs ({@code 23505}: a unique key taken). */
    public static boolean sqlState(Throwable e, String... states) {
        Set<String> wanted = Set.of(states);
        return any(e, t -> t instanceof SQLException s && s.getSQLState() != null && wanted.contains(s.getSQLState()));
    }

    /** The innermost cause's class and message, for a log line without a stack trace. */
    public static String rootCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < MAX_SEEN; depth++) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
