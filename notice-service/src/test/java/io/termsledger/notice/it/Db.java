package io.termsledger.notice.it;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct reads of the test database, for what the API does not show (outbox, consumed events). */
final class Db {

    private Db() {
    }

    static long count(AgroalDataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int update(AgroalDataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean consumed(AgroalDataSource ds, String ceId) {
        return count(ds, "select count(*) from consumed_event where event_id = ?", ceId) == 1;
    }

    /** Whether no outbox row mentioning {@code text} waits to be relayed. */
    static boolean relayed(AgroalDataSource ds, String text) {
        return count(ds, "select count(*) from outbox where payload like ?", "%" + text + "%") == 0;
    }
}
