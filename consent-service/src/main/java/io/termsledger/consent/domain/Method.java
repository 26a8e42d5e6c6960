package io.termsledger.consent.domain;

/** How a user accepted a version (DOMAIN.md §4). */
public enum Method {
    CLICK, SEAL, USE
}
