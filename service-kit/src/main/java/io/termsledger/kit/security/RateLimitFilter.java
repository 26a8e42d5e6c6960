package io.termsledger.kit.security;

import jakarta.inject.Singleton;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A per-caller token bucket on the write endpoints (POST, PUT, PATCH, DELETE): the
 * caller is the token subject, or the client address without a token. Over the limit
 * the answer is 429 with {@code Retry-After}. {@code ledger.rate-limit.per-second=0}
 * turns it off (benchmarks).
 */
@Singleton
public class RateLimitFilter {

    @Inject
    RateLimiter limiter;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext ctx, HttpServerRequest request) {
        if (!limiter.enabled() || !isWrite(ctx.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> check(identity, request));
    }

    private Response check(SecurityIdentity identity, HttpServerRequest request) {
        String caller = identity != null && !identity.isAnonymous() ? "sub:" + Subjects.of(identity)
                : "addr:" + (request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
        double wait = limiter.take(caller);
        if (wait > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            return Problems.of(new ApiProblem(429, "too-many-requests", "Too many requests",
                    "This caller exceeded " + limiter.perSecond() + " write requests per second; retry after "
                            + retryAfter + " s.")
                    .with("retryAfterSeconds", retryAfter)
                    .header("Retry-After", Long.toString(retryAfter)));
        }
        return null;
    }

    private static boolean isWrite(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }
}
