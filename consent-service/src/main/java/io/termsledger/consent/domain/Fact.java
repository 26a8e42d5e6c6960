package io.termsledger.consent.domain;

import java.time.Instant;

/**
 * What the engine knows about one user and one agreement. Facts carry the instant the
 * person acted ({@code occurredAt}); the engine never looks at arrival order.
 */
public sealed interface Fact permits Fact.Acceptance, Fact.Objection, Fact.Usage, Fact.NoticeDelivered {

    Instant occurredAt();

    /** An explicit or implicit acceptance of a version (ledger fact). */
    record Acceptance(String eventId, Instant occurredAt, int version, Method method) implements Fact {
    }

    /** An objection to a revision (ledger fact). */
    record Objection(String eventId, Instant occurredAt, int version) implements Fact {
    }

    /**
     * The user used the service at {@code occurredAt}. The store may keep only the
     * signals that can matter: the engine's answer depends only on the first use ever and,
     * for each revision, the first use at or after its effective date for this user (E_u;
     * under INDIVIDUAL_DELIVERY that is max(E, first delivery + noticeDays), so intervals
     * between the agreement-wide effective dates are not enough there).
     */
    record Usage(Instant occurredAt) implements Fact {
    }

    /** A notice of {@code version} was delivered to the user (for INDIVIDUAL_DELIVERY agreements). */
    record NoticeDelivered(int version, Instant occurredAt) implements Fact {
    }
}
