package io.termsledger.consent.projection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.JwtTestSupport;
import io.termsledger.kit.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        Instant notice = Instant.now().minus(Duration.ofDays(40));
        key = agreements.generalWithVersionOne("route", 7, "ON_EFFECTIVE_DATE", false, notice).key();
        user = Agreements.unique("u");
        Api.accept(user, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
    }

    @Test
    void theRouterAnswersTheCallersTheResourceLetsReadWithTheEnginesDocument() {
        for (String token : new String[] {TestTokens.role(Roles.AUDITOR, "an-auditor"),
                TestTokens.role(Roles.CONSENT_WRITER, "a-writer"), TestTokens.user(user)}) {
            Response answer = byRouter(() -> given().header("Authorization", "Bearer " + token)
                    .get("/users/{u}/agreements/{k}/status", user, key));
            assertEquals(200, answer.statusCode());
            assertEquals("application/json", answer.contentType());
            Instant at = Instant.parse(answer.jsonPath().getString("at"));
            Map<String, Object> engine = Api.status(user, key, at).statusCode(200).extract().jsonPath().getMap("");
            assertEquals(withoutAt(engine), withoutAt(answer.jsonPath().getMap("")),
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
        // no token, a role the resource does not allow, another user, a token that does not verify
        passedOn(() -> anonymous(() -> given().get(path)), 401);
        passedOn(() -> bearer(TestTokens.role(Roles.AGREEMENT_ADMIN, "an-admin")).get(path), 403);
        Response other = passedOn(() -> bearer(TestTokens.user(Agreements.unique("other"))).get(path), 404);
        assertEquals("application/problem+json", other.contentType().split(";")[0]);
        passedOn(() -> bearer(TestTokens.forged(Roles.AUDITOR)).get(path), 401);
        // an Accept the resource does not serve
        passedOn(() -> given().header("Accept", "text/plain").get(path), 406);
        // an unknown agreement
        passedOn(() -> given().get("/users/{u}/agreements/{k}/status", user, Agreements.unique("none")), 404);
        // an instant
        passedOn(() -> given().queryParam("at", Instant.now().toString()).get(path), 200);
        // an id too long
        passedOn(() -> given().get("/users/{u}/agreements/{k}/status", "x".repeat(201), key), 400);
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
        repository.find(key);
        double before = reads("router");
        Response answer = request.get();
        assertEquals(status, answer.statusCode(), answer.asString());
        assertEquals(before, reads("router"), "not answered by the router");
        return answer;
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
