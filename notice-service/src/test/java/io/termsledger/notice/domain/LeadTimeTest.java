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
}
