package io.termsledger.version.messaging;

/** One clause in {@code agreement.version.published.v1}; {@code heading} may be null. */
public record ClauseData(String id, String heading, String text, boolean highlighted) {
}
