package io.termsledger.consent.projection;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.consent.support.Logged;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.JwtTestSupport;
import io.termsledger.kit.testing.TestTokens;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plain status query is answered from the router before the REST layer ({@code StatusRoute}), with the
 * document the REST layer gives; whatever the route is not sure of goes on to the REST layer, which answers
 * or refuses it exactly as before.
 */
@QuarkusTest
class StatusRouteTest {

    @Inject
    Agreements agreements;

    @Inject
    AgreementRepository repository;

    @Inject
    MeterRegistry metrics;

    String key;
    String user;

    @BeforeEach
    void userOnVersionOne() {
        user = Agreements.unique("u");
        key = agreements.clickedVersionOne("route", user);
    }

    @Test
    void theRouterAnswersTheCallersTheResourceLetsReadWithTheEnginesDocument() {
        for (String token : new String[] {TestTokens.role(Roles.AUDITOR, "an-auditor"),
                TestTokens.role(Roles.CONSENT_WRITER, "a-writer"), TestTokens.user(user)}) {
            Response answer = byRouter(() -> given().header("Authorization", "Bearer " + token)
                    .get("/users/{u}/agreements/{k}/status", user, key));
            assertEquals(200, answer.statusCode());
            Instant at = Instant.parse(answer.jsonPath().getString("at"));
            Response rest = Api.status(user, key, at).statusCode(200).extract().response();
            assertEquals(rest.contentType(), answer.contentType(), "the REST layer's content type");
            assertEquals(withoutAt(rest.jsonPath().getMap("")), withoutAt(answer.jsonPath().getMap("")),
                    "the router's answer is the engine's answer from the ledger");
        }
    }

    @Test
    void aPlusInTheIdIsTheIdServed() {
        String plus = Agreements.unique("p") + "+x";
        Api.accept(plus, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
        Response answer = byRouter(() -> given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + TestTokens.user(plus))
                .get("/users/" + plus + "/agreements/" + key + "/status"));
        assertEquals(200, answer.statusCode());
        assertEquals(plus, answer.jsonPath().getString("userId"));
        assertEquals(1, answer.jsonPath().getInt("governingVersion"));
    }

    @Test
    void whatTheRouterIsNotSureOfIsAnsweredByTheRestLayerAsBefore() {
        String path = "/users/" + user + "/agreements/" + key + "/status";
        // no token, a role the resource does not allow, another user
        passedOn(() -> anonymous(() -> given().get(path)), 401);
        passedOn(() -> bearer(TestTokens.role(Roles.AGREEMENT_ADMIN, "an-admin")).get(path), 403);
        Response other = passedOn(() -> bearer(TestTokens.user(Agreements.unique("other"))).get(path), 404);
        assertEquals("application/problem+json", other.contentType().split(";")[0]);
        // a user token that also holds agreement-admin: another user's record, for the REST layer to refuse as unknown
        passedOn(() -> bearer(TestTokens.token("an-admin-user", Set.of(Roles.USER, Roles.AGREEMENT_ADMIN),
                Duration.ofMinutes(10))).get(path), 404);
        // an Accept the resource does not serve, or serves only after negotiation
        passedOn(() -> given().header("Accept", "text/plain").get(path), 406);
        passedOn(() -> given().header("Accept", "application/json; charset=utf-8").get(path), 200);
        // an unknown agreement
        passedOn(() -> given().get("/users/{u}/agreements/{k}/status", user, Agreements.unique("none")), 404);
        // an instant, or any other query string
        passedOn(() -> given().queryParam("at", Instant.now().toString()).get(path), 200);
        passedOn(() -> given().queryParam("x", "1").get(path), 200);
        // an id too long
        passedOn(() -> given().get("/users/{u}/agreements/{k}/status", "x".repeat(201), key), 400);
        // a matrix parameter, a dot segment: whatever the REST layer makes of them, not the router's
        passedOn(() -> given().urlEncodingEnabled(false).get("/users/" + user + ";v=1/agreements/" + key + "/status"),
                StatusRouteTest::anyButServerError);
        passedOn(() -> given().urlEncodingEnabled(false).get("/users/" + user + "/agreements/x/../" + key + "/status"),
                StatusRouteTest::anyButServerError);
    }

