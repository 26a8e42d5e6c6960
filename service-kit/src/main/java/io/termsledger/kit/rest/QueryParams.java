package io.termsledger.kit.rest;

import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.InstantRange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Query parameters read by the resources themselves, so that a value of the wrong form is a 400
 * problem naming the parameter and what it must be. (Declared as {@code int} or another type, a
 * parameter the framework cannot convert answers 404, as if the address did not exist.)
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** Null for a missing or blank value, else an instant within {@link InstantRange}; a 400 problem otherwise. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant t = Instant.parse(value.strip());
            if (InstantRange.contains(t)) {
                return t;
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw refused(name, value, InstantRange.EXPECTED);
    }

    /** {@code fallback} for a missing or blank value, else a whole number from {@code min} to {@code max}; a 400 problem otherwise. */
    public static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused(name, value, "a whole number from " + min + " to " + max);
    }

    /** Null for a missing or blank value, else the constant of {@code type} it names; a 400 problem otherwise. */
    public static <E extends Enum<E>> E oneOf(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value.strip())) {
                return constant;
            }
        }
        throw refused(name, value, "one of " + Arrays.toString(type.getEnumConstants()));
    }

    private static ApiProblem refused(String name, String value, String expected) {
        return ApiProblem.badRequest("Query parameter '" + name + "' must be " + expected + ", not '" + value + "'")
                .with("field", name);
    }
}
