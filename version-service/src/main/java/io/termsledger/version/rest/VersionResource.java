package io.termsledger.version.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.rest.QueryParams;
import io.termsledger.kit.time.AppClock;
import io.termsledger.version.service.VersionService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/agreements/{key}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Versions", description = "Immutable versions of an agreement: drafts, publication with enforced lead"
        + " times, withdrawal, history import, the version in effect at an instant, clause diffs")
public class VersionResource {

    private static final String PROBLEM = AgreementResource.PROBLEM;
    private static final String N = "{n: [0-9]{1,9}}";

    @Inject
    VersionService versions;

    @Inject
    AppClock clock;

    @Inject
    ObjectMapper json;

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Operation(summary = "Create a draft version",
            description = "Stores the content as the next version number (1..n), splits it into clauses (numbered"
                    + " clauses, Chinese section headings, markdown headings; repeated numbers get a ~2 suffix) and"
                    + " computes its SHA-256. Bold clauses and those listed in highlightedClauses are highlighted.")
    @APIResponse(responseCode = "201", description = "Draft created; Location points at the version",
            content = @Content(schema = @Schema(implementation = ApiModel.Draft.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field, empty content", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown agreement", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "413", description = "Body over the configured limit (default 2 MiB)", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "highlightedClauses names clauses the content does not have",
            content = @Content(mediaType = PROBLEM))
    public Response createDraft(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Valid ApiModel.CreateDraft request, @Context UriInfo uri) {
        if (request == null) {
            throw ApiProblem.badRequest("A JSON body with the version's content is required.");
        }
        ApiModel.Draft draft = versions.createDraft(key, request);
        return Response.created(uri.getBaseUriBuilder().path("agreements").path(key).path("versions")
                .path(String.valueOf(draft.version())).build()).entity(draft).build();
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Operation(summary = "List an agreement's versions", description = "Summaries with each version's status now.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.VersionSummary.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "Unknown agreement", content = @Content(mediaType = PROBLEM))
    public List<ApiModel.VersionSummary> list(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key) {
        return versions.list(key);
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/current")
    @Operation(summary = "The version in effect at an instant",
            description = "The highest non-withdrawn version whose effectiveAt is at or before `at` (default now).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Version.class)))
    @APIResponse(responseCode = "400", description = "`at` is not an ISO-8601 instant", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown agreement, or no version in effect at that instant",
            content = @Content(mediaType = PROBLEM))
    public ApiModel.Version current(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key,
                                    @Parameter(description = "ISO-8601 instant; default now", example = "2026-11-25T08:00:00Z")
                                    @QueryParam("at") String at) {
        Instant given = QueryParams.instant("at", at);
        Instant instant = given == null ? clock.now() : given;
        return versions.current(key, instant).orElseThrow(() -> new ApiProblem(404, "no-version-in-effect",
                "Not found", "No version of " + key + " is in effect at " + instant
                + ": nothing was published, or the first version takes effect later.").with("at", instant));
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/" + N)
    @Operation(summary = "Get a full version", description = "Content, clauses, hash, status now, noticeAt, effectiveAt.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Version.class)))
    @APIResponse(responseCode = "404", description = "Unknown agreement or version", content = @Content(mediaType = PROBLEM))
    public ApiModel.Version get(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Parameter(description = "Version number, 1..n per agreement", example = "2") @PathParam("n") int n) {
        return versions.get(key, n);
    }

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Path("/" + N + "/publish")
    @Operation(summary = "Publish a draft",
            description = "Sets noticeAt to now. effectiveAt defaults to noticeAt plus the agreement's noticeDays"
                    + " (calendar days in its zone) and may be later, never earlier; the first version of an agreement"
                    + " takes effect at publication. Emits agreement.version.published.v1.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Published.class)))
    @APIResponse(responseCode = "404", description = "Unknown agreement or version", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "Already published, withdrawn, or older than a published version",
            content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "effectiveAt would shorten the lead time; the problem names"
            + " earliestEffectiveAt", content = @Content(mediaType = PROBLEM))
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, description = "Optional; without a body the earliest allowed effectiveAt is used",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiModel.Publish.class)))
    public ApiModel.Published publish(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Parameter(description = "Version number, 1..n per agreement", example = "2") @PathParam("n") int n, String body)
            throws JsonProcessingException {
        // the body is optional: `POST …/publish` with no body or content type publishes with the defaults
        ApiModel.Publish request = body == null || body.isBlank() ? null : json.readValue(body, ApiModel.Publish.class);
        return versions.publish(key, n, request);
    }

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Path("/" + N + "/withdraw")
    @Operation(summary = "Withdraw a scheduled version",
            description = "Only before it takes effect. A withdrawn version never binds anyone. Emits"
                    + " agreement.version.withdrawn.v1.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Withdrawn.class)))
    @APIResponse(responseCode = "400", description = "Missing reason", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown agreement or version", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "409", description = "A draft, already withdrawn, or already effective",
            content = @Content(mediaType = PROBLEM))
    public ApiModel.Withdrawn withdraw(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Parameter(description = "Version number, 1..n per agreement", example = "2") @PathParam("n") int n,
                                       @Valid ApiModel.Withdraw request) {
        if (request == null) {
            throw ApiProblem.badRequest("A JSON body {\"reason\": \"…\"} is required.");
        }
        return versions.withdraw(key, n, request);
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/{a: [0-9]{1,9}}/diff/{b: [0-9]{1,9}}")
    @Operation(summary = "Clause-level diff between two versions",
            description = "Added, removed and modified clauses from version a to version b. Clauses are paired by"
                    + " position and text, not by number alone; changes to highlighted clauses are listed in"
                    + " `highlighted`.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiModel.Diff.class)))
    @APIResponse(responseCode = "404", description = "Unknown agreement or version", content = @Content(mediaType = PROBLEM))
    public ApiModel.Diff diff(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Parameter(description = "The earlier version", example = "1") @PathParam("a") int a, @Parameter(description = "The later version", example = "2") @PathParam("b") int b) {
        return versions.diff(key, a, b);
    }

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Path("/import")
    @Operation(summary = "Import version history",
            description = "Onboards an existing system: versions oldest first with their past noticeAt and"
                    + " effectiveAt (back-dating is allowed here only), the same lead-time rule as publication,"
                    + " all-or-nothing. Each imported version emits agreement.version.published.v1 with imported=true.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ApiModel.Imported.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field, missing instants",
            content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown agreement", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "A version breaks the lead time (earliestEffectiveAt and index"
            + " name it), lies in the future or out of order", content = @Content(mediaType = PROBLEM))
    public Response importHistory(@Parameter(description = "Agreement key", example = "aliyun-ecs-terms") @PathParam("key") String key, @Valid ApiModel.ImportHistory request) {
        if (request == null) {
            throw ApiProblem.badRequest("A JSON body {\"versions\": [...]} is required.");
        }
        return Response.status(Response.Status.CREATED).entity(versions.importHistory(key, request)).build();
    }

}
