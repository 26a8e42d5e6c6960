package io.termsledger.consent.domain;

import java.time.Instant;
import java.util.List;

/**
 * The engine's answer for (user, agreement, at): the governing version and why, each
 * revision's state for this user, and notes for auditors.
 *
 * @param governingVersion null when the user is bound to no version at {@code at}
 * @param basis            how and since when the governing version binds; null with no governing version
 * @param pending          every published revision above the version the user first bound to, in version order
 *                         (including those already effective for the user, withdrawn, blocked or objected)
 */
public record Status(Integer governingVersion, Basis basis, List<Pending> pending, List<Note> notes) {

    /**
     * @param method  CLICK, SEAL or USE for an acceptance; EFFECTIVE_DATE when the date bound the user
     * @param eventId the ledger fact behind it, when there is one
     * @param since   the instant the governing version began to bind this user
     */
    public record Basis(String method, String eventId, Instant since) {
    }

    /**
     * @param effectiveAt      the revision's effective date for this user (E_u)
     * @param effectiveForUser the instant the revision began to bind this user, or null
     */
    public record Pending(int version, Instant noticeAt, Instant effectiveAt, PendingState state, Instant effectiveForUser) {
    }

    /** A rule application an auditor should see, e.g. {@code OBJECTION_LAPSED_BY_USE}. */
    public record Note(String code, String message, String eventId, Instant at) {
    }
}
