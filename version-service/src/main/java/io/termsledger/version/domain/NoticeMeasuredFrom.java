package io.termsledger.version.domain;

/** Where the lead time of a revision is counted from. */
public enum NoticeMeasuredFrom {
    /** From the public announcement (all seed agreements). */
    ANNOUNCEMENT,
    /** From the moment each user was individually notified. */
    INDIVIDUAL_DELIVERY
}
