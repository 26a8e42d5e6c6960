package io.termsledger.notice.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.rest.QueryParams;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.config.NoticeConfig;
import io.termsledger.notice.domain.Channel;
import io.termsledger.notice.domain.DeliveryStatus;
import io.termsledger.notice.domain.NoticeType;
import io.termsledger.notice.repository.NoticeRecord;
import io.termsledger.notice.service.DeliveryService;
import io.termsledger.notice.service.NoticeService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/notices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notices", description = "Revision, withdrawal and other notices with legal lead times, and their "
        + "per-user deliveries")
public class NoticeResource {

    /** An admin notice: discontinuation, transfer to an affiliate, data-centre migration, data deletion, … */
    public record CreateNotice(
            @NotBlank(message = "type is required: DISCONTINUATION, AFFILIATE_TRANSFER, DATA_CENTRE_MIGRATION, "
                    + "DATA_DELETION, PROVIDER_TERMINATION or POLICY_CHANGE_TERMINATION") String type,
            @NotBlank(message = "agreementKey is required") String agreementKey,
            @NotNull(message = "effectiveAt is required (ISO-8601 instant)") Instant effectiveAt,
            @NotBlank(message = "message is required: what the users are told")
            @Size(max = 8000, message = "message is at most 8000 characters") String message) {
    }

    /** A page of deliveries. */
    public record DeliveryPage(int page, int size, long total, List<DeliveryView> items) {
    }

    @Inject
    NoticeService notices;

    @Inject
    DeliveryService deliveries;

    @Inject
    NoticeConfig config;

    @Inject
    AppClock clock;

    @Inject
    ObjectMapper json;

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Operation(summary = "List notices",
            description = "All notices, oldest first, optionally of one agreement and one type. A REVISION notice "
                    + "lists the clauses added, removed and modified, and calls out the highlighted ones.")
    public List<NoticeView> list(
            @Parameter(description = "Only notices of this agreement") @QueryParam("agreementKey") String agreementKey,
            @Parameter(description = "Only notices of this type, e.g. REVISION") @QueryParam("type") String type) {
        NoticeType t = type == null ? null : parse(NoticeType.class, type, "type");
        Instant now = clock.now();
        return notices.list(agreementKey, t).stream().map(n -> NoticeView.of(n, now, null, json)).toList();
    }

    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an admin notice",
            description = "Issues a notice with a legal lead time (DOMAIN.md §6) to every user bound to any version "
                    + "of the agreement. The lead time is checked against the agreement's own notice period for "
                    + "the type (policy.noticePeriods) or else the configured default (DISCONTINUATION 30, "
                    + "AFFILIATE_TRANSFER 30, DATA_CENTRE_MIGRATION 3, DATA_DELETION 7 natural days, …).")
    @APIResponse(responseCode = "201", description = "Issued; Location points at the notice. A request whose "
            + "Idempotency-Key issued a notice before gets that notice, with the header Idempotent-Replayed: true")
    @APIResponse(responseCode = "400", description = "Invalid body, or an Idempotency-Key that is blank or longer "
            + "than 200 characters")
    @APIResponse(responseCode = "422", description = "Lead time too short (the problem names earliestEffectiveAt), "
            + "unknown agreement, or an Idempotency-Key used before with another body")
    public Response create(
            @Parameter(description = "Optional key that makes retries safe: a retry with the same key and body gets "
                    + "the notice the first request issued instead of a second notice")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Valid @NotNull(message = "a JSON body is required") CreateNotice body, UriInfo uri) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ApiProblem.badRequest("The Idempotency-Key header must be 1 to 200 characters (e.g. a UUID),"
                    + " or left out.");
        }
        NoticeType type = parse(NoticeType.class, body.type(), "type");
        NoticeService.Issued issued = notices.issueAdminNotice(type, body.agreementKey(), body.effectiveAt(),
                body.message(), idempotencyKey);
        NoticeRecord n = issued.notice();
        Response.ResponseBuilder created = Response.created(uri.getBaseUriBuilder().path("notices")
                .path(n.id().toString()).build());
        if (!issued.replayed()) {
            return created.entity(NoticeView.of(n, clock.now(), 0L, json)).build();
        }
        // the notice as it is now (its status and deliveries move on), not as first answered
        return created.header("Idempotent-Replayed", "true")
                .entity(NoticeView.of(n, clock.now(), deliveries.count(n.id()), json)).build();
    }

    @RolesAllowed({Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/{id}")
    @Operation(summary = "One notice", description = "The notice with its changes, status and number of deliveries.")
    @APIResponse(responseCode = "404", description = "No such notice")
    public NoticeView get(@PathParam("id") String id) {
        NoticeRecord n = find(id);
        return NoticeView.of(n, clock.now(), deliveries.count(n.id()), json);
    }

    @RolesAllowed({Roles.AGREEMENT_ADMIN, Roles.AUDITOR})
    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "Deliveries of a notice",
            description = "One record per audience user and channel, ordered by user and channel, filterable by "
                    + "status, channel and user, in pages (0-based) of at most ledger.notices.max-page-size.")
    @APIResponse(responseCode = "404", description = "No such notice")
    public DeliveryPage deliveries(@PathParam("id") String id,
            @Parameter(description = "REQUESTED, SENT, FAILED or DELIVERED") @QueryParam("status") String status,
            @Parameter(description = "SITE, IN_APP, EMAIL or SMS") @QueryParam("channel") String channel,
            @Parameter(description = "Only this user's deliveries") @QueryParam("userId") String userId,
            @Parameter(description = "0-based page number",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "0"))
            @QueryParam("page") String pageParam,
            @Parameter(description = "Page size (max 500 by default)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "100"))
            @QueryParam("size") String sizeParam) {
        int page = QueryParams.integer("page", pageParam, 0, 0, Integer.MAX_VALUE);
        int size = QueryParams.integer("size", sizeParam, 100, 1, config.maxPageSize());
        NoticeRecord n = find(id);
        DeliveryStatus s = status == null ? null : parse(DeliveryStatus.class, status, "status");
        String c = channel == null ? null : parse(Channel.class, channel, "channel").name();
        DeliveryService.Page p = deliveries.page(n.id(), s, c, userId, page, size);
        return new DeliveryPage(page, size, p.total(), p.items().stream().map(d -> DeliveryView.of(d, null)).toList());
    }

    private NoticeRecord find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("no notice '" + id + "' (notice ids are UUIDs)");
        }
        return notices.find(uuid).orElseThrow(() -> ApiProblem.notFound("no notice " + id));
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field + " '" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