    /**
     * A token that does not verify is refused by the REST layer's 401 once: the route resolving the identity
     * first must not hand the failed request on a second time (which logged "Response has already been
     * written" at ERROR for every such request).
     */
    @Test
    void aTokenThatDoesNotVerifyIsRefusedOnceWithoutAnError() {
        String path = "/users/" + user + "/agreements/" + key + "/status";
        // what Vert.x and Quarkus's HTTP layer log at ERROR meanwhile
        try (Logged errors = new Logged("", r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                && String.valueOf(r.getLoggerName()).matches("io\\.(quarkus\\.)?vertx(\\..*)?"))) {
            for (String token : new String[] {TestTokens.forged(Roles.AUDITOR), TestTokens.expired(Roles.AUDITOR)}) {
                Response refused = passedOn(() -> bearer(token).get(path), 401);
                assertEquals("application/problem+json", refused.contentType().split(";")[0]);
            }
            assertEquals(List.of(), errors.lines(), "nothing logged at ERROR");
        }
    }

    /** The absolute form of a request line is the REST layer's too: its URL text checks see the whole target. */
    @Test
    void anAbsoluteFormRequestLineIsTheRestLayers() throws IOException {
        repository.find(key);
        double before = reads("router");
        String target = "http://localhost:" + RestAssured.port + "/users/" + user + "/agreements/" + key + "/status";
        String answer = raw(target);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        String nul = "http://h%00x/users/" + user + "/agreements/" + key + "/status";
        assertTrue(raw(nul).startsWith("HTTP/1.1 400"), "the NUL in the target is refused");
        assertEquals(before, reads("router"), "not answered by the router");
    }

    private static String raw(String target) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port + "\r\n"
                    + "Authorization: Bearer " + TestTokens.operator() + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEncodedIdGoesThroughTheRestLayerToTheSameAnswer() {
        String spaced = Agreements.unique("s") + " x";
        Api.accept(spaced, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
        // RestAssured sends the space as %20
        Response answer = passedOn(() -> given().get("/users/{u}/agreements/{k}/status", spaced, key), 200);
        assertEquals(spaced, answer.jsonPath().getString("userId"));
        assertEquals(1, answer.jsonPath().getInt("governingVersion"));
    }

    private static Response anonymous(Supplier<Response> request) {
        Response[] answer = new Response[1];
        JwtTestSupport.anonymous(() -> answer[0] = request.get());
        return answer[0];
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** The answer of a request the router answered: the catalog is cached for a second, so three tries. */
    private Response byRouter(Supplier<Response> request) {
        double before = reads("router");
        Response answer = null;
        for (int i = 0; i < 3 && reads("router") == before; i++) {
            repository.find(key);
            answer = request.get();
        }
        assertEquals(before + 1, reads("router"), "answered by the router");
        return answer;
    }

    /** The answer of a request the router passed on to the REST layer, asserted to have {@code status}. */
    private Response passedOn(Supplier<Response> request, int status) {
        return passedOn(request, answer -> assertEquals(status, answer.statusCode(), answer.asString()));
    }

    private Response passedOn(Supplier<Response> request, Consumer<Response> check) {
        repository.find(key);
        double before = reads("router");
        Response answer = request.get();
        check.accept(answer);
        assertEquals(before, reads("router"), "not answered by the router");
        return answer;
    }

    private static void anyButServerError(Response answer) {
        assertTrue(answer.statusCode() < 500, answer.statusCode() + " " + answer.asString());
    }

    private double reads(String thread) {
        return metrics.counter("consent.status.reads", "thread", thread).count();
    }

    private static Map<String, Object> withoutAt(Map<String, Object> status) {
        Map<String, Object> m = new LinkedHashMap<>(status);
        m.remove("at");
        return m;
    }
}
