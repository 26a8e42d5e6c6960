package io.termsledger.consent.service;

import io.quarkus.runtime.Startup;
import io.termsledger.consent.config.ConsentConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Signs proof bundles with the service's RSA key (SHA256withRSA over the bundle's {@code bundleSha256}), so that
 * an auditor who holds the service's public key knows a bundle is as the service exported it: the digest alone
 * has no key, and whoever drops a fact from a bundle (an objection, say) can recompute it. The key is read once,
 * at start; a prod start without one fails there, not at the first proof asked for.
 */
@Startup
@Singleton
public class ProofSigner {

    private static final Logger LOG = Logger.getLogger(ProofSigner.class);

    public static final String ALGORITHM = "SHA256withRSA";

    private final PrivateKey privateKey;
    private final String keyId;
    private final String publicKeyBase64;
    private final String publicKeyPem;

    @Inject
    ProofSigner(ConsentConfig config) {
        Optional<String> configured = config.proof().signingKey().filter(k -> !k.isBlank());
        KeyPair pair;
        if (configured.isPresent()) {
            pair = read(configured.get());
        } else if (config.proof().ephemeralKey()) {
            pair = generate();
            LOG.warn("proof bundles are signed with a key made at start, which a restart replaces: set"
                    + " LEDGER_PROOF_SIGNING_KEY to keep one");
        } else {
            throw new IllegalStateException("ledger.proof.signing-key (LEDGER_PROOF_SIGNING_KEY) must be set: the RSA"
                    + " private key that signs proof bundles, as PKCS#8 PEM text or file:PATH to such a file");
        }
        this.privateKey = pair.getPrivate();
        byte[] encoded = pair.getPublic().getEncoded();
        this.keyId = "sha256:" + Canonical.hex(sha256(encoded));
        this.publicKeyBase64 = Base64.getEncoder().encodeToString(encoded);
        this.publicKeyPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded)
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A PKCS#8 PEM RSA private key (text, or {@code file:PATH}), with its public half. */
    static KeyPair read(String value) {
        String text;
        if (value.startsWith("file:")) {
            try {
                text = Files.readString(Path.of(value.substring("file:".length())), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the proof signing key " + value + ": " + e.getMessage(), e);
            }
        } else {
            text = value;
        }
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalStateException("the proof signing key is PKCS#1; convert it to PKCS#8:"
                    + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey key = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException("the proof signing key lacks its public exponent (not an RSA CRT key)");
            }
            return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent())), key);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("the proof signing key is not a PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:} and the SHA-256 of the public key's X.509 encoding, in hex: what an auditor compares. */
    public String keyId() {
        return keyId;
    }

    /** The public key's X.509 (SubjectPublicKeyInfo) encoding, base64. */
    public String publicKeyBase64() {
        return publicKeyBase64;
    }

    /** The public key as PEM text, to save and hand to the verifier ({@code --key}). */
    public String publicKeyPem() {
        return publicKeyPem;
    }

    /** The signature of {@code text}'s UTF-8 bytes, base64. */
    public String sign(String text) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
