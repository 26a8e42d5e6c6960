package io.termsledger.consent.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /usage} and {@code usage.signal.v1}: the user used the service at {@code occurredAt}. */
@Schema(description = "A usage signal; name the agreement or the product (product terms and their general terms)")
public record UsageRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = UserIds.PATTERN, message = UserIds.MESSAGE)
        String userId,
        @Size(max = 200) String agreementKey,
        @Size(max = 200) String product,
        Instant occurredAt) {
}
