package io.termsledger.version.domain;

/** How a published revision comes to bind a user already bound to an earlier version (DOMAIN.md §2). */
public enum BindingRule {
    /** At the effective date, unless the user objected before it (000 十一). */
    ON_EFFECTIVE_DATE,
    /** At the user's first use at or after the effective date (002 3.2.7, 003 3.1.1, 001 3.1.1, 004 1.2). */
    ON_CONTINUED_USE
}
