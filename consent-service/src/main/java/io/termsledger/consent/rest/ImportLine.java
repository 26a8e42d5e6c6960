package io.termsledger.consent.rest;

import io.termsledger.consent.domain.Method;
import java.time.Instant;

/** One line of {@code POST /consents/import}: a historical fact. */
public record ImportLine(String type, String userId, String agreementKey, String product, Integer version, Method method,
                         Instant occurredAt, ConsentRequest.Evidence evidence, String reason) {
}
