package io.termsledger.version.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.version.service.AgreementService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agreements", description = "The catalogue of agreements and the policy each one's revisions follow")
public class AgreementResource {

    static final String PROBLEM = "application/problem+json";

    @Inject
    AgreementService agreements;

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Operation(summary = "Register an agreement",
            description = "Registers an agreement with its policy: notice days (0–365), binding rule, whether a sealed"
                    + " copy prevails, the acceptance methods that bind, where the lead time is measured from, other"
                    + " notice periods, and the IANA zone used for calendar-day arithmetic (default Asia/Shanghai)."
                    + " PRODUCT terms name their GENERAL parent. Emits agreement.registered.v1 on agreements.versions.")
    @APIResponse(responseCode = "201", description = "Registered; Location points at the agreement",
            content = @Content(schema = @Schema(implementation = ApiModel.Agreement.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field or invalid field value",
            content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "The key is already registered", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "Unknown time zone, missing or non-GENERAL parent, scope mismatch",
            content = @Content(mediaType = PROBLEM))
    public Response register(@Valid ApiModel.RegisterAgreement request, @Context UriInfo uri) {
        if (request == null) {
            throw ApiProblem.badRequest("A JSON body describing the agreement is required.");
        }
        ApiModel.Agreement created = agreements.register(request);
        return Response.created(uri.getBaseUriBuilder().path("agreements").path(created.key()).build())
                .entity(created).build();
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Operation(summary = "List agreements",
            description = "Every agreement with its policy and a summary of its versions (status as of now, noticeAt,"
                    + " effectiveAt), ordered by key.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Agreement.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public List<ApiModel.Agreement> list() {
        return agreements.list();
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/{key}")
    @Operation(summary = "Get one agreement", description = "The agreement, its policy, the version in effect now and a"
            + " summary of every version.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Agreement.class)))
    @APIResponse(responseCode = "404", description = "No agreement with this key", content = @Content(mediaType = PROBLEM))
    public ApiModel.Agreement get(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key) {
        return agreements.get(key).orElseThrow(() -> ApiProblem.notFound("No agreement with key '" + key
                + "'; GET /agreements lists the registered ones."));
    }
}
