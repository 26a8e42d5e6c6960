package io.termsledger.kit.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.Problems;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A caller whose only role the matched resource allows is {@code user} may read
 * {@code /users/{userId}/…} only for their own id (the token subject). Anyone else's record
 * answers 404, exactly as if it did not exist, so the answer leaks nothing.
 *
 * <p>A token that also holds another role reads any user only where that role is allowed on its
 * own: an auditor everywhere, a consent writer a user's status and terms. A staff member who is
 * also a customer (a token with {@code user} and {@code agreement-admin}) reads only their own
 * record; the admin role never opens other users' records, and the consent writer's never opens
 * their history or proof.
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
    public Uni<Response> scope(ContainerRequestContext ctx, ResourceInfo resource) {
        if (!ctx.getUriInfo().getPath().startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String userId = ctx.getUriInfo().getPathParameters().getFirst(USER_ID);
        Set<String> allowed = allowedRoles(resource);
        return identities.getDeferredIdentity().map(identity -> ownRecordOnly(identity, userId, allowed));
    }

    /** The roles the matched method (else its class) allows; empty when neither names any. */
    static Set<String> allowedRoles(ResourceInfo resource) {
        return allowedRoles(resource == null ? null : resource.getResourceMethod());
    }

    /** Each resource method's roles, read once: the filter runs on every {@code /users/…} request. */
    private static final Map<Method, Set<String>> ROLES = new ConcurrentHashMap<>();

    /** The roles a resource method (else its class) allows; empty when neither names any. */
    public static Set<String> allowedRoles(Method method) {
        return method == null ? Set.of() : ROLES.computeIfAbsent(method, UserScopeFilter::readRoles);
    }

    private static Set<String> readRoles(Method method) {
        RolesAllowed rule = method.getAnnotation(RolesAllowed.class);
        if (rule == null) {
            rule = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return rule == null ? Set.of() : Set.copyOf(Arrays.asList(rule.value()));
    }

    static Response ownRecordOnly(SecurityIdentity identity, String userId, Set<String> allowed) {
        if (identity == null || identity.isAnonymous() || opens(identity, userId, allowed)) {
            return null;
        }
        if (!identity.hasRole(Roles.USER)) {
            // the role check refuses the caller (403) with its own answer
            return null;
        }
        return Problems.of(ApiProblem.notFound("No record for this user."));
    }

    /**
     * Whether the caller reads {@code userId}'s record at a resource that allows {@code allowed}: by a role other
     * than {@code user} the resource allows, or as that user (the token subject).
     */
    public static boolean opens(SecurityIdentity identity, String userId, Set<String> allowed) {
        for (String role : allowed) {
            if (!Roles.USER.equals(role) && identity.hasRole(role)) {
                return true;
            }
        }
        return allowed.contains(Roles.USER) && identity.hasRole(Roles.USER) && userId != null
                && userId.equals(Subjects.of(identity));
    }
}
