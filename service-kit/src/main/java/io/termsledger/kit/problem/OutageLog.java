package io.termsledger.kit.problem;

import org.jboss.logging.Logger;

/**
 * What a retrying loop (an event consumer, a background worker) says about a database outage: one
 * warning when it first cannot reach the database, one line when it works again, and nothing at
 * warning level in between, however many retries the outage takes. Used by one thread only.
 */
public final class OutageLog {

    private final Logger log;
    private final String who;
    private final String meanwhile;
    private int failed;

    /**
     * {@code who} names the loop in each line; {@code meanwhile} says what it does until the
     * database is back ("its events wait", "retrying every 5000 ms").
     */
    public OutageLog(Logger log, String who, String meanwhile) {
        this.log = log;
        this.who = who;
        this.meanwhile = meanwhile;
    }

    /**
     * An attempt failed: when {@code e} says the database could not be reached ({@link DatabaseOutage#isCause}),
     * logs that (a warning for the first such failure, debug after) and returns true; otherwise logs nothing
     * and returns false, leaving the failure to the caller.
     */
    public boolean away(Throwable e) {
        if (!DatabaseOutage.isCause(e)) {
            return false;
        }
        if (failed++ == 0) {
            log.warnf("%s cannot reach its database; %s until it is back: %s", who, meanwhile, Causes.rootCause(e));
        } else {
            log.debugf("%s still cannot reach its database: %s", who, e);
        }
        return true;
    }

    /** An attempt worked: says so if the database had been unreachable. */
    public void back() {
        if (failed > 0) {
            log.infof("%s reaches its database again (%d attempt(s) failed meanwhile)", who, failed);
            failed = 0;
        }
    }
}
