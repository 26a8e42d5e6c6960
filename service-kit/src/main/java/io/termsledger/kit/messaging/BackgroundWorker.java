package io.termsledger.kit.messaging;

import io.termsledger.kit.problem.DatabaseOutage;
import io.termsledger.kit.problem.OutageLog;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A daemon thread that runs one step over and over: again at once while the step found
 * work, after an idle wait when it did not (cut short by {@link #wakeUp()}), and with a
 * growing back-off after a failure. The outbox relay, the notice scheduler and consent-service's
 * projection sweep run on it.
 * Every failure is logged, except that an outage of the database ({@link DatabaseOutage#isCause})
 * gets one warning when it starts and one line when the step works again.
 */
public final class BackgroundWorker {

    /** One pass of the work; true when it did something and should run again at once. */
    @FunctionalInterface
    public interface Step {
        boolean run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(BackgroundWorker.class);

    private final String name;
    private final Step step;
    private final LongSupplier idleMs;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;

    public BackgroundWorker(String name, Step step, LongSupplier idleMs, long firstBackoffMs, long maxBackoffMs) {
        this.name = name;
        this.step = step;
        this.idleMs = idleMs;
        this.firstBackoffMs = firstBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits (up to 5 s) for the step in progress to finish. */
    public void stop() {
        running = false;
        wakeUp();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** False once {@link #stop()} was called: a long step should end early. */
    public boolean running() {
        return running;
    }

    /** Runs the next pass now rather than after the idle wait. */
    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        long backoff = 0;
        OutageLog outage = new OutageLog(LOG, name, "retrying, up to every " + maxBackoffMs + " ms,");
        while (running) {
            try {
                boolean busy = step.run();
                backoff = 0;
                outage.back();
                if (!busy) {
                    idle(idleMs.getAsLong());
                }
            } catch (Exception e) {
                backoff = Math.min(backoff == 0 ? firstBackoffMs : backoff * 2, maxBackoffMs);
                if (!outage.away(e)) {
                    LOG.warnf("%s failed, retrying in %d ms: %s", name, backoff, e.toString());
                }
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
