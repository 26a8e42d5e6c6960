package io.termsledger.consent.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.termsledger.consent.service.ProofService;
import io.termsledger.consent.service.QueryService;
import io.termsledger.consent.service.StatusReads;
import io.termsledger.consent.service.StatusView;
import io.termsledger.kit.rest.QueryParams;
import io.termsledger.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The per-user answers: status, governing terms, history, proof. */
@Path("/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Which version governs a user, why, since when; history and evidence")
public class UserResource {

    @Inject
    QueryService queries;

    @Inject
    ProofService proofs;

    @Inject
    StatusReads statusReads;

    @RolesAllowed({Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER})
    @GET
    @Path("agreements/{key}/status")
    @Operation(summary = "Which version governs the user",
            description = "The governing version at an instant, its basis (CLICK, SEAL, USE or EFFECTIVE_DATE, the fact"
                    + " and since when), every later revision's state for this user (SCHEDULED, AWAITING_USE, EFFECTIVE,"
                    + " ACCEPTED_EARLY, OBJECTED, BLOCKED_BY_SEAL, WITHDRAWN) with its effective date for the user, and"
                    + " notes for auditors. Computed from the ledger with the facts that occurred at or before 'at'; a"
                    + " future 'at' gives the projection if nothing else happens.")
    @APIResponse(responseCode = "200", description = "The status (governingVersion null when the user is bound to nothing)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusView.class)))
    @APIResponse(responseCode = "404", description = "Unknown agreement")
    public Uni<Response> status(@PathParam("userId") String userId, @PathParam("key") String key,
                                @Parameter(description = "ISO-8601 instant; default now") @QueryParam("at") String at) {
        // the projection's stored document, with only its instant replaced: no parse and re-serialise per request;
        // read on this I/O thread when it can be (StatusReads)
        return statusReads.statusJson(Params.userId(userId), key, QueryParams.instant("at", at))
                .map(json -> Response.ok(json, MediaType.APPLICATION_JSON).build());
    }

    @RolesAllowed({Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER})
    @GET
    @Path("terms")
    @Operation(summary = "The governing terms in order of precedence",
            description = "Product terms first, then their general terms (order pages > product terms > general terms)."
                    + " With 'product', that product's terms and their parent; without, every agreement the user has"
                    + " ledger entries for.")
    @APIResponse(responseCode = "200", description = "{userId, product, at, terms: [{precedence, agreementKey, …}]}")
    @APIResponse(responseCode = "404", description = "Unknown product")
    public QueryService.Terms terms(@PathParam("userId") String userId,
                                    @Parameter(description = "Product name, e.g. ecs") @QueryParam("product") String product,
                                    @Parameter(description = "ISO-8601 instant; default now") @QueryParam("at") String at) {
        return queries.terms(Params.userId(userId), product, QueryParams.instant("at", at));
    }

    @RolesAllowed({Roles.AUDITOR, Roles.USER})
    @GET
    @Path("consents")
    @Operation(summary = "The user's ledger, oldest first",
            description = "Every fact with its canonical form, prevHash and hash: the SHA-256 chain of this user.")
    @APIResponse(responseCode = "200", description = "{userId, genesis, head, length, facts: […]}")
    public QueryService.History consents(@PathParam("userId") String userId) {
        return queries.history(Params.userId(userId));
    }

    @RolesAllowed({Roles.AUDITOR, Roles.USER})
    @GET
    @Path("proof")
    @Operation(summary = "Evidence bundle that verifies offline",
            description = "Self-contained JSON: the chain (each fact's canonical form and hash), the versions' content"
                    + " hashes and policies, usage and notice deliveries, the computed status with the rules applied, and"
                    + " bundleSha256 over the rest, signed by the service's key (GET /proof/signing-key). Verify with:"
                    + " java consent-service/tools/VerifyProof.java --key service-key.pem bundle.json")
    @APIResponse(responseCode = "200", description = "The bundle (format terms-ledger-proof/2), signed by the service's key")
    @APIResponse(responseCode = "404", description = "The ledger holds nothing for this user")
    public ObjectNode proof(@PathParam("userId") String userId) {
        return proofs.bundle(Params.userId(userId));
    }
}
