package io.termsledger.kit.messaging;

import io.quarkus.panache.common.Sort;
import io.termsledger.kit.rest.QueryParams;
import io.termsledger.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * One parked event as operators see it. {@code payload} is the record's value, or {@code base64:} and the
     * Base64 of its bytes when they are not storable text; {@code replayedAt}, {@code replayedBy} and
     * {@code replayOutcome} are set once it has been replayed.
     */
    public record View(long id, String topic, int partition, long offset, String key, String eventId, String eventType,
                       String reason, String payload, Instant parkedAt, Instant replayedAt, String replayedBy,
                       EventConsumers.ReplayOutcome replayOutcome) {
        static View of(ParkedEvent p) {
            return new View(p.id, p.topic, p.partition, p.offset, p.recordKey, p.eventId, p.eventType, p.reason, p.payload,
                    p.parkedAt, p.replayedAt, p.replayedBy,
                    p.replayOutcome == null ? null : EventConsumers.ReplayOutcome.valueOf(p.replayOutcome));
        }
    }

    /** Which parked events a list shows. */
    public enum State {
        /** not replayed (yet) */
        PARKED,
        /** replayed */
        REPLAYED
    }

    @Inject
    EventConsumers consumers;

    /** A page of parked events. */
    public record PageView(int page, int size, long total, List<View> items) {
    }

    @GET
    @RolesAllowed({Roles.AGREEMENT_ADMIN, Roles.AUDITOR})
    @Operation(summary = "Events that could not be applied (kept for an operator)")
    public PageView list(@QueryParam("topic") String topic,
                         @Parameter(description = "PARKED (not replayed) or REPLAYED; both when absent")
                         @QueryParam("state") String stateParam,
                         @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "0"))
                         @QueryParam("page") String pageParam,
                         @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", defaultValue = "50"))
                         @QueryParam("size") String sizeParam) {
        int page = QueryParams.integer("page", pageParam, 0, 0, Integer.MAX_VALUE);
        int size = QueryParams.integer("size", sizeParam, 50, 1, MAX_PAGE_SIZE);
        State state = QueryParams.oneOf("state", stateParam, State.class);
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        if (topic != null && !topic.isBlank()) {
            where.add("topic = :topic");
            params.put("topic", topic);
        }
        if (state != null) {
            where.add(state == State.PARKED ? "replayedAt is null" : "replayedAt is not null");
        }
        var query = ParkedEvent.<ParkedEvent>find(where.isEmpty() ? "1 = 1" : String.join(" and ", where),
                Sort.descending("id"), params);
        long first = (long) page * size;
        // a page past the largest offset a query takes holds nothing (and there are never that many parked events)
        List<ParkedEvent> found = first + size - 1 > Integer.MAX_VALUE ? List.of()
                : query.range((int) first, (int) (first + size - 1)).list();
        return new PageView(page, size, query.count(), found.stream().map(View::of).toList());
    }

    @POST
    @Path("/{id}/replay")
    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @Operation(summary = "Apply a parked event again once its cause is gone",
            description = "Through the consumer of its topic, exactly once: 409 when it was replayed before, 422 with"
                    + " the reason while it is still refused (it then stays parked as it was).")
    public View replay(@PathParam("id") long id, @Context SecurityContext security) {
        return View.of(consumers.replay(id, security.getUserPrincipal().getName()));
    }
}
