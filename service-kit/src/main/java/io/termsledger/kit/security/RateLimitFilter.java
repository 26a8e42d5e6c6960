package io.termsledger.kit.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A per-caller token bucket on the write endpoints (POST, PUT, PATCH, DELETE): the
 * caller is the token subject, or the client address without a token. Over the limit
 * the answer is 429 with {@code Retry-After}. {@code ledger.rate-limit.per-second=0}
 * turns it off (benchmarks).
 */
public class RateLimitFilter {

    private static final int MAX_CALLERS = 100_000;

    @Inject
    RateLimitSettings settings;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext ctx, HttpServerRequest request) {
        if (settings.perSecond() <= 0 || !isWrite(ctx.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> check(identity, request));
    }

    private Response check(SecurityIdentity identity, HttpServerRequest request) {
        String caller = identity != null && !identity.isAnonymous() ? "sub:" + identity.getPrincipal().getName()
                : "addr:" + (request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
        if (buckets.size() > MAX_CALLERS) {
            buckets.clear();
        }
        double wait = buckets.computeIfAbsent(caller, c -> new Bucket(settings.burst())).take(settings.perSecond(), settings.burst());
        if (wait > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            return Problems.of(new ApiProblem(429, "too-many-requests", "Too many requests",
                    "This caller exceeded " + settings.perSecond() + " write requests per second; retry after "
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

    private static final class Bucket {
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double burst) {
            this.tokens = burst;
        }

        /** Takes one token; returns 0 when granted, else the seconds until one is available. */
        synchronized double take(double perSecond, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }
    }
}
