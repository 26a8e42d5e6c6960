package io.termsledger.consent.rest;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.termsledger.consent.service.StatusReads;
import io.termsledger.kit.security.UserScopeFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The common status query, {@code GET /users/{userId}/agreements/{key}/status} with no query string, answered
 * from the Vert.x router before the REST layer: on two busy cores the REST layer's handler chain, CDI context
 * propagation and its security interceptors were about a third of consent-service's CPU per status query
 * (bench/README, session 17).
 *
 * <p>It answers only what it is sure the REST resource ({@link UserResource#status}) would answer the same way,
 * 200 with the same document: a plain path and an {@code Accept} the resource serves, a caller the resource lets
 * read this user's record, and a current projection row ({@link StatusReads#projectedNow}). Everything else
 * (an {@code at}, an encoded or odd path, no token, a forbidden role, another user's record, an unknown
 * agreement, a row due for re-evaluation, the reactive pool failing) goes on to the REST layer, which answers or
 * refuses it in its own words: this route never refuses anything itself.
 */
@ApplicationScoped
public class StatusRoute {

    private static final Logger LOG = Logger.getLogger(StatusRoute.class);

    static final String PATH = "/users/:userId/agreements/:key/status";

    @Inject
    IdentityProviderManager identities;

    @Inject
    StatusReads reads;

    void install(@Observes Router router) {
        router.get(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String userId;
        String key;
        try {
            userId = ctx.pathParam("userId");
            key = ctx.pathParam("key");
            if (!plain(ctx) || !validUserId(userId) || key == null || key.isEmpty()) {
                ctx.next();
                return;
            }
        } catch (RuntimeException e) {
            LOG.debugf("status route passes the request on (%s)", e);
            ctx.next();
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(ctx, identities)
                .onItem().transformToUni(identity -> mayRead(identity, userId) ? reads.projectedNow(userId, key)
                        : Uni.createFrom().<String>nullItem())
                .subscribe().with(json -> {
                    if (json == null) {
                        ctx.next();
                    } else {
                        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
                    }
                }, failure -> {
                    // an unverifiable token, say: the REST layer refuses it with its own answer, unless resolving
                    // the identity already failed the request to the REST layer's failure handler
                    LOG.debugf("status route passes the request on (%s)", failure);
                    if (!ctx.failed() && !ctx.response().ended()) {
                        ctx.next();
                    }
                });
    }

    /**
     * The request target is the path alone (no query string, not the absolute form, whose scheme and authority the
     * kit's URL text checks read too), with nothing encoded and no matrix parameter, as the router normalised it; no
     * body; and an {@code Accept} that the resource's {@code application/json} satisfies without negotiation.
     */
    private static boolean plain(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return path != null && path.equals(request.uri()) && path.equals(ctx.normalizedPath())
                && path.indexOf('%') < 0 && path.indexOf(';') < 0
                && !request.headers().contains(HttpHeaders.CONTENT_LENGTH)
                && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && (accept == null || accept.equals("application/json") || accept.equals("*/*"));
    }

    /** What {@code Params.userId} accepts without a 400. */
    private static boolean validUserId(String userId) {
        return userId != null && !userId.isBlank() && userId.length() <= 200 && UserIds.matches(userId);
    }

    /** The roles {@link UserResource#status} allows, read from its annotation: one rule for both ways in. */
    private static final Set<String> STATUS_ROLES = statusRoles();

    private static Set<String> statusRoles() {
        try {
            return UserScopeFilter.allowedRoles(
                    UserResource.class.getMethod("status", String.class, String.class, String.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("UserResource#status changed its parameters", e);
        }
    }

    /**
     * What the resource's {@code @RolesAllowed} and the kit's user-scope filter let through together (an auditor
     * or consent writer reads anyone's status, a user their own), from the same annotation.
     */
    static boolean mayRead(SecurityIdentity identity, String userId) {
        return identity != null && !identity.isAnonymous() && UserScopeFilter.opens(identity, userId, STATUS_ROLES);
    }
}
