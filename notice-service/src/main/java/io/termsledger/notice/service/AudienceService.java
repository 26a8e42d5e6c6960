package io.termsledger.notice.service;

import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.domain.AudienceChanges;
import io.termsledger.notice.domain.AudienceChanges.Change;
import io.termsledger.notice.domain.AudienceChanges.Pair;
import io.termsledger.notice.messaging.InboundEvents;
import io.termsledger.notice.repository.AgreementRepository;
import io.termsledger.notice.repository.AudienceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the audience from consents.events: the version each user is bound to, per
 * agreement. A user who becomes bound while a notice is running joins its audience and
 * gets its deliveries at once ("they get the notice when they join"). A poll of events is
 * applied with a fixed number of statements, plus one per notice that owes its users deliveries
 * ({@link AudienceChanges} says what the events do).
 */
@ApplicationScoped
@Transactional
public class AudienceService {

    @Inject
    AudienceRepository audience;

    @Inject
    AgreementRepository agreements;

    @Inject
    FanoutService fanout;

    @Inject
    AppClock clock;

    /** consent.bound.v1: the user is bound to this version from that instant on. */
    public static Change change(InboundEvents.ConsentBound e) {
        return new AudienceChanges.Bound(pair(e.agreementKey(), e.userId()),
                NoticeService.required(e.version(), "version"), e.since());
    }

    /**
     * consent.accepted.v1: a user not yet known for the agreement joins its audience with the
     * accepted version (a first click or seal binds it); for known users the bound event decides.
     */
    public static Change change(InboundEvents.ConsentAccepted e) {
        return new AudienceChanges.Accepted(pair(e.agreementKey(), e.userId()),
                NoticeService.required(e.version(), "version"), e.occurredAt());
    }

    /** consent.product-used.v1: a user of the product these terms cover, bound to them or not, is of their audience. */
    public static Change change(InboundEvents.ProductUsed e) {
        return new AudienceChanges.Used(pair(e.agreementKey(), e.userId()));
    }

    /** Applies the changes in order: the agreements' shared locks, the members, the joins' deliveries. */
    public void applyAll(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Set<Pair> pairs = new LinkedHashSet<>();
        changes.forEach(c -> pairs.add(c.pair()));
        TreeSet<String> keys = new TreeSet<>();
        pairs.forEach(p -> keys.add(p.agreementKey()));
        agreements.lockShared(keys);
        AudienceChanges.Result r = AudienceChanges.apply(audience.members(pairs), changes);
        audience.write(r.written(), clock.now());
        fanout.joinRunning(r.joins());
        fanout.catchUpMoves(r.moves());
    }

    private static Pair pair(String agreementKey, String userId) {
        String key = NoticeService.required(agreementKey, "agreementKey");
        if (userId == null || userId.isBlank()) {
            throw new MalformedEventException("event data has no 'userId'");
        }
        return new Pair(key, userId);
    }
}
