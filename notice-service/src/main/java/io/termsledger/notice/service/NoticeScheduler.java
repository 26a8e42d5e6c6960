package io.termsledger.notice.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.BackgroundWorker;
import io.termsledger.kit.messaging.KafkaSettings;
import io.termsledger.notice.config.NoticeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * One background thread per instance: fires due effective dates, then works through
 * pending fan-outs chunk by chunk, then waits {@code scheduler-interval-ms} or until woken
 * (a new notice). All coordination between instances is in the database (see
 * {@link EffectiveDateService} and {@link FanoutService}), so any number may run.
 */
@ApplicationScoped
public class NoticeScheduler {

    @Inject
    NoticeConfig config;

    @Inject
    KafkaSettings kafka;

    @Inject
    EffectiveDateService effective;

    @Inject
    FanoutService fanout;

    private BackgroundWorker worker;

    void start(@Observes StartupEvent ev) {
        if (!config.schedulerEnabled() || !kafka.enabled()) {
            return;
        }
        worker = new BackgroundWorker("notice-scheduler", this::pass, config::schedulerIntervalMs, 500, 10_000);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (worker != null) {
            worker.stop();
        }
    }

    public void wakeUp() {
        if (worker != null) {
            worker.wakeUp();
        }
    }

    /** Fires due effective dates, then works through pending fan-outs; then the worker idles. */
    private boolean pass() {
        effective.fireDue();
        int chunks = 0;
        while (worker.running() && fanout.step()) {
            if (++chunks % 10 == 0) {
                effective.fireDue(); // a long fan-out does not delay effective dates
            }
        }
        return false;
    }
}
