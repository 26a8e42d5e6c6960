package io.termsledger.kit.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsledger.kit.problem.ProblemMappers;
import io.termsledger.kit.time.InstantRange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    record Body(Instant at) {
    }

    record Person(String userId, java.util.List<String> tags) {
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper().registerModule(new JavaTimeModule());
        new StrictJson().customize(m);
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

    @Test
    void textWithPairedSurrogatesReadsAsBefore() throws Exception {
        Person p = mapper().readValue("{\"userId\": \"u-\\ud83d\\ude00-\u00e9\u4e2d\", \"tags\": [\"a\"]}", Person.class);
        assertEquals("u-\ud83d\ude00-\u00e9\u4e2d", p.userId());
        assertEquals(java.util.List.of("a"), p.tags());
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefusedNamingTheField() {
        ObjectMapper m = mapper();
        for (String body : new String[] {"{\"userId\": \"\\ud800x\"}", "{\"userId\": \"x\\udfff\"}",
            "{\"userId\": \"x\\ude00\\ud83d\"}", "{\"tags\": [\"ok\", \"\\ud83d\"]}"}) {
            com.fasterxml.jackson.databind.JsonMappingException e = assertThrows(
                    com.fasterxml.jackson.databind.JsonMappingException.class, () -> m.readValue(body, Person.class), body);
            String detail = ProblemMappers.describe(e);
            assertTrue(detail.startsWith("Field '" + (body.contains("tags") ? "tags[1]" : "userId") + "' could not be read"),
                    detail);
            assertTrue(detail.contains("unpaired surrogate"), detail);
        }
    }

    @Test
    void theFirstUnpairedSurrogateIsNamedWithItsPosition() {
        assertNull(UnicodeText.problem(null));
        assertNull(UnicodeText.problem(""));
        assertNull(UnicodeText.problem("plain \ud83d\ude00 text \u4e2d"));
        assertTrue(UnicodeText.problem("\ud800").contains("\\uD800 at character 1"), UnicodeText.problem("\ud800"));
        assertTrue(UnicodeText.problem("ab\udc00").contains("\\uDC00 at character 3"));
        assertTrue(UnicodeText.problem("a\ud83d\ud83d\ude00").contains("\\uD83D at character 2"));
        assertTrue(UnicodeText.problem("\ude00\ud83d").contains("\\uDE00 at character 1"));
    }

    enum Method { CLICK, SEAL, USE }

    record Fact(Method method, Integer version, int seq) {
    }

    @Test
    void aNumberIsNoEnumNameAndAnIntegerTakesNoFraction() throws Exception {
        // without the customizer: the second method, and version 1
        ObjectMapper plain = new ObjectMapper();
        assertEquals(Method.SEAL, plain.readValue("{\"method\": 1}", Fact.class).method());
        assertEquals(1, plain.readValue("{\"version\": 1.9}", Fact.class).version());
        ObjectMapper m = mapper();
        for (String body : new String[] {"{\"method\": 1}", "{\"method\": \"1\"}"}) {
            InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> m.readValue(body, Fact.class), body);
            String detail = ProblemMappers.describe(e);
            assertTrue(detail.startsWith("Field 'method' has an invalid value '1'"), detail);
            assertTrue(detail.contains("[CLICK, SEAL, USE]"), detail);
        }
        for (String body : new String[] {"{\"version\": 1.9}", "{\"seq\": 2.5}"}) {
            com.fasterxml.jackson.core.JsonProcessingException e = assertThrows(
                    com.fasterxml.jackson.core.JsonProcessingException.class, () -> m.readValue(body, Fact.class), body);
            String detail = ProblemMappers.describe(e);
            assertTrue(detail.contains("expected an integer"), detail);
        }
        assertEquals(new Fact(Method.USE, 2, 3), m.readValue("{\"method\": \"USE\", \"version\": 2, \"seq\": 3}", Fact.class));
    }

    @Test
    void anObjectNamingAMemberTwiceIsRefused() throws Exception {
        com.fasterxml.jackson.core.JsonProcessingException e = assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> mapper().readValue("{\"userId\": \"a\", \"tags\": [], \"userId\": \"b\"}", Person.class));
        String detail = ProblemMappers.describe(e);
        assertTrue(detail.contains("Duplicate field 'userId'"), detail);
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> mapper().readTree("{\"a\": {\"x\": 1, \"x\": 2}}"));
        // the same name in different objects is no duplicate
        assertEquals(2, mapper().readTree("{\"x\": 1, \"y\": {\"x\": 2}}").path("y").path("x").asInt());
    }
}
