package io.termsledger.notice.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Lead-time arithmetic: natural (calendar) days in the agreement's time zone, so that
 * "30 days" across a daylight-saving change still lands on the same wall-clock time.
 */
public final class LeadTime {

    private LeadTime() {
    }

    /** The earliest instant a notice given at {@code noticeAt} may take effect with {@code days} of lead. */
    public static Instant earliestEffectiveAt(Instant noticeAt, int days, ZoneId zone) {
        return noticeAt.atZone(zone).plusDays(days).toInstant();
    }

    /** Whole natural days between notice and effect (negative when the effect precedes the notice). */
    public static int actualDays(Instant noticeAt, Instant effectiveAt, ZoneId zone) {
        return Math.toIntExact(ChronoUnit.DAYS.between(noticeAt.atZone(zone), effectiveAt.atZone(zone)));
    }

    /** Whether the lead from {@code noticeAt} to {@code effectiveAt} is at least {@code requiredDays}. */
    public static boolean met(Instant noticeAt, Instant effectiveAt, int requiredDays, ZoneId zone) {
        return !effectiveAt.isBefore(earliestEffectiveAt(noticeAt, requiredDays, zone));
    }
}
