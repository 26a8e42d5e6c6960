package io.termsledger.notice.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.service.NoticeService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/compliance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Compliance", description = "Evidence for auditors")
public class ComplianceResource {

    /** One notice's lead time against the minimum required. */
    @Schema(name = "LeadTimeCheck")
    public record LeadTimeCheck(UUID noticeId, NoticeType type, String agreementKey, Integer fromVersion,
                                Integer toVersion, Instant noticeAt, Instant effectiveAt, int requiredLeadDays,
                                int actualLeadDays, @Schema(description = "PASS or FAIL") String result,
                                boolean imported, boolean withdrawn) {
    }

    /** Every notice's check and the totals. */
    @Schema(name = "LeadTimeReport")
    public record LeadTimeReport(Instant generatedAt, int total, int passed, int failed, List<LeadTimeCheck> notices) {
    }

    @Inject
    NoticeService notices;

    @Inject
    AppClock clock;

    @RolesAllowed({Roles.AUDITOR, Roles.AGREEMENT_ADMIN})
    @GET
    @Path("/lead-times")
    @Operation(summary = "Lead time of every notice",
            description = "For every notice (revisions, withdrawals and admin notices, imported ones included): the "
                    + "required and the actual lead in natural days of the agreement's zone, and PASS when the "
                    + "effective date is no earlier than the notice plus the required days.")
    public LeadTimeReport leadTimes(
            @Parameter(description = "Only notices of this agreement") @QueryParam("agreementKey") String agreementKey) {
        List<LeadTimeCheck> checks = notices.list(agreementKey, null).stream()
                .map(n -> new LeadTimeCheck(n.id(), n.type(), n.agreementKey(), n.fromVersion(), n.toVersion(),
                        n.noticeAt(), n.effectiveAt(), n.requiredLeadDays(), n.actualLeadDays(),
                        n.leadTimeMet() ? "PASS" : "FAIL", n.imported(), n.withdrawnAt() != null))
                .toList();
        int passed = (int) checks.stream().filter(c -> c.result().equals("PASS")).count();
        return new LeadTimeReport(clock.now(), checks.size(), passed, checks.size() - passed, checks);
    }
}
