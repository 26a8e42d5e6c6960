package io.termsledger.consent.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.service.ProjectionService;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator actions on the projection. */
@Path("/admin/projection")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations", description = "Projection maintenance")
public class AdminResource {

    @Inject
    ProjectionService projection;

    @Inject
    ConsentConfig config;

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Path("rebuild")
    @Operation(summary = "Rebuild the status projection from the ledger",
            description = "Marks every (user, agreement) with ledger entries due for re-evaluation and drops rows without"
                    + " any; the sweep re-evaluates them. With wait=true the call sweeps until nothing is due."
                    + " (Start-up equivalent: ledger.sweep.rebuild-at-start=true.)")
    @APIResponse(responseCode = "200", description = "{due, evaluated}")
    public Map<String, Object> rebuild(@Parameter(description = "Sweep before answering") @QueryParam("wait") boolean wait) {
        int due = projection.markAllForRebuild();
        int evaluated = wait ? projection.sweepUntilIdle(config.sweep().batchSize()) : 0;
        return Map.of("due", due, "evaluated", evaluated);
    }

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Path("sweep")
    @Operation(summary = "Re-evaluate every due row now",
            description = "Runs the sweep that applies passing effective dates, until nothing is due.")
    @APIResponse(responseCode = "200", description = "{evaluated}")
    public Map<String, Object> sweep() {
        return Map.of("evaluated", projection.sweepUntilIdle(config.sweep().batchSize()));
    }
}
