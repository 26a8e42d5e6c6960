package io.termsledger.kit.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HeaderConfig;
import io.restassured.config.RestAssuredConfig;
import java.util.Map;

/**
 * Configures the service under test to verify tokens of {@link TestTokens} and makes
 * rest-assured send an operator token by default (a test that wants another caller sets
 * its own {@code Authorization} header, which replaces the default; see {@link #anonymous}).
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

    public static void installDefaultToken() {
        RestAssured.config = RestAssuredConfig.config()
                .headerConfig(HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization"));
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + TestTokens.operator()).build();
    }

    /** Runs {@code body} with no default token. */
    public static void anonymous(Runnable body) {
        var saved = RestAssured.requestSpecification;
        RestAssured.requestSpecification = null;
        try {
            body.run();
        } finally {
            RestAssured.requestSpecification = saved;
        }
    }
}
