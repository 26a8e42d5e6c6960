package io.termsledger.consent.rest;

import io.termsledger.consent.domain.Method;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /consents}: a user accepted a version of an agreement. */
@Schema(description = "An acceptance: CLICK (click-through), SEAL (sealed copy) or USE (implicit, by first use)")
public record ConsentRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = UserIds.PATTERN, message = UserIds.MESSAGE)
        String userId,
        @NotBlank @Size(max = 200) String agreementKey,
        @NotNull @Min(1) Integer version,
        @NotNull Method method,
        @Schema(description = "When the person acted; defaults to now. Not before the version's notice, not in the future.")
        Instant occurredAt,
        @Valid Evidence evidence) {

    /** Evidence of the acceptance (CONTRACT.md). The client IP is stored only as an HMAC. */
    public record Evidence(
            @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256)") String documentSha256,
            @Size(max = 100) String channel,
            @Size(max = 64) @IpAddress String ip,
            @Size(max = 1000) String userAgent,
            @Size(max = 50) String locale,
            @Size(max = 200) String sealDocumentNo,
            @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256)") String sealScanSha256,
            @Size(max = 300) String sealOrganisation) {

        /** No member given, or only empty text: nothing the fact would record (not a bean property). */
        public boolean noMember() {
            return Stream.of(documentSha256, channel, ip, userAgent, locale, sealDocumentNo, sealScanSha256, sealOrganisation)
                    .allMatch(m -> m == null || m.isBlank());
        }
    }
}
