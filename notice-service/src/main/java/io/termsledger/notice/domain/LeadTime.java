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

    /**
     * The natural days of lead from notice to effect: the largest n whose {@link #earliestEffectiveAt} is not after
     * {@code effectiveAt} (negative when the effect precedes the notice), so that {@link #met} holds exactly when
     * it is at least the required days. Counting the local dates' difference instead gives one day more or less
     * across a daylight-saving change: in New York a notice at 02:30 on 1 March 2026 and an effect at 03:10 on
     * 8 March count 7 days, yet 7 days' lead ends at 03:30 that day (02:30 does not exist).
     */
    public static int actualDays(Instant noticeAt, Instant effectiveAt, ZoneId zone) {
        int days = Math.toIntExact(ChronoUnit.DAYS.between(noticeAt.atZone(zone), effectiveAt.atZone(zone)));
        while (earliestEffectiveAt(noticeAt, days, zone).isAfter(effectiveAt)) {
            days--;
        }
        while (!earliestEffectiveAt(noticeAt, days + 1, zone).isAfter(effectiveAt)) {
            days++;
        }
        return days;
    }

    /** Whether the lead from {@code noticeAt} to {@code effectiveAt} is at least {@code requiredDays}. */
    public static boolean met(Instant noticeAt, Instant effectiveAt, int requiredDays, ZoneId zone) {
        return !effectiveAt.isBefore(earliestEffectiveAt(noticeAt, requiredDays, zone));
    }
}
