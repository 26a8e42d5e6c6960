package io.termsledger.kit.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller's subject: the token's {@code sub} claim. MicroProfile JWT names a principal
 * by {@code upn}, else {@code preferred_username}, else {@code sub}; an identity provider
 * that issues a username (Keycloak always does) would make that name the user id, and a
 * user who may choose a username could then pass for another user. The contract says the
 * token subject is the user id, so the subject is what counts.
 */
public final class Subjects {

    private Subjects() {
    }

    /** The subject of {@code identity}'s token, or {@code null} for an anonymous caller. */
    public static String of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        Principal principal = identity.getPrincipal();
        if (principal instanceof JsonWebToken jwt) {
            return jwt.getSubject();
        }
        return principal == null ? null : principal.getName();
    }
}
