package io.termsledger.notice.service;

import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.config.NoticeConfig;
import io.termsledger.notice.domain.AgreementPolicy;
import io.termsledger.notice.domain.AudienceChanges;
import io.termsledger.notice.domain.Channel;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.repository.DeliveryRepository;
import io.termsledger.notice.repository.DeliveryRepository.Chunk;
import io.termsledger.notice.repository.DeliveryRepository.NoticeFields;
import io.termsledger.notice.repository.NoticeRecord;
import io.termsledger.notice.repository.NoticeRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Creates deliveries: a notice's audience is fanned out in chunks of
 * {@code ledger.notices.fanout-chunk-users} users, one transaction per chunk, resuming
 * from a cursor stored on the notice (so a restart continues where it stopped and two
 * instances never work on the same notice at once); a user who joins the audience while
 * a notice is running gets its deliveries in the transaction that records the join.
 * The unique (notice, user, channel) constraint makes both paths idempotent.
 */
@ApplicationScoped
public class FanoutService {

    private static final Logger LOG = Logger.getLogger(FanoutService.class);

    @Inject
    NoticeRepository notices;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    NoticeConfig config;

    @Inject
    AppClock clock;

    @Inject
    AfterCommit afterCommit;

    @Inject
    MeterRegistry metrics;

    /** Fans out one chunk of the oldest unfinished notice; false when there was nothing to do. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean step() {
        Optional<NoticeRecord> pending = notices.lockPendingFanout();
        if (pending.isEmpty()) {
            return false;
        }
        NoticeRecord n = pending.get();
        String cursor = n.fanoutCursor() == null ? "" : n.fanoutCursor();
        int limit = config.fanoutChunkUsers();
        Instant now = clock.now();
        Chunk c = switch (n.type()) {
            case REVISION -> deliveries.fanOut(fields(n), DeliveryRepository.REVISION_AUDIENCE,
                    new Object[] {n.agreementKey(), n.toVersion(), cursor, limit}, channels(), now);
            case WITHDRAWAL -> deliveries.fanOut(fields(n), DeliveryRepository.RECIPIENTS_OF,
                    new Object[] {n.audienceNoticeId(), cursor, limit, n.agreementKey(), n.toVersion(), cursor, limit, limit}, channels(), now);
            default -> deliveries.fanOut(fields(n), DeliveryRepository.AGREEMENT_AUDIENCE,
                    new Object[] {n.agreementKey(), cursor, limit}, channels(), now);
        };
        boolean done = c.users() < limit;
        notices.advanceFanout(n.id(), c.lastUser(), done ? now : null);
        metrics.counter("notices.deliveries.created", "path", "fanout").increment(c.deliveries());
        if (c.deliveries() > 0) {
            afterCommit.wakeRelay();
        }
        if (done) {
            LOG.infof("%s notice %s of %s fanned out %s after it was issued", n.type(), n.id(), n.agreementKey(),
                    Duration.between(n.createdAt(), now));
        }
        return true;
    }

    /**
     * Gives each user who (re)joined the audience the deliveries of every notice of the
     * agreement still running for their version: one query for the notices, one fan-out
     * statement per notice that owes any of them. Runs in the caller's transaction; returns
     * how many deliveries were new.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long joinRunning(List<AudienceChanges.Join> joins) {
        if (joins.isEmpty()) {
            return 0;
        }
        Instant now = clock.now();
        Map<NoticeRecord, SortedSet<String>> owed = new LinkedHashMap<>();
        Map<String, List<NoticeRecord>> running = byAgreement(
                notices.runningFor(joins.stream().map(j -> j.pair().agreementKey()).distinct().toList(), now));
        for (AudienceChanges.Join j : joins) {
            for (NoticeRecord n : running.getOrDefault(j.pair().agreementKey(), List.of())) {
                if (NoticeRepository.reaches(n, j.version(), now)) {
                    owed.computeIfAbsent(n, k -> new TreeSet<>()).add(j.pair().userId());
                }
            }
        }
        return deliver(owed, "join", now);
    }

    /**
     * A member who moved past a revision whose fan-out is still running was in its audience (bound below it)
     * when it was issued; the chunk that would have reached them reads their version when it runs, and skips
     * them once they are bound to it, by its date or by use (a 0-day revision is in effect at once). They get
     * its deliveries now; where a chunk already gave them, the unique (notice, user, channel) drops the copies.
     * One query for the revisions, one fan-out statement per revision that owes any of them. Runs in the
     * caller's transaction; returns how many deliveries were new.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long catchUpMoves(List<AudienceChanges.Move> moves) {
        if (moves.isEmpty()) {
            return 0;
        }
        Map<NoticeRecord, SortedSet<String>> owed = new LinkedHashMap<>();
        Map<String, List<NoticeRecord>> fanningOut = byAgreement(
                notices.revisionsFanningOut(moves.stream().map(m -> m.pair().agreementKey()).distinct().toList()));
        for (AudienceChanges.Move m : moves) {
            for (NoticeRecord n : fanningOut.getOrDefault(m.pair().agreementKey(), List.of())) {
                if (n.toVersion() > m.from() && n.toVersion() <= m.to()) {
                    owed.computeIfAbsent(n, k -> new TreeSet<>()).add(m.pair().userId());
                }
            }
        }
        return deliver(owed, "move", clock.now());
    }

    /** One fan-out statement per notice for the users it owes, sorted: it inserts in the order the chunks do. */
    private long deliver(Map<NoticeRecord, SortedSet<String>> owed, String path, Instant now) {
        long added = 0;
        for (Map.Entry<NoticeRecord, SortedSet<String>> e : owed.entrySet()) {
            added += deliveries.fanOut(fields(e.getKey()), DeliveryRepository.USERS,
                    new Object[] {e.getValue().toArray(String[]::new)}, channels(), now).deliveries();
        }
        if (added > 0) {
            metrics.counter("notices.deliveries.created", "path", path).increment(added);
            afterCommit.wakeRelay();
        }
        return added;
    }

    private static Map<String, List<NoticeRecord>> byAgreement(List<NoticeRecord> notices) {
        Map<String, List<NoticeRecord>> out = new HashMap<>();
        for (NoticeRecord n : notices) {
            out.computeIfAbsent(n.agreementKey(), k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    private String[] channels() {
        return config.channels().stream().map(Channel::name).distinct().toArray(String[]::new);
    }

    /** Only a revision's date can run from each user's delivery; every other notice's runs from its announcement. */
    private static NoticeFields fields(NoticeRecord n) {
        String measuredFrom = n.type() == NoticeType.REVISION && AgreementPolicy.INDIVIDUAL_DELIVERY.equals(n.noticeMeasuredFrom())
                ? AgreementPolicy.INDIVIDUAL_DELIVERY : "ANNOUNCEMENT";
        return new NoticeFields(n.id(), n.type().name(), n.agreementKey(), n.fromVersion(), n.toVersion(),
                n.noticeAt(), n.effectiveAt(), measuredFrom, n.requiredLeadDays());
    }
}
