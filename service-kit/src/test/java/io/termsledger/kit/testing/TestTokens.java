package io.termsledger.kit.testing;

import io.smallrye.jwt.build.Jwt;
import io.termsledger.kit.security.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Signs test tokens with a key pair made for this test JVM (never stored in the
 * repository); {@link JwtTestSupport} points the service at its public half.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test.terms-ledger";
    public static final String AUDIENCE = "terms-ledger";
    /** Holds every role but {@code user}: reaches every operation. */
    public static final Set<String> OPERATOR_ROLES = Set.of(Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR,
            Roles.NOTICE_GATEWAY);

    private static final KeyPair KEYS = generate();
    private static Path publicKeyFile;

    private TestTokens() {
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                Path f = Files.createTempFile("ledger-test-jwt", ".pem");
                String pem = "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                Files.writeString(f, pem);
                f.toFile().deleteOnExit();
                publicKeyFile = f;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return publicKeyFile;
    }

    static java.security.PrivateKey privateKey() {
        return KEYS.getPrivate();
    }

    public static String token(String subject, Set<String> roles, Duration ttl) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).upn(subject).groups(roles)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plus(ttl)).sign(KEYS.getPrivate());
    }

    public static String role(String role, String subject) {
        return token(subject, Set.of(role), Duration.ofMinutes(30));
    }

    public static String user(String userId) {
        return role(Roles.USER, userId);
    }

    /**
     * A user token whose {@code upn} and {@code preferred_username} name someone else than
     * its subject, as an identity provider that issues usernames does.
     */
    public static String userNamed(String subject, String username) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).upn(username).preferredUserName(username)
                .groups(Set.of(Roles.USER)).issuedAt(Instant.now()).expiresAt(Instant.now().plus(Duration.ofMinutes(30)))
                .sign(KEYS.getPrivate());
    }

    public static String operator() {
        return token("test-operator", OPERATOR_ROLES, Duration.ofHours(2));
    }

    public static String expired(String role) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("expired").groups(Set.of(role))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign(KEYS.getPrivate());
    }

    /** A token signed by another key: must be refused like no token. */
    public static String forged(String role) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("forged").groups(Set.of(role))
                .expiresIn(600).sign(generate().getPrivate());
    }
}
