package io.termsledger.notice.domain;

/**
 * Kinds of notice. REVISION and WITHDRAWAL follow from version events; the others are
 * issued by an admin and carry a legal lead time (DOMAIN.md §6).
 */
public enum NoticeType {
    REVISION,
    WITHDRAWAL,
    /** Service discontinued (002 7.4): 30 days. */
    DISCONTINUATION,
    /** Rights and obligations transferred to an affiliate (002 12.2, 003 11.2): 30 days. */
    AFFILIATE_TRANSFER,
    /** Data-centre migration (000 5.5: 3 natural days; 003 3.2.6: 7). */
    DATA_CENTRE_MIGRATION,
    /** Data deleted after termination (003 4.2: 7 natural days; 001 4.3: 30). */
    DATA_DELETION,
    /** Provider terminates the agreement (001 7.3.4, 003 7.2.4): 30 days. */
    PROVIDER_TERMINATION,
    /** Termination following a policy change (004 8.3.5): 15 days. */
    POLICY_CHANGE_TERMINATION;

    /** Whether an admin may issue this kind through {@code POST /notices}. */
    public boolean adminIssued() {
        return this != REVISION && this != WITHDRAWAL;
    }
}
