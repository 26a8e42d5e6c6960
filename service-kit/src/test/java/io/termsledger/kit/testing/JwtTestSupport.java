package io.termsledger.kit.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.util.Map;

/**
 * Configures the service under test to verify tokens of {@link TestTokens} and makes
 * rest-assured send an operator token by default (a test that wants another caller sets
 * its own {@code Authorization} header; {@link #anonymous} sends none).
 * Each service registers it once with
 * {@code @QuarkusTestResource(value = JwtTestSupport.class, restrictToAnnotatedClass = false)}.
 */
public class JwtTestSupport implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        installDefaultToken();
        return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toUri().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "mp.jwt.verify.audiences", TestTokens.AUDIENCE);
    }

    @Override
    public void inject(TestInjector testInjector) {
        installDefaultToken();
    }

    @Override
    public void stop() {
    }

    private static final ThreadLocal<Boolean> ANONYMOUS = ThreadLocal.withInitial(() -> false);
    private static final Filter DEFAULT_TOKEN = (req, res, ctx) -> {
        if (!ANONYMOUS.get() && !req.getHeaders().hasHeaderWithName("Authorization")) {
            req.header("Authorization", "Bearer " + TestTokens.operator());
        }
        return ctx.next(req, res);
    };

    /** Adds an operator token to every request that carries none (a global rest-assured filter). */
    public static synchronized void installDefaultToken() {
        if (!RestAssured.filters().contains(DEFAULT_TOKEN)) {
            RestAssured.filters(DEFAULT_TOKEN);
        }
    }

    /** Runs {@code body} with no default token. */
    public static void anonymous(Runnable body) {
        ANONYMOUS.set(true);
        try {
            body.run();
        } finally {
            ANONYMOUS.set(false);
        }
    }
}
