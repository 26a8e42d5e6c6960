package io.termsledger.notice.service;

import io.termsledger.kit.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes the outbox relay (for outbox rows written by set-based SQL rather than
 * {@code Outbox.append}) or the scheduler (for a new fan-out) once the current
 * transaction has committed.
 */
@ApplicationScoped
public class AfterCommit {

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @Inject
    Instance<NoticeScheduler> scheduler;

    public void wakeRelay() {
        once("notice.wake-relay", relay::wakeUp);
    }

    public void wakeScheduler() {
        once("notice.wake-scheduler", () -> scheduler.get().wakeUp());
    }

    private void once(String key, Runnable action) {
        if (transactions.getResource(key) != null) {
            return;
        }
        transactions.putResource(key, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
