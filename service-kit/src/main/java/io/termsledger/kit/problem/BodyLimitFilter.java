package io.termsledger.kit.problem;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.inject.Inject;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses bodies larger than {@code ledger.http.max-body-bytes} (default 2 MiB) with a
 * 413 problem before anything is read or stored, by their {@code Content-Length}; a body sent
 * without one is counted as it is read ({@link ChunkedBodyLimit}).
 */
@Singleton
public class BodyLimitFilter {

    @Inject
    BodyLimit limits;

    @ServerRequestFilter(preMatching = true)
    public void limit(ContainerRequestContext ctx) {
        String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Content-Length is not a number");
        }
        if (bytes > limits.maxBytes()) {
            throw ChunkedBodyLimit.tooLarge(Long.toString(bytes), limits.maxBytes());
        }
    }
}
