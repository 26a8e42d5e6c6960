package io.termsledger.consent.domain;

import java.time.Instant;
import java.util.List;

/**
 * The engine's answer for (user, agreement, at): the governing version and why, each
 * revision's state for this user, and notes for auditors.
 *
 * @param governingVersion null when the user is bound to no version at {@code at} (then {@code basis} is null,
 *                         {@code pending} is empty and {@code notes} ends with {@link Note#NOT_BOUND})
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

        /** {@code method} when the revision bound the user at its effective date (rule 2). */
        public static final String EFFECTIVE_DATE = "EFFECTIVE_DATE";
    }

    /**
     * @param effectiveAt      the revision's effective date for this user (E_u)
     * @param effectiveForUser the instant the revision began to bind this user, or null
     */
    public record Pending(int version, Instant noticeAt, Instant effectiveAt, PendingState state, Instant effectiveForUser) {
    }

    /**
     * A rule application an auditor should see, e.g. {@code OBJECTION_LAPSED_BY_USE}. {@code eventId} names the
     * ledger fact the note is about (null for usage signals and derived facts), {@code at} the instant the rule
     * applied. The codes the engine emits are the constants below.
     */
    public record Note(String code, String message, String eventId, Instant at) {

        /** Rule 4: a use at or after the revision's date bound the user despite their objection (flag for auditors). */
        public static final String OBJECTION_LAPSED_BY_USE = "OBJECTION_LAPSED_BY_USE";
        /** An objection was overtaken by an explicit acceptance of that or a later version, or by a later revision's date. */
        public static final String OBJECTION_SUPERSEDED = "OBJECTION_SUPERSEDED";
        /** An objection to a version that already binds the user: recorded, no effect. */
        public static final String OBJECTION_AFTER_BINDING = "OBJECTION_AFTER_BINDING";
        /** Rule 5: a click on a later version while a seal governs: recorded beside the sealed version, no effect. */
        public static final String CLICK_BESIDE_SEAL = "CLICK_BESIDE_SEAL";
        /** Rule 5: a USE acceptance of a later version while a seal governs: recorded, no effect. */
        public static final String USE_BESIDE_SEAL = "USE_BESIDE_SEAL";
        /** Rule 9: acceptance of a version older than the governing one: recorded, the user is not moved back. */
        public static final String OLDER_VERSION_ACCEPTED = "OLDER_VERSION_ACCEPTED";
        /** Rule 9 exception: a SEAL of an older version under sealPrevails governs. */
        public static final String SEAL_GOVERNS_OLDER_VERSION = "SEAL_GOVERNS_OLDER_VERSION";
        /** A SEAL of the version that already governs: the binding becomes a seal (rule 5 applies from then on). */
        public static final String SEAL_CONFIRMS_GOVERNING_VERSION = "SEAL_CONFIRMS_GOVERNING_VERSION";
        /** Rule 6: the fact's method is not in the policy's acceptanceMethods: it binds nothing. */
        public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
        /** Rule 7: an explicit acceptance of a revision later withdrawn: reverted at the withdrawal. */
        public static final String ACCEPTANCE_REVERTED_BY_WITHDRAWAL = "ACCEPTANCE_REVERTED_BY_WITHDRAWAL";
        /** Rule 7: a fact names a withdrawn version: it binds nothing. */
        public static final String WITHDRAWN_VERSION = "WITHDRAWN_VERSION";
        /** A fact names a version that was not published at the fact's instant: ignored. */
        public static final String UNKNOWN_VERSION = "UNKNOWN_VERSION";
        /** A USE acceptance names a version other than the one the use bound (the rules decide, not the name). */
        public static final String USE_NAMES_OTHER_VERSION = "USE_NAMES_OTHER_VERSION";
        /** A use before any version was in effect: binds nothing. */
        public static final String USE_BEFORE_ANY_VERSION = "USE_BEFORE_ANY_VERSION";
        /** The user is bound to no version at the instant asked (pending is then empty); the note's {@code at} is null. */
        public static final String NOT_BOUND = "NOT_BOUND";
    }
}
