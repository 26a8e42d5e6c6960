package io.termsledger.version.domain;

/** The ways a person can accept a version. */
public enum AcceptanceMethod {
    CLICK,
    SEAL,
    USE
}
