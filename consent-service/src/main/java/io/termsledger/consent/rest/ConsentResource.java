package io.termsledger.consent.rest;

import jakarta.annotation.security.RolesAllowed;
import io.termsledger.kit.security.Roles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.termsledger.consent.service.Canonical;
import io.termsledger.consent.service.FactService;
import io.termsledger.consent.service.FactService.Draft;
import io.termsledger.consent.service.FactService.Recorded;
import io.termsledger.consent.service.FactWriter;
import io.termsledger.consent.service.IdempotencyService;
import io.termsledger.consent.service.QueryService;
import io.termsledger.consent.service.UsageService;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.DatabaseOutage;
import io.termsledger.kit.problem.ProblemMappers;
import io.termsledger.kit.problem.UnstorableText;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Writing to the ledger: acceptances, objections, usage, imports. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ledger", description = "Record acceptances, objections and usage (append-only, hash-chained per user)")
public class ConsentResource {

    static final int MAX_IMPORT_LINES = 10_000;
    static final int IMPORT_CHUNK = 500;
    /** What spreadsheet and Windows tools write at the start of a UTF-8 file. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    @Inject
    FactService facts;

    @Inject
    UsageService usage;

    @Inject
    FactWriter writer;

    @Inject
    IdempotencyService idempotency;

    @Inject
    QueryService queries;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** The answer to a recorded fact. */
    public record RecordedView(String eventId, String hash, String prevHash, String recordedAt) {
        static RecordedView of(Recorded r) {
            return new RecordedView(r.eventId().toString(), r.hash(), r.prevHash(), r.recordedAt().toString());
        }
    }

    @RolesAllowed(Roles.CONSENT_WRITER)
    @POST
    @Path("consents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record an acceptance",
            description = "Appends an ACCEPTED fact (CLICK, SEAL or USE) to the user's hash chain. The Idempotency-Key"
                    + " header is required: the same key with the same body replays the first answer; with another body"
                    + " it is refused (422); while the first request is still running a duplicate gets 409. The"
                    + " agreement and version must be known and published, not withdrawn at occurredAt, the method allowed"
                    + " by the agreement's policy, occurredAt not before the version's notice nor in the future. Client IP"
                    + " addresses are stored only as an HMAC.")
    @APIResponse(responseCode = "201", description = "Recorded: {eventId, hash, prevHash, recordedAt}")
    @APIResponse(responseCode = "400", description = "Missing Idempotency-Key or invalid body")
    @APIResponse(responseCode = "409", description = "A request with this key is still being processed")
    @APIResponse(responseCode = "422", description = "Key reused with another body, or the fact breaks a ledger rule")
    public CompletionStage<Response> accept(
            @Parameter(description = "Client-chosen key that makes retries safe (max 200 characters)", required = true)
            @HeaderParam("Idempotency-Key") String key,
            @Valid @NotNull ConsentRequest request) {
        return idempotent("consents", key, request, request.agreementKey(), () -> facts.prepareAccept(request, false));
    }

