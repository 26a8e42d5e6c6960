package io.termsledger.kit.time;

import io.smallrye.common.annotation.Blocking;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Moves "now" forward for the whole stack in the local and test profiles, so that a
 * 30-day notice period can be crossed in a test or a demo. In production
 * ({@code ledger.clock.adjustable} unset) an authorised call answers 404 like any unknown address (the role
 * check comes first: 401 without a valid token, 403 without the role).
 */
@Path("/admin/clock")
@Tag(name = "Clock (non-production)")
@Produces(MediaType.APPLICATION_JSON)
public class ClockResource {

    /** The service's current time and how far it was moved forward. */
    public record ClockView(Instant now, String offset) {
    }

    /** {@code advanceBy}: an ISO-8601 duration such as {@code P30D} or {@code PT6H}. */
    public record Advance(@NotNull String advanceBy) {
    }

    @Inject
    AppClock clock;

    @Inject
    ClockSync sync;

    @GET
    @RolesAllowed({Roles.AGREEMENT_ADMIN, Roles.AUDITOR})
    @Operation(summary = "The service's current time (non-production profiles only)")
    public ClockView get() {
        requireAdjustable();
        return new ClockView(clock.now(), clock.offset().toString());
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AGREEMENT_ADMIN)
    @Operation(summary = "Move time forward for every service of the stack (non-production profiles only)")
    public ClockView advance(@NotNull Advance body) throws Exception {
        requireAdjustable();
        if (body == null || body.advanceBy() == null) {
            throw ApiProblem.badRequest("advanceBy is required: an ISO-8601 duration such as P30D or PT6H");
        }
        Duration by;
        try {
            by = Duration.parse(body.advanceBy());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("advanceBy must be an ISO-8601 duration such as P30D or PT6H, not '"
                    + body.advanceBy() + "'");
        }
        if (by.isNegative() || by.isZero()) {
            throw ApiProblem.unprocessable("clock-backwards", "Time only moves forward: advanceBy must be positive.");
        }
        if (!within(clock.now(), by)) {
            throw ApiProblem.unprocessable("clock-out-of-range", "advanceBy " + body.advanceBy()
                    + " would move the clock past " + InstantRange.MAX + ", the latest instant the services take.");
        }
        sync.advance(by);
        return new ClockView(clock.now(), clock.offset().toString());
    }

    private static boolean within(Instant now, Duration by) {
        try {
            return InstantRange.contains(now.plus(by));
        } catch (ArithmeticException | DateTimeException e) {
            return false;
        }
    }

    private void requireAdjustable() {
        if (!sync.adjustable()) {
            throw ApiProblem.notFound("No resource at this address.");
        }
    }
}
