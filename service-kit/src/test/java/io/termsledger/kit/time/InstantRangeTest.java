package io.termsledger.kit.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsledger.kit.problem.ProblemMappers;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstantRangeTest {

    record Body(Instant at) {
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper().registerModule(new JavaTimeModule());
        new InstantRangeCustomizer().customize(m);
        return m;
    }

    @Test
    void theRangeIsYears0001To9999Inclusive() {
        assertTrue(InstantRange.contains(Instant.parse("0001-01-01T00:00:00Z")));
        assertTrue(InstantRange.contains(Instant.parse("9999-12-31T23:59:59.999999999Z")));
        assertFalse(InstantRange.contains(Instant.parse("0000-12-31T23:59:59.999999999Z")));
        assertFalse(InstantRange.contains(Instant.parse("+10000-01-01T00:00:00Z")));
        assertFalse(InstantRange.contains(Instant.MIN));
        assertFalse(InstantRange.contains(Instant.MAX));
    }

    @Test
    void jsonInstantsWithinTheRangeReadAsBefore() throws Exception {
        ObjectMapper m = mapper();
        assertEquals(Instant.parse("2026-11-25T08:00:00Z"), m.readValue("{\"at\": \"2026-11-25T08:00:00Z\"}", Body.class).at());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), m.readValue("{\"at\": \"9999-12-31T23:59:59Z\"}", Body.class).at());
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), m.readValue("{\"at\": \"0001-01-01T00:00:00Z\"}", Body.class).at());
        assertEquals(Instant.ofEpochSecond(1_764_000_000L), m.readValue("{\"at\": 1764000000}", Body.class).at());
        assertNull(m.readValue("{\"at\": null}", Body.class).at());
    }

    @Test
    void jsonInstantsOutsideTheRangeAreRefusedNamingTheFieldAndTheRange() {
        ObjectMapper m = mapper();
        for (String value : new String[] {"\"+10000-01-01T00:00:00Z\"", "\"+294277-01-01T00:00:00Z\"",
            "\"-5000-01-01T00:00:00Z\"", "\"0000-12-31T00:00:00Z\"", "1e15"}) {
            InvalidFormatException e = assertThrows(InvalidFormatException.class,
                    () -> m.readValue("{\"at\": " + value + "}", Body.class), value);
            String detail = ProblemMappers.describe(e);
            assertTrue(detail.startsWith("Field 'at' has an invalid value"), detail);
            assertTrue(detail.contains("from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"), detail);
        }
    }

    @Test
    void withoutTheCustomizerJacksonTakesYearsPostgreSqlCannotStore() throws Exception {
        // what the customizer is for: the plain java.time module reads these
        ObjectMapper plain = new ObjectMapper().registerModule(new JavaTimeModule());
        assertEquals(Instant.parse("-5000-01-01T00:00:00Z"), plain.readValue("{\"at\": \"-5000-01-01T00:00:00Z\"}", Body.class).at());
    }
}
