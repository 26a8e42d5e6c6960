package io.termsledger.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.termsledger.kit.time.InstantRange;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of every endpoint becomes an RFC 9457 problem document: no stack
 * traces, class names or SQL ever reach a caller.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** What {@code Retry-After} says while the database cannot be reached. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p) {
        return Problems.of(p);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        ApiProblem inside = problemInside(e);
        if (inside != null) {
            return Problems.of(inside);
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            // Quarkus REST wraps body parse errors; say where the body is broken
            return json(j);
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        return Problems.response(status, slugFor(status), title, detailFor(status), null);
    }

    @ServerExceptionMapper
    public Response unauthenticated(io.quarkus.security.UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return Problems.response(403, "forbidden", "Forbidden", detailFor(403), null);
    }

    private static Response unauthenticated() {
        Response r = Problems.response(401, "unauthenticated", "Unauthorized",
                "A valid bearer token is required: signed by the configured issuer, for this audience, not expired.", null);
        r.getHeaders().putSingle("WWW-Authenticate", "Bearer");
        return r;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldOf(v), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .collect(Collectors.toList());
        String detail = violations.stream().map(v -> v.get("field") + ": " + v.get("message"))
                .collect(Collectors.joining("; "));
        return Problems.response(400, "validation-failed", "Validation failed", detail, Map.of("violations", violations));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e) {
        ApiProblem inside = problemInside(e);
        if (inside != null) {
            return Problems.of(inside);
        }
        return Problems.response(400, "malformed-json", "Malformed request body", describe(e), null);
    }

    /**
     * A refusal raised while the body was read (the chunked body limit, from inside the stream), which Jackson
     * wraps when it reads a known member: the refusal is the answer, not "malformed JSON".
     */
    private static ApiProblem problemInside(Throwable e) {
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c instanceof ApiProblem p) {
                return p;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e) {
        return json(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof WebApplicationException w) {
            return webApplication(w);
        }
        String ref = UUID.randomUUID().toString();
        if (DatabaseOutage.isCause(e)) {
            // the operators' matter, not the request's: no stack trace, and the caller is told to come back
            LOG.warnf("database unreachable, reference %s: %s", ref, Causes.rootCause(e));
            Response r = Problems.response(503, "database-unavailable", "Service unavailable",
                    "The service cannot reach its database just now; retry shortly. Reference " + ref + ".",
                    Map.of("reference", ref));
            r.getHeaders().putSingle("Retry-After", String.valueOf(DATABASE_RETRY_AFTER_SECONDS));
            return r;
        }
        if (TransactionConflict.isCause(e)) {
            // another transaction held what this one needed: nothing was written, and the same request again succeeds
            LOG.infof("transaction conflict, reference %s: %s", ref, Causes.rootCause(e));
            Response r = Problems.response(503, TransactionConflict.SLUG, "Service unavailable",
                    "The request met a concurrent change and nothing was written; send it again. Reference " + ref + ".",
                    Map.of("reference", ref));
            r.getHeaders().putSingle("Retry-After", "1");
            return r;
        }
        if (UnstorableText.isCause(e)) {
            // the request's own text: the database refused to store or compare it, and nothing was written
            return Problems.response(400, UnstorableText.SLUG, "Bad request", UnstorableText.DETAIL, null);
        }
        LOG.errorf(e, "unexpected failure, reference %s", ref);
        return Problems.response(500, "internal-error", "Internal error",
                "The request could not be completed. Quote reference " + ref + " to the operators.",
                Map.of("reference", ref));
    }

    /** A caller-readable account of a JSON error: where, and what was expected; no class names. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + u.getPropertyName() + "' at " + path(u)
                    + ": remove it (known fields: " + u.getKnownPropertyIds() + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' has an invalid value '" + f.getValue() + "'"
                    + (f.getTargetType() != null ? " (expected " + friendly(f.getTargetType()) + ")" : "");
        }
        if (e instanceof MismatchedInputException m) {
            return "Field '" + path(m) + "' has the wrong type"
                    + (m.getTargetType() != null ? " (expected " + friendly(m.getTargetType()) + ")" : "");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' could not be read: " + firstLine(m.getOriginalMessage());
        }
        var loc = e.getLocation();
        return "The body is not valid JSON" + (loc != null ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : "")
                + ": " + firstLine(e.getOriginalMessage());
    }

    private static String friendly(Class<?> type) {
        if (type.isEnum()) {
            Object[] values = type.getEnumConstants();
            return "one of " + Arrays.toString(values);
        }
        return switch (type.getSimpleName()) {
            case "Instant", "OffsetDateTime" -> InstantRange.EXPECTED;
            case "int", "Integer", "long", "Long" -> "an integer";
            case "boolean", "Boolean" -> "true or false";
            case "String" -> "a string";
            default -> type.isArray() || Collection.class.isAssignableFrom(type) ? "an array" : "an object";
        };
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "(body)" : p.replace(".[", "[");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        // Jackson messages can name Java classes; keep only what a caller can act on. The segments are
        // bounded: a repeated group is matched by recursion, and the message may quote the caller's text.
        return line.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z0-9_$]+){1,32}`", "value").trim();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "create.arg0.key" -> "key": drop the method and parameter segments
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : path;
    }

    private static String slugFor(int status) {
        return switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "too-many-requests";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
    }

    private static String detailFor(int status) {
        return switch (status) {
            case 401 -> "A valid bearer token is required.";
            case 403 -> "Your role does not allow this operation.";
            case 404 -> "No resource at this address.";
            case 405 -> "This address does not support that HTTP method.";
            case 406 -> "This endpoint answers application/json only; accept that media type.";
            case 413 -> "The request body exceeds the configured limit.";
            case 415 -> "Send the body as application/json.";
            default -> status >= 500 ? "The request could not be completed." : "The request could not be processed.";
        };
    }
}
