package io.termsledger.consent.rest;

import io.termsledger.kit.problem.ApiProblem;

/** Query and path parameter checks that answer 400 with what to fix. */
final class Params {

    private Params() {
    }

    static String userId(String userId) {
        if (userId == null || userId.isBlank() || userId.length() > 200 || !UserIds.matches(userId)) {
            throw ApiProblem.badRequest("userId must be 1 to 200 characters and " + UserIds.MESSAGE);
        }
        return userId;
    }
}
