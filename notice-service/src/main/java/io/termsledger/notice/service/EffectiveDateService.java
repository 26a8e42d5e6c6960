package io.termsledger.notice.service;

import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.messaging.OutboundEvents;
import io.termsledger.notice.repository.NoticeRecord;
import io.termsledger.notice.repository.NoticeRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Sends {@code notice.revision-effective.v1} once per revision when its effective date has
 * come. The database decides who sends it: the claim sets {@code fired_at} only where it is
 * still null (skipping rows another instance has locked), and the outbox row is written in
 * the same transaction, so the claim and the event commit together or not at all. A
 * revision whose date passed while every instance was down is claimed at the next run.
 */
@ApplicationScoped
public class EffectiveDateService {

    static final int BATCH = 100;

    @Inject
    NoticeRepository notices;

    @Inject
    Outbox outbox;

    @Inject
    AppClock clock;

    @Inject
    MeterRegistry metrics;

    /** Claims and fires the due revisions; returns the ids of the notices this call fired. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> fireDue() {
        List<NoticeRecord> claimed = notices.claimDue(clock.now(), BATCH);
        for (NoticeRecord n : claimed) {
            outbox.append(Topics.AGREEMENT_NOTICES, n.agreementKey(), OutboundEvents.REVISION_EFFECTIVE,
                    n.agreementKey() + "/versions/" + n.toVersion(),
                    new OutboundEvents.RevisionEffective(n.id(), n.agreementKey(), n.toVersion(), n.effectiveAt()));
        }
        if (!claimed.isEmpty()) {
            metrics.counter("notices.revision_effective.fired").increment(claimed.size());
        }
        return claimed.stream().map(NoticeRecord::id).toList();
    }
}
