package io.termsledger.notice.repository;

import java.time.Instant;

/** A row of {@code delivery_report}: one gateway report, kept forever. */
public record ReportRecord(long id, String status, Instant at, String detail, String source, Instant receivedAt) {
}
