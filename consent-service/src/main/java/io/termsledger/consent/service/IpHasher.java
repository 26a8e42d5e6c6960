package io.termsledger.consent.service;

import io.termsledger.consent.config.ConsentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymises client IP addresses: only HMAC-SHA256(key, ip) is ever stored, taken over the address's one text
 * ({@link IpAddresses}), so that one address gives one HMAC however the client wrote it.
 */
@ApplicationScoped
public class IpHasher {

    private final SecretKeySpec key;

    IpHasher(ConsentConfig config) {
        String k = config.privacy().ipHashKey();
        if (k == null || k.isBlank()) {
            throw new IllegalStateException("ledger.privacy.ip-hash-key must be set");
        }
        this.key = new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String hash(String ip) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String text = IpAddresses.canonical(ip).orElse(ip.strip()); // validated as a literal by ConsentRequest
            return "hmac-sha256:" + Canonical.hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
