package io.termsledger.version.domain;

/** Lifecycle of a version; always derived from the version's instants and the instant asked about. */
public enum VersionStatus {
    DRAFT,
    SCHEDULED,
    EFFECTIVE,
    SUPERSEDED,
    WITHDRAWN
}
