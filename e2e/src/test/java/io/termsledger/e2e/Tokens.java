package io.termsledger.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** RS256 tokens signed with a key pair made for this run (JDK only). */
final class Tokens {

    static final String ISSUER = "https://issuer.e2e.terms-ledger";
    static final String AUDIENCE = "terms-ledger";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeyPair keys;

    Tokens() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    Path writePublicKey(Path dir) throws java.io.IOException {
        Path f = dir.resolve("e2e-public.pem");
        Files.writeString(f, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return f;
    }

    /**
     * Writes the key pair as {@code private.pem} (PKCS#8) and {@code public.pem}, the layout of
     * deploy/local/keys, so that deploy/local/token (LEDGER_KEYS_DIR=dir) signs tokens this stack accepts.
     */
    Path writeKeyDir(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        return dir;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    String token(String subject, String... roles) {
        try {
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", ISSUER);
            claims.put("aud", AUDIENCE);
            claims.put("sub", subject);
            claims.put("upn", subject);
            claims.put("groups", List.of(roles));
            claims.put("iat", now);
            claims.put("exp", now + 7200);
            claims.put("jti", UUID.randomUUID().toString());
            String head = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String body = b64(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
