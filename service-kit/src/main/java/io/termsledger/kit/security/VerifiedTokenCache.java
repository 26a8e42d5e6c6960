package io.termsledger.kit.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token parser the JWT mechanism uses: the standard parser (signature, issuer,
 * audience, expiry, configured by the mp.jwt / smallrye.jwt settings), with its successful
 * answers remembered per token until the token expires. A caller sends the same token with
 * every request, and verifying an RS256 signature is the most expensive step of a small
 * request; a token seen before is only looked up and its expiry checked again. Tokens that
 * fail are never remembered, so a forged, expired or foreign token is refused every time.
 * At most {@value #MAX_TOKENS} tokens are kept; when full, the cache starts again empty.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache extends DefaultJWTParser {

    static final int MAX_TOKENS = 10_000;

    private final ConcurrentHashMap<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.get(token);
        if (known != null) {
            if (System.currentTimeMillis() / 1000 < known.getExpirationTime()) {
                return known;
            }
            verified.remove(token);
        }
        JsonWebToken jwt = super.parse(token);
        if (jwt.getExpirationTime() > 0) {
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
            verified.put(token, jwt);
        }
        return jwt;
    }
}
