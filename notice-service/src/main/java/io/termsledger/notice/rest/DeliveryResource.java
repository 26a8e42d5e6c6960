package io.termsledger.notice.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.notice.domain.DeliveryStatus;
import io.termsledger.notice.service.DeliveryService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries", description = "Per-user delivery records and the reports of mail / SMS / push gateways")
public class DeliveryResource {

    /** What a gateway reports about one delivery. */
    public record Report(
            @NotBlank(message = "status is required: SENT, FAILED or DELIVERED") String status,
            @NotNull(message = "at is required: when the gateway saw it (ISO-8601 instant)") Instant at,
            @Size(max = DeliveryService.DETAIL_MAX, message = "detail is at most " + DeliveryService.DETAIL_MAX
                    + " characters") String detail) {
    }

    @Inject
    DeliveryService deliveries;

    @RolesAllowed({Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY})
    @GET
    @Path("/{id}")
    @Operation(summary = "One delivery with its report history")
    @APIResponse(responseCode = "404", description = "No such delivery")
    public DeliveryView get(@PathParam("id") String id) {
        return deliveries.find(uuid(id)).map(d -> DeliveryView.of(d.delivery(), d.reports()))
                .orElseThrow(() -> ApiProblem.notFound("no delivery " + id));
    }

    @RolesAllowed({Roles.NOTICE_GATEWAY, Roles.AGREEMENT_ADMIN})
    @POST
    @Path("/{id}/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report on a delivery (gateway callback)",
            description = "Appends SENT, FAILED or DELIVERED to the delivery's history; the latest report (by `at`) "
                    + "is its status. The first DELIVERED of a user for a revision of an INDIVIDUAL_DELIVERY "
                    + "agreement is published as notice.delivered-to-user.v1. The same reports may arrive on the "
                    + "topic agreements.notice-delivery-reports.")
    @APIResponse(responseCode = "201", description = "Recorded; the delivery with its history")
    @APIResponse(responseCode = "404", description = "No such delivery")
    @APIResponse(responseCode = "422", description = "`at` lies in the future, or before the delivery was requested")
    public Response report(@PathParam("id") String id,
                           @Valid @NotNull(message = "a JSON body is required") Report body) {
        UUID deliveryId = uuid(id);
        DeliveryStatus status = NoticeResource.parse(DeliveryStatus.class, body.status(), "status");
        if (!status.reportable()) {
            throw ApiProblem.badRequest("status must be SENT, FAILED or DELIVERED");
        }
        return deliveries.report(deliveryId, status, body.at(), body.detail(), "REST")
                .map(d -> Response.status(201).entity(DeliveryView.of(d.delivery(), d.reports())).build())
                .orElseThrow(() -> ApiProblem.notFound("no delivery " + id));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("no delivery '" + id + "' (delivery ids are UUIDs)");
        }
    }
}
