package io.termsledger.notice.domain;

/** One numbered clause of a published version, as carried in agreement.version.published.v1. */
public record Clause(String id, String heading, String text, boolean highlighted) {
}
