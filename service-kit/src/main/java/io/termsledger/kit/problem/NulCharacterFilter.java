package io.termsledger.kit.problem;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request whose path or query holds the NUL character ({@code %00}) with a 400 problem,
 * before it is routed: no key, id or parameter accepts one, and PostgreSQL cannot compare text that
 * holds it. (A NUL inside a JSON body is refused where it meets the database, by {@link ProblemMappers}.)
 */
@Singleton
public class NulCharacterFilter {

    @ServerRequestFilter(preMatching = true)
    public void refuseNul(HttpServerRequest request) {
        // the request line as sent (path and query, still percent-encoded): a NUL can only arrive as %00
        if (request.uri().contains("%00")) {
            throw new ApiProblem(400, "nul-character", "Bad request",
                    "The request's path or query holds the NUL character (%00), which no key, id or parameter accepts;"
                            + " remove it.");
        }
    }
}
