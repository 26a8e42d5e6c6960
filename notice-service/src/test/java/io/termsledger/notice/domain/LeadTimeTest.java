package io.termsledger.notice.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LeadTimeTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void sevenNaturalDaysInShanghai() {
        Instant notice = Instant.parse("2026-11-25T08:00:00Z");
        assertEquals(Instant.parse("2026-12-02T08:00:00Z"), LeadTime.earliestEffectiveAt(notice, 7, SHANGHAI));
        assertEquals(7, LeadTime.actualDays(notice, Instant.parse("2026-12-02T08:00:00Z"), SHANGHAI));
        assertEquals(6, LeadTime.actualDays(notice, Instant.parse("2026-12-02T07:59:59Z"), SHANGHAI));
        assertTrue(LeadTime.met(notice, Instant.parse("2026-12-02T08:00:00Z"), 7, SHANGHAI));
        assertFalse(LeadTime.met(notice, Instant.parse("2026-12-02T07:59:59Z"), 7, SHANGHAI));
    }

    @Test
    void daysAreCalendarDaysAcrossDaylightSaving() {
        // Berlin leaves summer time on 2026-10-25: 30 natural days are 30*24h + 1h
        Instant notice = Instant.parse("2026-10-10T10:00:00Z");
        Instant earliest = LeadTime.earliestEffectiveAt(notice, 30, BERLIN);
        assertEquals(Instant.parse("2026-11-09T11:00:00Z"), earliest);
        assertEquals(29, LeadTime.actualDays(notice, Instant.parse("2026-11-09T10:30:00Z"), BERLIN));
        assertFalse(LeadTime.met(notice, Instant.parse("2026-11-09T10:30:00Z"), 30, BERLIN));
        assertEquals(30, LeadTime.actualDays(notice, earliest, BERLIN));
    }

    @Test
    void zeroDaysAndEffectBeforeNotice() {
        Instant notice = Instant.parse("2026-11-25T08:00:00Z");
        assertTrue(LeadTime.met(notice, notice, 0, SHANGHAI));
        assertEquals(-1, LeadTime.actualDays(notice, Instant.parse("2026-11-24T08:00:00Z"), SHANGHAI));
    }

    /**
     * The days reported and the verdict agree where a local time does not exist or exists twice: counting the
     * local dates' difference gave 7 days and FAIL, or 6 days and PASS, for the same notice.
     */
    @Test
    void theDaysCountedAgreeWithTheVerdictAroundADaylightSavingChange() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 02:30 on 8 March 2026 does not exist: seven days' lead from 02:30 EST on 1 March ends at 03:30 EDT
        Instant spring = Instant.parse("2026-03-01T07:30:00Z");
        Instant early = Instant.parse("2026-03-08T07:10:00Z");
        assertFalse(LeadTime.met(spring, early, 7, newYork));
        assertEquals(6, LeadTime.actualDays(spring, early, newYork));
        assertEquals(7, LeadTime.actualDays(spring, LeadTime.earliestEffectiveAt(spring, 7, newYork), newYork));
        // 01:30 on 1 November 2026 exists twice: seven days from 01:30 EDT end at the first, 05:30Z
        Instant autumn = Instant.parse("2026-10-25T05:30:00Z");
        Instant after = Instant.parse("2026-11-01T06:15:00Z");
        assertTrue(LeadTime.met(autumn, after, 7, newYork));
        assertEquals(7, LeadTime.actualDays(autumn, after, newYork));
        assertEquals(6, LeadTime.actualDays(autumn, Instant.parse("2026-11-01T05:29:00Z"), newYork));
        // Berlin: 02:30 on 29 March 2026 does not exist either; seven days from 02:30 CET on the 22nd end at 01:30Z
        Instant berlin = Instant.parse("2026-03-22T01:30:00Z");
        assertFalse(LeadTime.met(berlin, Instant.parse("2026-03-29T01:10:00Z"), 7, BERLIN));
        assertEquals(6, LeadTime.actualDays(berlin, Instant.parse("2026-03-29T01:10:00Z"), BERLIN));
    }
}
