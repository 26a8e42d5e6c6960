package io.termsledger.kit.security;

import jakarta.inject.Singleton;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A caller whose only reading role is {@code user} may read {@code /users/{userId}/…}
 * only for their own id (the token subject). Anyone else's record answers 404, exactly
 * as if it did not exist, so the answer leaks nothing.
 */
@Singleton
public class UserScopeFilter {

    private static final String PREFIX = "/users/";

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Response> scope(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> ownRecordOnly(identity, path));
    }

    static Response ownRecordOnly(SecurityIdentity identity, String path) {
        if (identity == null || identity.isAnonymous() || identity.hasRole(Roles.AUDITOR)
                || identity.hasRole(Roles.CONSENT_WRITER) || identity.hasRole(Roles.AGREEMENT_ADMIN)) {
            return null;
        }
        int end = path.indexOf('/', PREFIX.length());
        String userId = URLDecoder.decode(end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end),
                StandardCharsets.UTF_8);
        if (userId.equals(identity.getPrincipal().getName())) {
            return null;
        }
        return Problems.of(ApiProblem.notFound("No record for this user."));
    }
}
