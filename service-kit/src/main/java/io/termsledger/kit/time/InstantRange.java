package io.termsledger.kit.time;

import java.time.Instant;

/**
 * The instants the API takes: RFC 3339's years, 0001 to 9999. {@link Instant} itself reaches a
 * billion years either way, PostgreSQL's {@code timestamptz} only 4713 BC to 294276 AD, and the
 * driver stores an earlier instant as {@code -infinity}: an instant outside this range is refused
 * where it enters (JSON bodies through {@code StrictJson}, query parameters through
 * {@code QueryParams.instant}, events through their readers), never stored as something else or
 * answered with a 500. Years past 9999 would also come back in a form (a leading {@code +}) that
 * RFC 3339 readers such as Python's {@code datetime} refuse.
 */
public final class InstantRange {

    /** The earliest instant taken. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant taken. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** What an instant must be, for the messages that refuse one. */
    public static final String EXPECTED =
            "an ISO-8601 instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, such as 2026-11-25T08:00:00Z";

    private InstantRange() {
    }

    /** Whether {@code t} is within the range. */
    public static boolean contains(Instant t) {
        return !t.isBefore(MIN) && !t.isAfter(MAX);
    }
}
