package io.termsledger.consent.rest;

import io.termsledger.kit.problem.ApiProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query and path parameter checks that answer 400 with what to fix. */
final class Params {

    private Params() {
    }

    static Instant at(String at) {
        if (at == null || at.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(at.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("'at' must be an ISO-8601 instant such as 2026-11-25T08:00:00Z, not '" + at + "'");
        }
    }

    static String userId(String userId) {
        if (userId == null || userId.isBlank() || userId.length() > 200 || userId.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("userId must be 1 to 200 characters without control characters");
        }
        return userId;
    }
}
