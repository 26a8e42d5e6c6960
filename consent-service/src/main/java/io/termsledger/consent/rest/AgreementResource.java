package io.termsledger.consent.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import io.termsledger.consent.service.QueryService;
import io.termsledger.kit.rest.QueryParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Aggregate views over all users of an agreement. */
@Path("/agreements/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agreements", description = "Population of an agreement per governing version and pending state")
public class AgreementResource {

    @Inject
    QueryService queries;

    @RolesAllowed({Roles.AUDITOR, Roles.AGREEMENT_ADMIN})
    @GET
    @Path("population")
    @Operation(summary = "How many users each version governs, and how many are in each pending state",
            description = "Without 'at' (or at about now) the answer comes from the projection, kept current as facts"
                    + " arrive and dates pass (source: projection). For another instant it is evaluated from the ledger,"
                    + " user by user (source: ledger), for agreements up to ledger.population.max-scan users.")
    @APIResponse(responseCode = "200", description = "{agreementKey, at, source, users, governing: [{version, users}],"
            + " pending: [{version, state, users}]}")
    @APIResponse(responseCode = "404", description = "Unknown agreement")
    @APIResponse(responseCode = "422", description = "Too many users to evaluate at an instant other than now")
    public QueryService.Population population(@PathParam("key") String key,
                                              @Parameter(description = "ISO-8601 instant; default now")
                                              @QueryParam("at") String at) {
        return queries.population(key, QueryParams.instant("at", at));
    }
}
