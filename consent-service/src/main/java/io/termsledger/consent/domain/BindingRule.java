package io.termsledger.consent.domain;

/** How a revision binds users bound to an earlier version (DOMAIN.md §2). */
public enum BindingRule {
    ON_EFFECTIVE_DATE, ON_CONTINUED_USE
}
