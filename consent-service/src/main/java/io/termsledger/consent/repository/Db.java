package io.termsledger.consent.repository;

import io.agroal.api.AgroalDataSource;
import io.termsledger.kit.sql.ArrayColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.util.PSQLException;

/**
 * Thin JDBC helper over the service's datasource. Inside a JTA transaction the
 * connection is the transaction's, so every statement joins the caller's transaction.
 */
@ApplicationScoped
public class Db {

    @Inject
    AgroalDataSource dataSource;

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    /**
     * A {@code text[]} parameter (bind with {@code = any(?)} or {@code unnest(?)}). The array is
     * bound as it is, not copied: build a new one for each parameter and leave it unchanged.
     */
    public record TextArray(String[] values) {
        public TextArray(Collection<String> values) {
            this(values.toArray(new String[0]));
        }
    }

    /**
     * Rows of parameters as one {@code text[]} parameter per column ({@link ArrayColumns}): many
     * rows in one statement, and several such statements in one (data-modifying {@code WITH}
     * parts), so a whole batch of changes is one round trip. Nulls stay null; instants are
     * ISO-8601 text.
     */
    public static Object[] columns(List<Object[]> rows, int width) {
        String[][] columns = ArrayColumns.split(rows, width, v -> v instanceof Null ? null : v.toString());
        Object[] out = new Object[width];
        for (int c = 0; c < width; c++) {
            out[c] = new TextArray(columns[c]);
        }
        return out;
    }

    /**
     * One statement made of data-modifying parts ({@code WITH p0 AS (insert …), p1 AS (…)
     * SELECT 1}), collected from several writers and run once: a batch's writes in one round
     * trip. Parts run on one snapshot, so they must touch disjoint rows and nothing in them may
     * read another's effect. A part's failure (a unique violation, say) fails the whole statement.
     */
    public Statement statement() {
        return new Statement();
    }

    /**
     * Several statements sent together and answered together (the driver sends the statements
     * of one multi-statement string before a single sync): one round trip instead of one each.
     * For statements that do not depend on each other's results, such as the locks and lookups
     * a batch starts with. Each statement's rows go to its own mapper, in order.
     */
    public Queries queries() {
        return new Queries();
    }

    /** See {@link #queries()}. */
    public final class Queries {
        private final List<String> sql = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();
        private final List<RowMapper<?>> mappers = new ArrayList<>();

        private Queries() {
        }

        /** Adds a statement; {@code mapper} (null: no rows wanted) sees each row it returns. */
        public Queries add(String statement, RowMapper<?> mapper, Object... statementParams) {
            sql.add(statement);
            mappers.add(mapper);
            params.addAll(Arrays.asList(statementParams));
            return this;
        }

        /** Runs the statements in one round trip, in order. */
        public void run() {
            if (sql.isEmpty()) {
                return;
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(String.join(";\n", sql))) {
                bind(s, params.toArray());
                boolean rows = s.execute();
                for (int i = 0; i < mappers.size(); i++) {
                    if (rows) {
                        try (ResultSet rs = s.getResultSet()) {
                            while (rs.next()) {
                                if (mappers.get(i) != null) {
                                    mappers.get(i).map(rs);
                                }
                            }
                        }
                    }
                    rows = s.getMoreResults();
                }
            } catch (SQLException e) {
                throw new DbException(e);
            }
        }
    }

    /** See {@link #statement()}. */
    public final class Statement {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();
        private int parts;

        private Statement() {
        }

        /** Adds a part (an INSERT, UPDATE or DELETE) with its parameters. */
        public Statement part(String modifying, Object... partParams) {
            sql.append(parts == 0 ? "with " : ", ").append('p').append(parts++).append(" as (").append(modifying).append(')');
            params.addAll(Arrays.asList(partParams));
            return this;
        }

        /** Adds a part that reads {@code rows} ({@code width} values each) from one array per column; none for no rows. */
        public Statement rows(String modifying, List<Object[]> rows, int width) {
            return rows.isEmpty() ? this : part(modifying, columns(rows, width));
        }

        /** Runs the parts as one statement (nothing when there are none). */
        public void run() {
            if (parts > 0) {
                list(sql + " select 1", rs -> 1, params.toArray());
                sql.setLength(0);
                params.clear();
                parts = 0;
            }
        }
    }


    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof TextArray a) {
                // a String[] (not Object[]) goes out in binary: no quoting and escaping of every element here,
                // no parsing of it there (a batch's canonical forms and payloads are mostly quotes)
                s.setArray(i + 1, s.getConnection().createArrayOf("text", a.values()));
            } else if (p instanceof Instant t) {
                s.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof UUID u) {
                s.setObject(i + 1, u);
            } else if (p instanceof Null n) {
                s.setNull(i + 1, n.sqlType());
            } else if (p == null) {
                s.setNull(i + 1, Types.VARCHAR);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A typed SQL null parameter. */
    public record Null(int sqlType) {
        public static final Null INT = new Null(Types.INTEGER);
        public static final Null TIMESTAMP = new Null(Types.TIMESTAMP_WITH_TIMEZONE);
        public static final Null TEXT = new Null(Types.VARCHAR);
    }

    public static Object orNull(Integer v) {
        return v == null ? Null.INT : v;
    }

    public static Object orNull(Instant v) {
        return v == null ? Null.TIMESTAMP : v;
    }

    /** Whether {@code e} (or a cause of it) is a unique violation of {@code constraint}. */
    public static boolean violates(Throwable e, String constraint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && "23505".equals(p.getSQLState()) && p.getServerErrorMessage() != null
                    && constraint.equals(p.getServerErrorMessage().getConstraint())) {
                return true;
            }
        }
        return false;
    }

    /** A database failure; SQL state and message stay in the logs. */
    public static class DbException extends RuntimeException {
        public DbException(SQLException e) {
            super(e.getMessage(), e);
        }

        public String sqlState() {
            return getCause() instanceof SQLException s ? s.getSQLState() : null;
        }
    }
}
