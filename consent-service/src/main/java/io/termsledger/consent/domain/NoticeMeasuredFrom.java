package io.termsledger.consent.domain;

/** Where a revision's lead time is measured from (DOMAIN.md §2). */
public enum NoticeMeasuredFrom {
    ANNOUNCEMENT, INDIVIDUAL_DELIVERY
}
