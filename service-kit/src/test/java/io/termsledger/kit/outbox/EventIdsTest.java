package io.termsledger.kit.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void versionSevenWithTheMillisecondsUpFrontAndTheRfcVariant() {
        long ms = 0x0191_2345_6789L;
        UUID id = EventIds.at(ms);
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(ms, id.getMostSignificantBits() >>> 16);
        assertTrue(id.toString().startsWith("01912345-6789-7"), id.toString());
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsTextAndAsUuids() {
        UUID earlier = EventIds.at(1_764_000_000_000L);
        UUID later = EventIds.at(1_764_000_000_001L);
        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
        // PostgreSQL compares uuid values as unsigned bytes, like the text form
        assertTrue(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()) < 0);
    }

    @Test
    void idsOfTheSameMillisecondDifferInTheirRandomBits() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.at(1_764_000_000_000L));
        }
        assertEquals(100_000, ids.size());
        assertNotEquals(EventIds.next(), EventIds.next());
    }
}
