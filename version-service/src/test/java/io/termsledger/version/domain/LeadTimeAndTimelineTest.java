package io.termsledger.version.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadTimeAndTimelineTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void firstVersionTakesEffectAtItsNotice() {
        LeadTime.Earliest e = LeadTime.earliestEffectiveAt(T, 30, SHANGHAI, null);
        assertEquals(T, e.instant());
        assertEquals(LeadTime.Reason.FIRST_VERSION, e.reason());
    }

    @Test
    void revisionNeedsNoticeDaysInCalendarDays() {
        PublishedVersion v1 = new PublishedVersion(1, T.minusSeconds(86400 * 100), T.minusSeconds(86400 * 100), null);
        assertEquals(Instant.parse("2026-12-25T08:00:00Z"), LeadTime.earliestEffectiveAt(T, 30, SHANGHAI, v1).instant());
        assertEquals(T, LeadTime.earliestEffectiveAt(T, 0, SHANGHAI, v1).instant());
    }

    @Test
    void calendarDaysFollowTheZoneAcrossDaylightSaving() {
        PublishedVersion v1 = new PublishedVersion(1, Instant.EPOCH, Instant.EPOCH, null);
        Instant notice = Instant.parse("2026-03-20T12:00:00Z"); // 13:00 in Berlin, winter time
        // ten calendar days later it is 13:00 summer time in Berlin, 11:00Z: 239 hours, not 240
        assertEquals(Instant.parse("2026-03-30T11:00:00Z"),
                LeadTime.earliestEffectiveAt(notice, 10, ZoneId.of("Europe/Berlin"), v1).instant());
    }

    @Test
    void revisionNeverTakesEffectBeforeThePreviousOne() {
        Instant later = Instant.parse("2027-06-01T00:00:00Z");
        PublishedVersion v2 = new PublishedVersion(2, T.minusSeconds(3600), later, null);
        LeadTime.Earliest e = LeadTime.earliestEffectiveAt(T, 7, SHANGHAI, v2);
        assertEquals(later, e.instant());
        assertEquals(LeadTime.Reason.PREVIOUS_VERSION, e.reason());
    }

    @Test
    void statusesAreDerivedFromTheInstantAskedAbout() {
        Instant e1 = T;
        Instant e2 = T.plusSeconds(86400 * 30);
        PublishedVersion v1 = new PublishedVersion(1, e1, e1, null);
        PublishedVersion v2 = new PublishedVersion(2, T.plusSeconds(60), e2, null);
        PublishedVersion v3 = new PublishedVersion(3, T.plusSeconds(120), e2.plusSeconds(86400 * 30), T.plusSeconds(180));
        Timeline t = new Timeline(List.of(v3, v1, v2));
        assertEquals(VersionStatus.DRAFT, t.statusOf(null, T));
        assertEquals(VersionStatus.EFFECTIVE, t.statusOf(v1, T));
        assertEquals(VersionStatus.SCHEDULED, t.statusOf(v2, T.plusSeconds(61)));
        assertEquals(VersionStatus.EFFECTIVE, t.statusOf(v1, e2.minusMillis(1)));
        assertEquals(VersionStatus.SUPERSEDED, t.statusOf(v1, e2));
        assertEquals(VersionStatus.EFFECTIVE, t.statusOf(v2, e2));
        assertEquals(VersionStatus.WITHDRAWN, t.statusOf(v3, e2.plusSeconds(86400 * 60)));
        assertEquals(2, t.inEffectAt(e2.plusSeconds(86400 * 90)).orElseThrow().version(), "a withdrawn version never applies");
        assertTrue(t.inEffectAt(T.minusMillis(1)).isEmpty());
        assertEquals(1, t.inEffectAt(T).orElseThrow().version(), "effective at exactly effectiveAt");
        assertEquals(2, t.latestLive().orElseThrow().version());
        assertEquals(1, t.previousLive(2).orElseThrow().version());
    }
}
