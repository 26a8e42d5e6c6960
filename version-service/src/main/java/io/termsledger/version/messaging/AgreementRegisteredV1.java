package io.termsledger.version.messaging;

import io.termsledger.version.domain.Scope;
import java.time.Instant;

/**
 * Data of {@code agreement.registered.v1}; also the {@code agreement} object inside
 * {@code agreement.version.published.v1}. {@code parentKey} and {@code product} are null for GENERAL terms.
 */
public record AgreementRegisteredV1(String agreementKey, String title, String provider, Scope scope, String parentKey,
                                    String product, String timezone, PolicyData policy, Instant registeredAt) {

    public static final String TYPE = "agreement.registered.v1";
}
