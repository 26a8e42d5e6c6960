package io.termsledger.consent.rest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /objections}: a user objected to a revision. */
@Schema(description = "An objection to a revision (the user refuses it and is expected to stop using the service)")
public record ObjectionRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = UserIds.PATTERN, message = UserIds.MESSAGE)
        String userId,
        @NotBlank @Size(max = 200) String agreementKey,
        @NotNull @Min(1) Integer version,
        Instant occurredAt,
        @Size(max = 2000) String reason) {
}
