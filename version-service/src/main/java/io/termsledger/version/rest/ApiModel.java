package io.termsledger.version.rest;

import io.termsledger.version.domain.AcceptanceMethod;
import io.termsledger.version.domain.BindingRule;
import io.termsledger.version.domain.NoticeMeasuredFrom;
import io.termsledger.version.domain.Scope;
import io.termsledger.version.domain.VersionStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response payloads of the version-service API. Entities never leave the service. */
public final class ApiModel {

    public static final String SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$";

    private ApiModel() {
    }

    // ---- requests ----

    @Schema(description = "Registers an agreement with its policy (DOMAIN.md §2).")
    public record RegisterAgreement(
            @Schema(description = "Unique slug: lower-case letters, digits and single hyphens", example = "aliyun-ecs-terms")
            @NotBlank @Size(max = 100) @Pattern(regexp = SLUG, message = "must be a slug such as aliyun-ecs-terms (a-z, 0-9, single hyphens)")
            String key,
            @Schema(example = "Aliyun Elastic Compute Service (ECS) terms") @NotBlank @Size(max = 300) String title,
            @Schema(example = "Alibaba Cloud") @NotBlank @Size(max = 200) String provider,
            @Schema(description = "GENERAL terms, or PRODUCT terms under a GENERAL parent") @NotNull Scope scope,
            @Schema(description = "Key of the GENERAL agreement these PRODUCT terms belong to; PRODUCT only", example = "aliyun-general-terms")
            @Size(max = 100) String parentKey,
            @Schema(description = "Product these PRODUCT terms cover; PRODUCT only", example = "ecs") @Size(max = 100) String product,
            @Schema(description = "IANA zone for calendar-day arithmetic; default Asia/Shanghai", example = "Asia/Shanghai")
            @Size(max = 64) String timezone,
            @NotNull @Valid PolicyInput policy) {
    }

    @Schema(description = "How revisions of the agreement are noticed and bind users.")
    public record PolicyInput(
            @Schema(description = "Minimum natural days between a revision's notice and its effect", example = "30")
            @NotNull @Min(0) @Max(365) Integer noticeDays,
            @NotNull BindingRule bindingRule,
            @Schema(description = "A sealed copy prevails over click-through text; default false") Boolean sealPrevails,
            @Schema(description = "Methods that bind at all") @NotEmpty List<@NotNull AcceptanceMethod> acceptanceMethods,
            @Schema(description = "Default ANNOUNCEMENT") NoticeMeasuredFrom noticeMeasuredFrom,
            @Schema(description = "Other notice types -> minimum natural days, e.g. {\"DATA_CENTRE_MIGRATION\": 7}")
            Map<String, Integer> noticePeriods) {
    }

    @Schema(description = "A new draft version.")
    public record CreateDraft(
            @Schema(description = "The full text; its SHA-256 identifies the version") @NotBlank String content,
            @Schema(example = "2026-12 revision") @Size(max = 200) String label,
            @Size(max = 4000) String changeSummary,
            @Schema(description = "Clause ids to mark highlighted in addition to the bold ones", example = "[\"8.4\"]")
            @Size(max = 1000) List<@NotBlank String> highlightedClauses) {
    }

    @Schema(description = "Publication of a draft. Without effectiveAt the earliest allowed instant is used.")
    public record Publish(
            @Schema(description = "When the version takes effect; never earlier than the lead time allows", example = "2026-12-31T16:00:00Z")
            Instant effectiveAt) {
    }

    public record Withdraw(@Schema(example = "Published by mistake") @NotBlank @Size(max = 2000) String reason) {
    }

    @Schema(description = "History of an existing system, oldest first; imported all-or-nothing.")
    public record ImportHistory(@NotEmpty @Size(max = 200) List<@NotNull @Valid ImportedVersion> versions) {
    }

    public record ImportedVersion(
            @NotBlank String content,
            @Size(max = 200) String label,
            @Size(max = 4000) String changeSummary,
            @Schema(description = "When the version was announced; in the past") @NotNull Instant noticeAt,
            @Schema(description = "When it took (or takes) effect; the same lead-time rule as publication") @NotNull Instant effectiveAt,
            @Size(max = 1000) List<@NotBlank String> highlightedClauses) {
    }

    // ---- responses ----

    public record Policy(int noticeDays, BindingRule bindingRule, boolean sealPrevails,
                         List<AcceptanceMethod> acceptanceMethods, NoticeMeasuredFrom noticeMeasuredFrom,
                         Map<String, Integer> noticePeriods) {
    }

    @Schema(description = "An agreement with a summary of its versions; statuses are as of the response time.")
    public record Agreement(String key, String title, String provider, Scope scope, String parentKey, String product,
                            String timezone, Policy policy, Instant registeredAt,
                            @Schema(description = "Version in effect now, if any") Integer currentVersion,
                            List<VersionSummary> versions) {
    }

    public record VersionSummary(int version, String label, VersionStatus status, Instant noticeAt, Instant effectiveAt,
                                 Instant withdrawnAt, boolean imported, String contentSha256) {
    }

    public record ClauseView(String id, String heading, String text, boolean highlighted) {
    }

    public record Draft(String agreementKey, int version, VersionStatus status, String label, String changeSummary,
                        String contentSha256, List<ClauseView> clauses) {
    }

    @Schema(description = "A full version: content, clauses, hash and lifecycle instants.")
    public record Version(String agreementKey, int version, String label, String changeSummary, VersionStatus status,
                          boolean imported, String contentSha256, Instant createdAt, Instant noticeAt,
                          Instant effectiveAt, Integer previousVersion, Instant withdrawnAt, String withdrawReason,
                          String content, List<ClauseView> clauses) {
    }

    public record Published(String agreementKey, int version, VersionStatus status, Instant noticeAt,
                            Instant effectiveAt, Integer previousVersion) {
    }

    public record Withdrawn(String agreementKey, int version, VersionStatus status, Instant withdrawnAt, String reason,
                            Instant noticeAt, Instant effectiveAt) {
    }

    public record ModifiedClause(String id, String previousId,
                                 @Schema(description = "Heading in version `to` (in `from` when `to`'s clause has none)") String heading,
                                 @Schema(description = "Heading in version `from`; a clause whose heading alone changed has the same `before` and `after`") String previousHeading,
                                 String before, String after, boolean highlighted, boolean highlightChanged) {
    }

    @Schema(description = "Clause-level difference from version `from` to version `to`.")
    public record Diff(String agreementKey, int from, int to, List<ClauseView> added, List<ClauseView> removed,
                       List<ModifiedClause> modified,
                       @Schema(description = "Ids of changed clauses that are highlighted before or after") List<String> highlighted,
                       int unchanged) {
    }

    public record Imported(String agreementKey, List<VersionSummary> versions) {
    }
}
