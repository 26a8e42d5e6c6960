package io.termsledger.version.domain;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The earliest instant a version may take effect (DOMAIN.md §3).
 * <ul>
 *   <li>The first version of an agreement binds nobody yet: it may take effect at its notice.</li>
 *   <li>A revision needs {@code noticeDays} calendar days in the agreement's zone after its notice
 *       (a day is 23 or 25 hours across a daylight-saving change).</li>
 *   <li>A revision never takes effect before the version it follows (design choice: otherwise the
 *       older one would be superseded before it ever applied).</li>
 * </ul>
 */
public final class LeadTime {

    private LeadTime() {
    }

    public enum Reason {
        FIRST_VERSION,
        NOTICE_PERIOD,
        PREVIOUS_VERSION
    }

    public record Earliest(Instant instant, Reason reason) {
    }

    /**
     * @param previous the highest live version below the one being published, or null when there is none
     */
    public static Earliest earliestEffectiveAt(Instant noticeAt, int noticeDays, ZoneId zone, PublishedVersion previous) {
        if (previous == null) {
            return new Earliest(noticeAt, Reason.FIRST_VERSION);
        }
        Instant lead = noticeAt.atZone(zone).plusDays(noticeDays).toInstant();
        if (previous.effectiveAt().isAfter(lead)) {
            return new Earliest(previous.effectiveAt(), Reason.PREVIOUS_VERSION);
        }
        return new Earliest(lead, Reason.NOTICE_PERIOD);
    }
}