    @RolesAllowed(Roles.CONSENT_WRITER)
    @POST
    @Path("objections")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record an objection to a revision",
            description = "Appends an OBJECTED fact. An objection before the revision binds keeps the user on the earlier"
                    + " version (state OBJECTED); a later use still binds and lapses it. Idempotency-Key is optional here"
                    + " and has the same meaning as on POST /consents.")
    @APIResponse(responseCode = "201", description = "Recorded: {eventId, hash, prevHash, recordedAt}")
    @APIResponse(responseCode = "422", description = "The objection breaks a ledger rule (unknown version, before notice, …)")
    public CompletionStage<Response> object(
            @Parameter(description = "Optional key that makes retries safe") @HeaderParam("Idempotency-Key") String key,
            @Valid @NotNull ObjectionRequest request) {
        if (key == null) {
            return record(null, request.agreementKey(), () -> facts.prepareObject(request, false), outcome -> {
                RecordedView v = RecordedView.of(outcome.recorded());
                return created(v.eventId(), v);
            });
        }
        return idempotent("objections", key, request, request.agreementKey(), () -> facts.prepareObject(request, false));
    }

    @RolesAllowed({Roles.AUDITOR, Roles.CONSENT_WRITER})
    @GET
    @Path("consents/{eventId}")
    @Operation(summary = "One ledger fact", description = "A fact with its canonical form, prevHash and hash.")
    @APIResponse(responseCode = "200", description = "The fact")
    @APIResponse(responseCode = "404", description = "No such fact")
    public QueryService.FactView fact(@PathParam("eventId") String eventId) {
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("'" + eventId + "' is not a fact id (a UUID).");
        }
        return queries.fact(id).orElseThrow(() -> ApiProblem.notFound("No fact " + eventId + "."));
    }

    @RolesAllowed(Roles.CONSENT_WRITER)
    @POST
    @Path("usage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a usage signal",
            description = "The user used the service at occurredAt. Name the agreement, or the product: a product maps to"
                    + " its product terms and their general terms. Signals are stored bounded: only the earliest of each"
                    + " interval between effective dates is kept. The same signals arrive on Kafka topic usage.signals.")
    @APIResponse(responseCode = "202", description = "Accepted: {userId, occurredAt, agreements, stored}")
    @APIResponse(responseCode = "422", description = "Unknown agreement or product, or occurredAt in the future")
    public Response usage(@Valid @NotNull UsageRequest request) {
        return Response.accepted(usage.record(request, "rest")).build();
    }

    @RolesAllowed(Roles.CONSENT_WRITER)
    @POST
    @Path("consents/import")
    @Consumes({"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "Import historical facts (NDJSON)",
            description = "One JSON object per line: {type: ACCEPTED|OBJECTED|USAGE, userId, agreementKey (or product for"
                    + " USAGE), version, method, occurredAt (required), evidence?, reason?}; type defaults to ACCEPTED."
                    + " Every line is validated like a live fact and recorded on its own (marked imported); valid lines"
                    + " are kept even when others fail. The answer reports every line.")
    @APIResponse(responseCode = "200", description = "{lines, recorded, duplicates, rejected, results: [{line, status:"
            + " RECORDED|DUPLICATE|REJECTED, eventId?, error?}]}; a fact the ledger already holds (same user, agreement,"
            + " version, kind, method, instant, evidence and reason) is a DUPLICATE naming the stored fact, not recorded again")
    @APIResponse(responseCode = "400", description = "Empty body, more than 10000 lines, or a body that is not in its"
            + " charset (UTF-8 unless the content type names another): nothing is recorded")
    @APIResponse(responseCode = "422", description = "No line could be recorded: the problem lists each line's reason")
    public Map<String, Object> importFacts(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] bytes) {
        String body = bytes == null ? null : decode(bytes, contentType);
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("The body is empty: send one JSON fact per line (NDJSON).");
        }
        // a line ends with LF, CRLF or a lone CR (old Mac exports); JSON holds no raw CR in its text
        String[] lines = body.split("\r\n|\r|\n");
        if (lines.length > MAX_IMPORT_LINES) {
            throw ApiProblem.badRequest("At most " + MAX_IMPORT_LINES + " lines per import; split the file.");
        }
        List<Integer> numbers = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                numbers.add(i + 1);
                pending.add(lines[i].trim());
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        RuntimeException outage = null;
        for (int from = 0; from < pending.size(); from += IMPORT_CHUNK) {
            int to = Math.min(pending.size(), from + IMPORT_CHUNK);
            List<Integer> n = numbers.subList(from, to);
            List<String> chunk = pending.subList(from, to);
            if (outage == null) {
                try {
                    // one transaction per chunk: refusals write nothing, so they do not spoil the others
                    results.addAll(QuarkusTransaction.requiringNew().timeout(300).call(() -> importChunk(n, chunk)));
                    continue;
                } catch (RuntimeException e) {
                    if (!DatabaseOutage.isCause(e)) {
                        recordLineByLine(n, chunk, results);
                        continue;
                    }
                    // line by line would wait for the database once per line; this and later chunks are not recorded
                    outage = e;
                }
            }
            n.forEach(line -> results.add(notRecorded(line, true)));
        }
        int count = results.size();
        long recorded = results.stream().filter(r -> "RECORDED".equals(r.get("status"))).count();
        long duplicates = results.stream().filter(r -> "DUPLICATE".equals(r.get("status"))).count();
        long rejected = count - recorded - duplicates;
        if (recorded == 0 && duplicates == 0 && outage != null) {
            // nothing was recorded because the database could not be reached: a 503, not bad input
            throw outage;
        }
        if (recorded == 0 && duplicates == 0) {
            // nothing usable at all: that is bad input, not a partial import
            throw ApiProblem.unprocessable("no-line-recorded",
                    "None of the " + count + " lines could be recorded; see results for each line's problem.")
                    .with("lines", count).with("rejected", rejected).with("results", results);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", count);
        out.put("recorded", recorded);
        out.put("duplicates", duplicates);
        out.put("rejected", rejected);
        out.put("results", results);
        return out;
    }

    /**
     * The import's body as text, in the charset its content type names (UTF-8 when it names none). A body that
     * is not in that charset is refused, naming the line and the character within it: decoding it anyway would put U+FFFD in
     * place of the bad bytes and record facts for user ids or keys the file does not hold. A leading byte order
     * mark is dropped.
     */
    private static String decode(byte[] bytes, String contentType) {
        Charset charset = StandardCharsets.UTF_8;
        String named = null;
        try {
            named = contentType == null ? null : MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
            if (named != null) {
                charset = Charset.forName(named.strip());
            }
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(named == null ? "The Content-Type header cannot be read; send application/x-ndjson."
                    : "The content type's charset '" + named + "' is not one this service knows; send the file as UTF-8.");
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // counted in the text decoded before the bad bytes, with the line ends the import reads (LF, CRLF, a lone
            // CR), whatever the charset's width
            CharBuffer decoded = out.flip();
            int line = 1;
            int column = 1;
            for (int i = 0; i < decoded.limit(); i++) {
                char c = decoded.get(i);
                if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < decoded.limit() && decoded.get(i + 1) == '\n') {
                        i++;
                    }
                    line++;
                    column = 1;
                } else if (i > 0 || c != BYTE_ORDER_MARK.charAt(0)) {
                    column++;
                }
            }
            throw new ApiProblem(400, "invalid-encoding", "Bad request", "The body is not " + charset.name() + ": line "
                    + line + ", from character " + column + " of the line, holds bytes that are not " + charset.name()
                    + ". Save the file as " + charset.name() + " and send it again; nothing was recorded.").with("line", line);
        }
        String text = out.flip().toString();
        // a byte order mark, as spreadsheet and Windows tools write at the start of a UTF-8 file, is not the first
        // line's text (the UTF-16 and UTF-32 decoders drop theirs themselves)
        return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
    }

    /** After a chunk failed unexpectedly: each line in a transaction of its own, so that valid lines are kept. */
    private void recordLineByLine(List<Integer> numbers, List<String> lines, List<Map<String, Object>> results) {
        for (int k = 0; k < lines.size(); k++) {
            int line = numbers.get(k);
            String text = lines.get(k);
            try {
                results.addAll(QuarkusTransaction.requiringNew().call(() -> importChunk(List.of(line), List.of(text))));
            } catch (ApiProblem refused) {
                // validated against the cached catalog, refused under the locked one (a withdrawal committed meanwhile)
                results.add(rejected(line, refused.slug(), refused.getMessage()));
            } catch (RuntimeException lineFailure) {
                results.add(UnstorableText.isCause(lineFailure) ? unstorable(line) : notRecorded(line, false));
            }
        }
    }

    private static Map<String, Object> notRecorded(int line, boolean databaseUnreachable) {
        return rejected(line, "not-recorded", databaseUnreachable ? "the database could not be reached; retry this line"
                : "this line could not be recorded; retry it");
    }

    private static Map<String, Object> unstorable(int line) {
        return rejected(line, UnstorableText.SLUG, "a value holds the NUL character (\\u0000), which no field accepts; remove it");
    }

    private static Map<String, Object> rejected(int line, String problem, String error) {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("line", line);
        reject(res, problem, error);
        return res;
    }

    /** Marks a line's result REJECTED, with the problem's slug and what to fix. */
    private static void reject(Map<String, Object> res, String problem, String error) {
        res.put("status", "REJECTED");
        res.put("problem", problem);
        res.put("error", error);
    }

    /** An import line's use, recorded after the chunk's lines are read, and the line's result. */
    private record Use(UsageRequest request, Map<String, Object> result) {
    }

    /**
     * Imports a chunk in the caller's transaction: every line is validated on its own (a
     * refused line writes nothing); the chunk's accepted and objected facts are then
     * appended together, in line order.
     */
    private List<Map<String, Object>> importChunk(List<Integer> numbers, List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Draft> drafts = new ArrayList<>();
        List<Map<String, Object>> draftResults = new ArrayList<>();
        List<Use> uses = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("line", numbers.get(i));
            try {
                Draft d = importLine(lines.get(i), res, uses);
                res.put("status", "RECORDED");
                if (d != null) {
                    drafts.add(d);
                    draftResults.add(res);
                }
            } catch (ApiProblem p) {
                reject(res, p.slug(), p.getMessage());
            } catch (JsonProcessingException e) {
                reject(res, "malformed-json", "not a valid fact: " + ProblemMappers.describe(e));
            }
            out.add(res);
        }
        // the chunk's uses earliest first: a use is stored only when its interval holds no earlier one, so a history
        // exported newest first stored every line; in time order one row per interval (the answers are the same)
        uses.sort(Comparator.comparing(u -> u.request().occurredAt()));
        for (Use use : uses) {
            try {
                use.result().put("stored", usage.record(use.request(), "import", true).stored());
            } catch (ApiProblem p) {
                reject(use.result(), p.slug(), p.getMessage());
            }
        }
        List<FactService.ImportOutcome> outcomes = facts.recordImported(drafts);
        for (int i = 0; i < outcomes.size(); i++) {
            FactService.ImportOutcome o = outcomes.get(i);
            if (o.recorded() != null) {
                draftResults.get(i).put("eventId", o.recorded().eventId().toString());
                draftResults.get(i).put("hash", o.recorded().hash());
            } else {
                // the ledger holds this fact already (an import sent again, or the line twice): recorded once
                draftResults.get(i).put("status", "DUPLICATE");
                draftResults.get(i).put("eventId", o.duplicateOf().toString());
            }
        }
        return out;
    }

    /** Validates one line into {@code res}: a fact to append, or null for a use (added to {@code uses}, recorded after). */
    private Draft importLine(String line, Map<String, Object> res, List<Use> uses) throws JsonProcessingException {
        ImportLine l = json.readValue(line, ImportLine.class);
        if (l == null) {
            throw new ApiProblem(400, "malformed-json", "Bad request", "not a valid fact: a line is a JSON object, not null");
        }
        String type = l.type() == null ? "ACCEPTED" : l.type();
        res.put("type", type);
        switch (type) {
            case "ACCEPTED" -> {
                notCarried(type, "product", l.product(), "reason", l.reason());
                return facts.prepareAccept(valid(new ConsentRequest(l.userId(), l.agreementKey(), l.version(), l.method(),
                        l.occurredAt(), l.evidence())), true);
            }
            case "OBJECTED" -> {
                notCarried(type, "product", l.product(), "method", l.method(), "evidence", l.evidence());
                return facts.prepareObject(valid(new ObjectionRequest(l.userId(), l.agreementKey(), l.version(),
                        l.occurredAt(), l.reason())), true);
            }
            case "USAGE" -> {
                notCarried(type, "version", l.version(), "method", l.method(), "evidence", l.evidence(), "reason", l.reason());
                if (l.occurredAt() == null) {
                    throw ApiProblem.badRequest("occurredAt is required for imported facts");
                }
                UsageRequest r = valid(new UsageRequest(l.userId(), l.agreementKey(), l.product(), l.occurredAt()));
                uses.add(new Use(r, res));
                return null;
            }
            default -> throw ApiProblem.badRequest("type must be ACCEPTED, OBJECTED or USAGE, not '" + type + "'");
        }
    }

    /**
     * Refuses a line that names members its type does not record (pairs of name and value): recorded without
     * them, the line would lose what the client sent and still be reported RECORDED. Empty text and evidence
     * without any member lose nothing (exporters write every column), so they pass.
     */
    private static void notCarried(String type, Object... namesAndValues) {
        List<String> named = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (carries(namesAndValues[i + 1])) {
                named.add((String) namesAndValues[i]);
            }
        }
        if (!named.isEmpty()) {
            throw ApiProblem.badRequest(String.join(", ", named) + (named.size() == 1 ? " is" : " are") + " not part of "
                    + type + " lines: " + type + " facts do not record " + (named.size() == 1 ? "it" : "them")
                    + "; leave " + (named.size() == 1 ? "it" : "them") + " out or use another type");
        }
    }

    private static boolean carries(Object value) {
        if (value instanceof String text) {
            return !text.isBlank();
        }
        if (value instanceof ConsentRequest.Evidence e) {
            return !e.noMember();
        }
        return value != null;
    }

    private <T> T valid(T request) {
        Set<ConstraintViolation<T>> v = validator.validate(request);
        if (!v.isEmpty()) {
            throw ApiProblem.badRequest(v.stream().map(c -> c.getPropertyPath() + ": " + c.getMessage()).sorted()
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    /**
     * Records a fact under an idempotency key: replay, refuse, or record and remember the
     * answer (in the transaction that records the fact; see {@link FactWriter}).
     */
    private CompletionStage<Response> idempotent(String scope, String key, Object request, String agreementKey,
            Supplier<Draft> prepare) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.badRequest("The Idempotency-Key header is required: send a unique key per fact"
                    + " (e.g. a UUID) and reuse it when you retry.");
        }
        if (key.length() > 200) {
            throw ApiProblem.badRequest("The Idempotency-Key header is longer than 200 characters.");
        }
        String requestHash = Canonical.sha256Hex(Canonical.write(json.valueToTree(request)));
        IdempotencyService.Key k = new IdempotencyService.Key(scope, key, requestHash);
        Context context = Vertx.currentContext();
        Supplier<Draft> validated = () -> {
            try {
                return prepare.get();
            } catch (ApiProblem p) {
                throw new Refused(p);
            }
        };
        CompletionStage<Response> answer;
        try {
            answer = record(k, agreementKey, validated, outcome -> outcome.replay() != null
                    ? replayed(outcome.replay())
                    // the answer as stored for the key, so a replay returns the very same bytes
                    : created(outcome.recorded().eventId().toString(), outcome.answer()));
        } catch (Refused r) {
            answer = CompletableFuture.failedFuture(r);
        }
        // a retry is validated again, by today's rules; when they refuse it, an earlier use of its key decides
        // (its fact recorded before its version was withdrawn, say): the first answer is replayed, not the refusal
        return answer.exceptionallyCompose(e -> {
            if (!(e instanceof Refused r)) {
                return CompletableFuture.failedFuture(e);
            }
            // a database read: off the I/O thread
            CompletionStage<Optional<Object>> earlier = context == null
                    ? CompletableFuture.supplyAsync(() -> idempotency.earlier(k), Runnable::run)
                    : context.executeBlocking(() -> idempotency.earlier(k), false).toCompletionStage();
            return earlier.thenApply(found -> {
                Object claim = found.orElseThrow(() -> r.problem);
                if (claim instanceof ApiProblem p) {
                    throw p;
                }
                return replayed((IdempotencyService.Claim) claim);
            });
        });
    }

    /** A validation refusal of a request with a key, on its way to the key's look-up. */
    private static final class Refused extends RuntimeException {
        final transient ApiProblem problem;

        Refused(ApiProblem problem) {
            super(null, null, false, false);
            this.problem = problem;
        }
    }

    private Response replayed(IdempotencyService.Claim claim) {
        return Response.status(claim.status()).type(MediaType.APPLICATION_JSON).entity(claim.body())
                .header("Idempotent-Replayed", "true").location(location(claim.body())).build();
    }

    /**
     * Validates a fact, queues it with the {@link FactWriter} and answers once its batch has
     * committed, without holding a thread meanwhile. The request stays on its I/O thread when
     * validation needs no database (the agreement's catalog is cached, the usual case); else
     * validation runs on a worker thread first. The answer is built back on the I/O thread.
     */
    private CompletionStage<Response> record(IdempotencyService.Key key, String agreementKey, Supplier<Draft> prepare,
            Function<FactWriter.Outcome, Response> respond) {
        Context context = Vertx.currentContext();
        Executor resume = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        Function<Draft, CompletionStage<Response>> submit = draft -> writer.submit(key, draft,
                rec -> body(RecordedView.of(rec)), resume).thenApply(respond);
        CompletionStage<Response> answer = context == null || !Context.isOnEventLoopThread()
                || facts.preparesFromCache(agreementKey) ? submit.apply(prepare.get())
                : context.executeBlocking(prepare::get, false).toCompletionStage().thenCompose(submit);
        // a refusal reaches the problem mappers as itself, not wrapped by the stages it went through
        CompletableFuture<Response> out = new CompletableFuture<>();
        answer.whenComplete((response, e) -> {
            if (e == null) {
                out.complete(response);
            } else {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        return out;
    }

    private String body(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI location(String body) {
        try {
            return URI.create("/consents/" + json.readTree(body).path("eventId").asText());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Response created(String eventId, Object answer) {
        return Response.created(URI.create("/consents/" + eventId)).type(MediaType.APPLICATION_JSON).entity(answer).build();
    }

}
