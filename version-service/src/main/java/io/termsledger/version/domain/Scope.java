package io.termsledger.version.domain;

/** GENERAL terms, or PRODUCT terms that sit under a general agreement and prevail over it. */
public enum Scope {
    GENERAL,
    PRODUCT
}
