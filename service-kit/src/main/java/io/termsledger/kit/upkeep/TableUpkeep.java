package io.termsledger.kit.upkeep;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.termsledger.kit.problem.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Does for this service's own tables what autovacuum would do, when the server's
 * autovacuum is off. Without statistics the planner picks sequential scans for the
 * set-based statements of a busy table (on a fresh database recording slowed to a tenth),
 * and without vacuum the tables that take updates keep growing. Every interval it reads
 * {@code pg_stat_user_tables} of its schema and, with autovacuum's thresholds and scale
 * factors (a table's own {@code autovacuum_*} storage parameters first, then the server's
 * settings), analyzes the tables that changed enough and vacuums those with enough dead or
 * newly inserted rows, paced by autovacuum's cost delay. With autovacuum on it does nothing.
 */
@ApplicationScoped
public class TableUpkeep {

    private static final Logger LOG = Logger.getLogger(TableUpkeep.class);

    @ConfigMapping(prefix = "ledger.upkeep")
    public interface Settings {
        /** Whether the upkeep runs (it still does nothing while the server's autovacuum is on). */
        @WithDefault("true")
        boolean enabled();

        /** How often the tables are looked at (autovacuum's own default naptime is one minute). */
        @WithDefault("PT1M")
        Duration interval();
    }

    /** What one round did to one table. */
    public record Action(String table, boolean vacuumed, boolean analyzed) {
    }

    /**
     * A table's autovacuum parameter: its own storage parameter ({@code alter table … set
     * (autovacuum_…)}) when it has one, as autovacuum reads it, else the server's setting.
     */
    private static String param(String name) {
        return "coalesce((max(o.v) filter (where o.k = '" + name + "'))::float8, current_setting('" + name + "')::float8)";
    }

    /**
     * Per table of the schema: whether autovacuum would vacuum it for its dead rows, vacuum it
     * for its inserts (which sets the visibility map that index-only scans rely on; an
     * append-only table has no dead rows), and analyze it. Tables with
     * {@code autovacuum_enabled = false} are left alone, as autovacuum leaves them.
     */
    private static final String DUE = "select t.relname,"
            + " t.n_dead_tup > p.vt + p.vs * greatest(c.reltuples, 0),"
            + " p.it >= 0 and t.n_ins_since_vacuum > p.it + p.vis * greatest(c.reltuples, 0),"
            + " t.n_mod_since_analyze > p.at + p.ans * greatest(c.reltuples, 0)"
            + " from pg_stat_user_tables t join pg_class c on c.oid = t.relid,"
            + " lateral (select " + param("autovacuum_vacuum_threshold") + " as vt, "
            + param("autovacuum_vacuum_scale_factor") + " as vs, "
            + param("autovacuum_vacuum_insert_threshold") + " as it, "
            + param("autovacuum_vacuum_insert_scale_factor") + " as vis, "
            + param("autovacuum_analyze_threshold") + " as at, "
            + param("autovacuum_analyze_scale_factor") + " as ans,"
            + " coalesce((max(o.v) filter (where o.k = 'autovacuum_enabled'))::boolean, true) as enabled"
            + " from (select split_part(r, '=', 1) as k, split_part(r, '=', 2) as v"
            + " from unnest(c.reloptions) r) o) p"
            + " where t.schemaname = current_schema() and current_setting('autovacuum') = 'off' and p.enabled"
            + " order by t.relname";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Settings settings;

    private ScheduledExecutorService timer;

    /** Rounds run one at a time (on the timer's thread, or a test's), so one log serves them all. */
    private OutageLog outage;

    void start(@Observes StartupEvent ev) {
        if (!settings.enabled()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "table-upkeep");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * One timed round: {@link #runOnce}, with what it did logged at debug level. A failure is left to the
     * next round; while the database cannot be reached that is said once when it starts and once when a
     * round reaches the database again, not once a round.
     */
    public synchronized void round() {
        if (outage == null) {
            outage = new OutageLog(LOG, "table upkeep", "it tries again every " + settings.interval().toSeconds() + " s");
        }
        try {
            List<Action> done = runOnce();
            outage.back();
            for (Action a : done) {
                LOG.debugf("upkeep of %s: vacuumed %s, analyzed %s", a.table(), a.vacuumed(), a.analyzed());
            }
        } catch (SQLException | RuntimeException e) {
            if (!outage.away(e)) {
                LOG.warnf("table upkeep failed, will try again: %s", e.toString());
            }
        }
    }

    /**
     * One round: the tables of the current schema that autovacuum would vacuum or analyze now,
     * vacuumed and analyzed (outside any transaction, as VACUUM requires). Returns what was
     * done; nothing while the server's autovacuum is on.
     */
    public List<Action> runOnce() throws SQLException {
        List<Action> done = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<Action> due = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(DUE)) {
                while (rs.next()) {
                    boolean vacuum = rs.getBoolean(2) || rs.getBoolean(3);
                    if (vacuum || rs.getBoolean(4)) {
                        due.add(new Action(rs.getString(1), vacuum, rs.getBoolean(4)));
                    }
                }
            }
            if (due.isEmpty()) {
                return done;
            }
            // paced like autovacuum (a manual VACUUM is not), so that it does not starve the service's own work
            s.execute("select set_config('vacuum_cost_delay', current_setting('autovacuum_vacuum_cost_delay'), false),"
                    + " set_config('vacuum_cost_limit', case when current_setting('autovacuum_vacuum_cost_limit') = '-1'"
                    + " then current_setting('vacuum_cost_limit') else current_setting('autovacuum_vacuum_cost_limit') end, false)");
            try {
                for (Action a : due) {
                    String table = "\"" + a.table().replace("\"", "\"\"") + "\"";
                    String command = !a.vacuumed() ? "analyze " : a.analyzed() ? "vacuum (analyze) " : "vacuum ";
                    s.execute(command + table);
                    done.add(a);
                }
            } finally {
                // the connection goes back to the pool
                s.execute("reset vacuum_cost_delay; reset vacuum_cost_limit");
            }
        }
        return done;
    }
}
