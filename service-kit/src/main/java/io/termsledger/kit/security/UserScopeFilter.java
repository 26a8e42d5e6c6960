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
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A caller whose only reading role is {@code user} may read {@code /users/{userId}/…}
 * only for their own id (the token subject). Anyone else's record answers 404, exactly
 * as if it did not exist, so the answer leaks nothing.
 *
 * <p>The id compared is the matched {@code {userId}} path parameter, decoded once exactly
 * as the resource receives it: decoding the raw path again would read {@code a%2Fb} as
 * {@code a}, {@code x+y} as {@code x y} and {@code %2541} as {@code A}, and let a user read
 * a record that is not theirs.
 */
@Singleton
public class UserScopeFilter {

    private static final String PREFIX = "/users/";
    /** The path parameter every {@code /users/…} resource names its user by. */
    private static final String USER_ID = "userId";

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Response> scope(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String userId = ctx.getUriInfo().getPathParameters().getFirst(USER_ID);
        return identities.getDeferredIdentity().map(identity -> ownRecordOnly(identity, userId));
    }

    static Response ownRecordOnly(SecurityIdentity identity, String userId) {
        if (identity == null || identity.isAnonymous() || identity.hasRole(Roles.AUDITOR)
                || identity.hasRole(Roles.CONSENT_WRITER) || identity.hasRole(Roles.AGREEMENT_ADMIN)) {
            return null;
        }
        if (userId != null && userId.equals(Subjects.of(identity))) {
            return null;
        }
        return Problems.of(ApiProblem.notFound("No record for this user."));
    }
}
