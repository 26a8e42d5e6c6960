package io.termsledger.notice.service;

import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.messaging.InboundEvents;
import io.termsledger.notice.repository.AgreementRepository;
import io.termsledger.notice.repository.AudienceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Keeps the audience from consents.events: the version each user is bound to, per
 * agreement. A user who becomes bound while a notice is running joins its audience and
 * gets its deliveries at once ("they get the notice when they join").
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

    /** consent.bound.v1: the user is bound to this version from now on. */
    public void onBound(InboundEvents.ConsentBound e) {
        String key = NoticeService.required(e.agreementKey(), "agreementKey");
        String user = userId(e.userId());
        int version = NoticeService.required(e.version(), "version");
        Instant now = clock.now();
        agreements.lockShared(key);
        int bound = audience.bind(key, user, version, e.since(), now);
        fanout.joinRunning(key, user, bound);
    }

    /**
     * consent.accepted.v1: a user not yet known for the agreement joins its audience with the
     * accepted version (a first click or seal binds it); for known users the bound event decides.
     */
    public void onAccepted(InboundEvents.ConsentAccepted e) {
        String key = NoticeService.required(e.agreementKey(), "agreementKey");
        String user = userId(e.userId());
        int version = NoticeService.required(e.version(), "version");
        agreements.lockShared(key);
        if (audience.joinIfAbsent(key, user, version, e.occurredAt(), clock.now())) {
            fanout.joinRunning(key, user, version);
        }
    }

    private static String userId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new MalformedEventException("event data has no 'userId'");
        }
        return userId;
    }
}
