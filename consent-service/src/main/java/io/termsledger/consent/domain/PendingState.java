package io.termsledger.consent.domain;

/** The state of a revision for one user (DOMAIN.md §5). */
public enum PendingState {
    SCHEDULED, AWAITING_USE, EFFECTIVE, ACCEPTED_EARLY, OBJECTED, BLOCKED_BY_SEAL, WITHDRAWN
}
