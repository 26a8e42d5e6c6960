package io.termsledger.version.messaging;

import java.time.Instant;

/** Data of {@code agreement.version.withdrawn.v1}. */
public record VersionWithdrawnV1(String agreementKey, int version, String reason, Instant withdrawnAt, Instant noticeAt,
                                 Instant effectiveAt) {

    public static final String TYPE = "agreement.version.withdrawn.v1";
}
