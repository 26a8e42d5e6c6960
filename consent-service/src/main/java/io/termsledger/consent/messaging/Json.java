package io.termsledger.consent.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsledger.kit.json.UnicodeText;
import io.termsledger.kit.messaging.MalformedEventException;
import io.termsledger.kit.time.InstantRange;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Strict readers for event data: a missing or wrong field parks the event with a reason. */
final class Json {

    private Json() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new MalformedEventException("field '" + field + "' must be a non-empty string");
        }
        return unicode(v.textValue(), field);
    }

    static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedEventException("field '" + field + "' must be a string");
        }
        return unicode(v.textValue(), field);
    }

    private static String unicode(String s, String field) {
        String problem = UnicodeText.problem(s);
        if (problem != null) {
            throw new MalformedEventException("field '" + field + "': " + problem);
        }
        return s;
    }

    static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new MalformedEventException("field '" + field + "' must be an integer");
        }
        return v.intValue();
    }

    static Integer optInteger(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : integer(n, field);
    }

    static Instant instant(JsonNode n, String field) {
        return parseInstant(text(n, field), field);
    }

    static Instant optInstant(JsonNode n, String field) {
        String s = optText(n, field);
        return s == null ? null : parseInstant(s, field);
    }

    private static Instant parseInstant(String s, String field) {
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("field '" + field + "' is not an ISO-8601 instant: " + s);
        }
        if (!InstantRange.contains(t)) {
            throw new MalformedEventException("field '" + field + "' is out of range: " + s + " (it must be "
                    + InstantRange.EXPECTED + ")");
        }
        return t;
    }

    static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new MalformedEventException("field '" + field + "' must be an object");
        }
        return v;
    }
}
