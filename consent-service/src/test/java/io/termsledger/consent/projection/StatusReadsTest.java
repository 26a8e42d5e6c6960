package io.termsledger.consent.projection;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In the REST layer, {@code GET …/status} answers a current projection row on the request's I/O thread
 * (the reactive client) and everything else on a worker thread; both give the engine's answer.
 */
@QuarkusTest
class StatusReadsTest {

    @Inject
    Agreements agreements;

    @Inject
    AgreementRepository repository;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    String key;
    String user;

    @BeforeEach
    void userOnVersionOne() {
        // a space in the id: its path is encoded, so the router passes these queries on to the REST layer
        // (StatusRouteTest), whose own ways to answer are tested here
        user = Agreements.unique("u") + " x";
        key = agreements.clickedVersionOne("reads", user);
    }

    @Test
    void aCurrentRowIsAnsweredOnTheIoThreadWithTheEnginesAnswer() {
        double io = reads("io");
        JsonPath answer = null;
        // the catalog is cached for a second: three tries, so that a stall between caching it and asking cannot fail this
        for (int i = 0; i < 3 && reads("io") == io; i++) {
            repository.find(key);
            answer = Api.status(user, key, null).statusCode(200).extract().jsonPath();
        }
        assertTrue(reads("io") > io, "answered on the I/O thread");
        Instant at = Instant.parse(answer.getString("at"));
        JsonPath engine = Api.status(user, key, at).statusCode(200).extract().jsonPath();
        assertEquals(withoutAt(engine), withoutAt(answer), "the stored answer is the engine's answer from the ledger");
        assertEquals(1, answer.getInt("governingVersion"));
    }

    /**
     * A user bound to nothing: the stored answer's NOT_BOUND note carried the instant the row was evaluated, so
     * the answer at now (the stored row, its 'at' replaced) and the engine's answer at that same instant differed.
     */
    @Test
    void anUnboundUsersStoredAnswerIsTheEnginesAnswerLater() {
        String unbound = Agreements.unique("unbound") + " x";
        Api.object(unbound, key, 1, Instant.now().minus(Duration.ofHours(1))).statusCode(201);
        JsonPath stored = Api.status(unbound, key, null).statusCode(200).extract().jsonPath();
        JsonPath engine = Api.status(unbound, key, Instant.parse(stored.getString("at"))).statusCode(200)
                .extract().jsonPath();
        assertEquals(null, (Object) stored.get("governingVersion"));
        assertEquals("NOT_BOUND", stored.getString("notes[-1].code"));
        assertEquals(withoutAt(engine), withoutAt(stored), "the stored answer is the engine's answer at its 'at'");
    }

    @Test
    void aRowDueForReEvaluationIsAnsweredOnAWorkerThread() throws Exception {
        try (Connection lock = dataSource.getConnection(); Connection c = dataSource.getConnection()) {
            // hold the user's chain lock, so that the sweep may claim the row but cannot re-evaluate it meanwhile
            lock.setAutoCommit(false);
            try (PreparedStatement s = lock.prepareStatement("select 1 from chain_head where user_id = ? for update")) {
                s.setString(1, user);
                assertTrue(s.executeQuery().next());
            }
            try (PreparedStatement s = c.prepareStatement("update user_agreement_status set next_check_at = now()"
                    + " - interval '1 second' where user_id = ? and agreement_key = ?")) {
                s.setString(1, user);
                s.setString(2, key);
                assertEquals(1, s.executeUpdate());
            }
            repository.find(key);
            double io = reads("io");
            double worker = reads("worker");
            Api.status(user, key, null).statusCode(200).body("governingVersion", equalTo(1)).body("userId", equalTo(user));
            assertEquals(io, reads("io"), "a row due for re-evaluation is not answered as it is stored");
            assertEquals(worker + 1, reads("worker"));
            lock.rollback();
        }
    }

    @Test
    void anInstantIsComputedOnAWorkerThread() {
        double worker = reads("worker");
        Instant before = Instant.now().minus(Duration.ofDays(2));
        Api.status(user, key, before).statusCode(200).body("governingVersion", equalTo(null))
                .body("at", equalTo(before.toString()));
        assertEquals(worker + 1, reads("worker"));
    }

    @Test
    void anUnknownAgreementIsNotFoundWhetherItsAbsenceIsCachedOrNot() {
        String unknown = Agreements.unique("none");
        for (int i = 0; i < 2; i++) {
            // the first asks the database (and caches the absence), the second answers from the cache
            Api.status(user, unknown, null).statusCode(404)
                    .body("detail", equalTo("No agreement '" + unknown + "' is known."));
        }
    }

    private double reads(String thread) {
        return metrics.counter("consent.status.reads", "thread", thread).count();
    }

    private static Map<String, Object> withoutAt(JsonPath status) {
        Map<String, Object> m = new LinkedHashMap<>(status.getMap(""));
        m.remove("at");
        return m;
    }
}
