package io.termsledger.notice.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.KafkaSettings;
import io.termsledger.notice.config.NoticeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * One background thread per instance: fires due effective dates, then works through
 * pending fan-outs chunk by chunk, then waits {@code scheduler-interval-ms} or until woken
 * (a new notice). All coordination between instances is in the database (see
 * {@link EffectiveDateService} and {@link FanoutService}), so any number may run.
 */
@ApplicationScoped
public class NoticeScheduler {

    private static final Logger LOG = Logger.getLogger(NoticeScheduler.class);

    @Inject
    NoticeConfig config;

    @Inject
    KafkaSettings kafka;

    @Inject
    EffectiveDateService effective;

    @Inject
    FanoutService fanout;

    private final Object signal = new Object();
    private volatile boolean running;
    private volatile boolean woken;
    private Thread thread;

    void start(@Observes StartupEvent ev) {
        if (!config.schedulerEnabled() || !kafka.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "notice-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                effective.fireDue();
                int chunks = 0;
                while (running && fanout.step()) {
                    if (++chunks % 10 == 0) {
                        effective.fireDue(); // a long fan-out does not delay effective dates
                    }
                }
                backoff = 0;
                idle(config.schedulerIntervalMs());
            } catch (RuntimeException e) {
                backoff = Math.min(backoff == 0 ? 500 : backoff * 2, 10_000);
                LOG.warnf("notice scheduler failed, retrying in %d ms: %s", backoff, e.toString());
                idle(backoff);
            }
        }
    }

    private void idle(long ms) {
        synchronized (signal) {
            try {
                if (!woken) {
                    signal.wait(ms);
                }
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
