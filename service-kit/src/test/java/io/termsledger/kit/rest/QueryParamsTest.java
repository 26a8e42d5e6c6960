package io.termsledger.kit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.termsledger.kit.problem.ApiProblem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void instants() {
        assertNull(QueryParams.instant("at", null));
        assertNull(QueryParams.instant("at", " "));
        assertEquals(Instant.parse("2026-11-25T08:00:00Z"), QueryParams.instant("at", " 2026-11-25T08:00:00Z "));
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), QueryParams.instant("at", "9999-12-31T23:59:59Z"));
        for (String bad : new String[] {"yesterday", "+10000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z", "2026-13-01T00:00:00Z"}) {
            ApiProblem p = assertThrows(ApiProblem.class, () -> QueryParams.instant("at", bad), bad);
            assertEquals(400, p.status());
            assertTrue(p.getMessage().contains("'at'") && p.getMessage().contains("'" + bad + "'")
                    && p.getMessage().contains("0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"), p.getMessage());
        }
    }

    @Test
    void integers() {
        assertEquals(50, QueryParams.integer("size", null, 50, 1, 200));
        assertEquals(50, QueryParams.integer("size", "", 50, 1, 200));
        assertEquals(1, QueryParams.integer("size", "1", 50, 1, 200));
        assertEquals(200, QueryParams.integer("size", " 200 ", 50, 1, 200));
        assertEquals(Integer.MAX_VALUE, QueryParams.integer("page", "2147483647", 0, 0, Integer.MAX_VALUE));
        for (String bad : new String[] {"0", "201", "-1", "seven", "1.5", "99999999999"}) {
            ApiProblem p = assertThrows(ApiProblem.class, () -> QueryParams.integer("size", bad, 50, 1, 200), bad);
            assertEquals(400, p.status());
            assertEquals("Query parameter 'size' must be a whole number from 1 to 200, not '" + bad + "'", p.getMessage());
        }
    }

    enum Colour { RED, GREEN }

    @Test
    void constants() {
        assertEquals(null, QueryParams.oneOf("colour", null, Colour.class));
        assertEquals(null, QueryParams.oneOf("colour", " ", Colour.class));
        assertEquals(Colour.GREEN, QueryParams.oneOf("colour", " GREEN ", Colour.class));
        for (String bad : new String[] {"green", "BLUE", "0"}) {
            ApiProblem p = assertThrows(ApiProblem.class, () -> QueryParams.oneOf("colour", bad, Colour.class), bad);
            assertEquals(400, p.status());
            assertEquals("Query parameter 'colour' must be one of [RED, GREEN], not '" + bad + "'", p.getMessage());
        }
    }
}
