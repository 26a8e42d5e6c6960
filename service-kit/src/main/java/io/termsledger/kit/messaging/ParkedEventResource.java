package io.termsledger.kit.messaging;

import io.quarkus.panache.common.Sort;
import io.termsledger.kit.rest.QueryParams;
import io.termsledger.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Events this service's consumers parked instead of applying, newest first. */
@Path("/admin/parked-events")
@Tag(name = "Operations")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventResource {

    static final int MAX_PAGE_SIZE = 200;

    /** One parked event as operators see it. */
    public record View(long id, String topic, int partition, long offset, String eventId, String eventType,
                       String reason, String payload, Instant parkedAt) {
    }

    /** A page of parked events. */
    public record PageView(int page, int size, long total, List<View> items) {
    }

    @GET
    @RolesAllowed({Roles.AGREEMENT_ADMIN, Roles.AUDITOR})
    @Operation(summary = "Events that could not be applied (kept for an operator)")
    public PageView list(@QueryParam("topic") String topic,
                         @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "0"))
                         @QueryParam("page") String pageParam,
                         @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "50"))
                         @QueryParam("size") String sizeParam) {
        int page = QueryParams.integer("page", pageParam, 0, 0, Integer.MAX_VALUE);
        int size = QueryParams.integer("size", sizeParam, 50, 1, MAX_PAGE_SIZE);
        var query = topic == null || topic.isBlank()
                ? ParkedEvent.<ParkedEvent>findAll(Sort.descending("id"))
                : ParkedEvent.<ParkedEvent>find("topic", Sort.descending("id"), topic);
        long first = (long) page * size;
        // a page past the largest offset a query takes holds nothing (and there are never that many parked events)
        List<ParkedEvent> found = first + size - 1 > Integer.MAX_VALUE ? List.of()
                : query.range((int) first, (int) (first + size - 1)).list();
        List<View> items = found.stream()
                .map(p -> new View(p.id, p.topic, p.partition, p.offset, p.eventId, p.eventType, p.reason, p.payload,
                        p.parkedAt))
                .toList();
        return new PageView(page, size, query.count(), items);
    }
}
