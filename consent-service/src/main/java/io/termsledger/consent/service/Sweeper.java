package io.termsledger.consent.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.config.ConsentConfig;
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

    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent ev) {
        if (config.sweep().rebuildAtStart()) {
            LOG.infof("rebuilding the projection from the ledger: %d rows due", projection.markAllForRebuild());
        }
        if (!config.sweep().enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "projection-sweep");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                projection.sweepUntilIdle(config.sweep().batchSize());
            } catch (RuntimeException e) {
                LOG.warnf("projection sweep failed, retrying: %s", e.toString());
            }
            try {
                Thread.sleep(config.sweep().interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
