package io.termsledger.kit.problem;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure to reach the database (refused, dropped, shutting down, no connection
 * to be had from the pool) from a failure of the request itself. The first is the
 * operators' matter and passes; a caller gets 503 with {@code Retry-After} for it instead of
 * a 500 ({@link ProblemMappers}).
 */
public final class DatabaseOutage {

    /**
     * SQLSTATE classes and codes that say the server could not be used: 08 (connection
     * exception), 57P01–57P03 (admin or crash shutdown, cannot connect now), 53300 (too many
     * connections).
     */
    private static final Set<String> CODES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseOutage() {
    }

    /**
     * Whether {@code e}, one of its causes or one of their suppressed throwables says the database
     * could not be reached ({@link Causes#any}).
     */
    public static boolean isCause(Throwable e) {
        return Causes.any(e, t -> t instanceof ConnectException
                || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLException s && unreachable(s));
    }

    private static boolean unreachable(SQLException s) {
        String state = s.getSQLState();
        if (state != null) {
            return state.startsWith("08") || CODES.contains(state);
        }
        // Agroal's pool timing out while no connection can be made carries no SQLSTATE
        String message = s.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
