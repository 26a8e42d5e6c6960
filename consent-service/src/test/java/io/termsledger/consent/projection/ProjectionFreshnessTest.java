package io.termsledger.consent.projection;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.service.ProjectionService;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A status answered from the projection is the engine's answer: never the stored answer of
 * a row the sweep has claimed but not yet re-evaluated, and never an answer computed from a
 * catalog older than a publication that has committed.
 */
@QuarkusTest
class ProjectionFreshnessTest {

    @Inject
    Agreements agreements;

    @Inject
    AgreementRepository repository;

    @Inject
    ProjectionService projection;

    @Inject
    AgroalDataSource dataSource;

    String key;
    String agreementJson;
    String user;
    final Instant notice = Instant.now().minus(Duration.ofDays(40));

    @BeforeEach
    void userOnVersionOne() {
        Agreements.Registered a = agreements.generalWithVersionOne("fresh", 7, "ON_EFFECTIVE_DATE", false, notice);
        key = a.key();
        agreementJson = a.json();
        user = Agreements.unique("u");
        Api.accept(user, key, 1, "CLICK", Instant.now().minus(Duration.ofDays(1))).statusCode(201);
        Api.status(user, key, null).statusCode(200).body("governingVersion", equalTo(1)).body("pending.size()", equalTo(0));
    }

    @Test
    void aRowTheSweepHasClaimedIsAnsweredFromTheLedgerUntilItIsReEvaluated() throws Exception {
        Instant n2 = Instant.now().minus(Duration.ofHours(1));
        try (Connection lock = dataSource.getConnection()) {
            // hold the user's chain lock: the sweep claims the row, then waits for the lock before re-evaluating it
            lock.setAutoCommit(false);
            try (PreparedStatement s = lock.prepareStatement("select 1 from chain_head where user_id = ? for update")) {
                s.setString(1, user);
                assertTrue(s.executeQuery().next());
            }
            agreements.publish(key, agreementJson, 2, n2, n2.plus(Duration.ofDays(7)), 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> claimedUntil() != null);

            JsonPath claimed = Api.status(user, key, null).statusCode(200).extract().jsonPath();
            assertEquals(1, claimed.getInt("governingVersion"));
            assertEquals(List.of(2), claimed.getList("pending.version"), "revision 2 while the row is claimed");
            assertEquals("SCHEDULED", claimed.getString("pending[0].state"));
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> claimedUntil() == null && storedStatus().contains("\"version\":2"));
        Api.status(user, key, null).statusCode(200).body("pending.version", hasItem(2));
    }

    @Test
    void aReEvaluationReadsTheCatalogAPublicationCommittedNotAStaleCachedOne() throws Exception {
        Instant n2 = Instant.now().minus(Duration.ofHours(1));
        // this instance has just cached the catalog (version 1 only) ...
        assertEquals(1, repository.versions(key).size());
        // ... when another instance applies the publication of version 2, as AgreementEventsConsumer does
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            update(c, "update agreement set revision = revision + 1 where agreement_key = ?", key);
            update(c, "insert into agreement_version (agreement_key, version, label, notice_at, effective_at, content_sha256,"
                    + " previous_version) values (?, 2, 'v2', ?, ?, ?, 1)", key, at(n2), at(n2.plus(Duration.ofDays(7))),
                    Agreements.sha(key + " version 2"));
            update(c, "update user_agreement_status set next_check_at = now() where agreement_key = ?", key);
            c.commit();
        }
        projection.refreshInOwnTransaction(user, key);

        assertTrue(storedStatus().contains("\"version\":2"), "the stored answer knows revision 2: " + storedStatus());
        JsonPath status = Api.status(user, key, null).statusCode(200).extract().jsonPath();
        assertEquals(List.of(2), status.getList("pending.version"));
    }

    /**
     * A fact that leaves the answer as it was (the governing version accepted again) does not rewrite the
     * row; one that changes it (an objection, which the answer's notes record) does.
     */
    @Test
    void aFactThatChangesNoAnswerLeavesTheStoredRowAsItWas() throws Exception {
        String rowVersion = "select xmin::text || '/' || evaluated_at from user_agreement_status"
                + " where user_id = ? and agreement_key = ?";
        String first = query(rowVersion, rs -> rs.getString(1));
        String basis = Api.status(user, key, null).extract().path("basis.eventId");

        Api.accept(user, key, 1, "CLICK", null).statusCode(201);
        assertEquals(first, query(rowVersion, rs -> rs.getString(1)), "the same answer is not written again");
        Instant asked = Instant.now();
        JsonPath again = Api.status(user, key, null).statusCode(200).extract().jsonPath();
        assertEquals(1, again.getInt("governingVersion"));
        assertEquals(basis, again.getString("basis.eventId"), "the first acceptance is still the basis");
        assertFalse(Instant.parse(again.getString("at")).isBefore(asked.minusSeconds(1)), "answered at now: " + again.get("at"));

        Api.object(user, key, 1, Instant.now().minusSeconds(1)).statusCode(201);
        assertNotEquals(first, query(rowVersion, rs -> rs.getString(1)), "a changed answer is written");
        assertTrue(storedStatus().contains("OBJECTION_AFTER_BINDING"), storedStatus());
    }

    /** The same answer with another next check is written again: the row must not keep a check the engine did not set. */
    @Test
    void aFactAfterWhichOnlyTheNextCheckDiffersRewritesTheRow() throws Exception {
        Instant stray = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            update(c, "update user_agreement_status set next_check_at = ? where user_id = ? and agreement_key = ?",
                    at(stray), user, key);
        }
        Api.accept(user, key, 1, "CLICK", null).statusCode(201);
        Instant next = query("select next_check_at from user_agreement_status where user_id = ? and agreement_key = ?",
                rs -> rs.getObject(1, OffsetDateTime.class) == null ? null : rs.getObject(1, OffsetDateTime.class).toInstant());
        assertNotEquals(stray, next, "the engine's next check (none: every date of version 1 has passed) is stored");
    }

    private Instant claimedUntil() throws SQLException {
        return query("select claimed_until from user_agreement_status where user_id = ? and agreement_key = ?",
                rs -> rs.getObject(1, OffsetDateTime.class) == null ? null : rs.getObject(1, OffsetDateTime.class).toInstant());
    }

    private String storedStatus() throws SQLException {
        return query("select status_json from user_agreement_status where user_id = ? and agreement_key = ?",
                rs -> rs.getString(1));
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Column<T> column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, user);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "a projection row for " + user);
                return column.read(rs);
            }
        }
    }

    private static OffsetDateTime at(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
