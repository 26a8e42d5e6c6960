package io.termsledger.consent.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.kit.messaging.BackgroundWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Re-evaluates users whose status may have changed because a date passed (a revision's
 * effective date) or because a version was published or withdrawn. Due work is claimed
 * through the database ({@code for update skip locked} plus a lease), so several
 * instances share it.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    @Inject
    ProjectionService projection;

    @Inject
    ConsentConfig config;

    private BackgroundWorker worker;

    void start(@Observes StartupEvent ev) {
        if (config.sweep().rebuildAtStart()) {
            LOG.infof("rebuilding the projection from the ledger: %d rows due", projection.markAllForRebuild());
        }
        if (!config.sweep().enabled()) {
            return;
        }
        long interval = config.sweep().interval().toMillis();
        // a sweep runs until nothing is due, then the worker waits the interval; after a failure it waits the
        // interval too (and logs a database outage once, not once a sweep)
        worker = new BackgroundWorker("projection-sweep", () -> {
            projection.sweepUntilIdle(config.sweep().batchSize());
            return false;
        }, () -> interval, interval, interval);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (worker != null) {
            worker.stop();
        }
    }
}
