package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.service.DeliveryService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeliveryReportTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    /** A running revision notice of an agreement with the given regime; returns its id. */
    private String runningRevision(String key, String measuredFrom, String... users) {
        Map<String, Object> agreement = Inputs.agreement(key, 7, measuredFrom, Map.of());
        Instant v1At = clock.now().minus(30, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        for (String u : users) {
            Inputs.bind(Inputs.bound(u, key, 1, null, v1At), UUID.randomUUID().toString());
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == users.length);
        Instant noticeAt = clock.now();
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(7, ChronoUnit.DAYS),
                Inputs.clausesV2(), false), UUID.randomUUID().toString());
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .get("/notices").then().extract().jsonPath().getString("[0].id"), v -> v != null);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/notices/" + id).then().extract().jsonPath().getBoolean("fanoutComplete"));
        return id;
    }

    private String deliveryOf(String noticeId, String user, String channel) {
        return given().queryParam("userId", user).queryParam("channel", channel)
                .get("/notices/" + noticeId + "/deliveries").then().statusCode(200).body("total", is(1))
                .extract().jsonPath().getString("items[0].id");
    }

    private static Map<String, Object> report(String status, Instant at) {
        return Map.of("status", status, "at", at.toString(), "detail", "gateway says " + status);
    }

    @Test
    void reportsAreKeptAsHistoryAndTheEarliestDeliveryPerUserIsPublishedUnderIndividualDelivery() throws Exception {
        Instant start = Instant.now();
        String key = Inputs.key("ind");
        String user = key + "-u1";
        String id = runningRevision(key, "INDIVIDUAL_DELIVERY", user);
        String email = deliveryOf(id, user, "EMAIL");
        String sms = deliveryOf(id, user, "SMS");
        Instant sent = clock.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        Instant delivered = sent.plusSeconds(10);

        given().contentType(ContentType.JSON).body(report("SENT", sent)).post("/deliveries/" + email + "/reports")
                .then().statusCode(201).body("status", is("SENT"));
        given().contentType(ContentType.JSON).body(report("DELIVERED", delivered))
                .post("/deliveries/" + email + "/reports").then().statusCode(201).body("status", is("DELIVERED"))
                .body("deliveredAt", is(delivered.toString())).body("reports.status", is(List.of("SENT", "DELIVERED")));
        // a late SENT (earlier instant) is kept in the history but does not move the status back
        given().contentType(ContentType.JSON).body(report("SENT", sent.minusSeconds(1)))
                .post("/deliveries/" + email + "/reports").then().statusCode(201).body("status", is("DELIVERED"))
                .body("reports.size()", is(3));
        // nor does a bounce reported after the delivery: the notice reached the user (the list by status counted
        // it FAILED before, and a resend of the failed ones would have notified them again)
        given().contentType(ContentType.JSON).body(report("FAILED", delivered.plusSeconds(20)))
                .post("/deliveries/" + email + "/reports").then().statusCode(201).body("status", is("DELIVERED"))
                .body("deliveredAt", is(delivered.toString())).body("reports.size()", is(4))
                .body("reports[3].status", is("FAILED"))
                .body("at", is(delivered.toString())); // when it reached DELIVERED, not the bounce's instant
        // the reports are the evidence: the database refuses to change or remove them (each try in a transaction
        // rolled back, so that a regression cannot take other tests' reports with it)
        for (String change : List.of("update delivery_report set status = 'DELIVERED' where delivery_id = '" + email + "'",
                "delete from delivery_report where delivery_id = '" + email + "'", "truncate delivery_report")) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                SQLException refused = assertThrows(SQLException.class, () -> st.executeUpdate(change), change);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
                c.rollback();
            }
        }
        assertEquals(4, Db.count(ds, "select count(*) from delivery_report where delivery_id = ?", UUID.fromString(email)));
        // the same user's SMS arrives later: not the first delivery any more
        given().contentType(ContentType.JSON).body(report("DELIVERED", delivered.plusSeconds(5)))
                .post("/deliveries/" + sms + "/reports").then().statusCode(201);
        // the in-app message had reached the user earlier, reported last: the notice period runs from it, so it is
        // published too (only the first report processed was, and the user's own effective date came too late)
        Instant earlier = delivered.minusSeconds(8);
        given().contentType(ContentType.JSON).body(report("DELIVERED", earlier))
                .post("/deliveries/" + deliveryOf(id, user, "IN_APP") + "/reports").then().statusCode(201);

        given().queryParam("status", "DELIVERED").get("/notices/" + id + "/deliveries").then()
                .body("total", is(3));
        given().queryParam("status", "REQUESTED").get("/notices/" + id + "/deliveries").then()
                .body("total", is(1));
        given().get("/deliveries/" + email).then().statusCode(200).body("reports.size()", is(4))
                .body("userId", is(user)).body("channel", is("EMAIL"));

        await().atMost(Duration.ofSeconds(30)).until(() -> Db.relayed(ds, user));
        List<ConsumerRecord<String, String>> events = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> "notice.delivered-to-user.v1".equals(TestKafka.header(r, "ce_type")) && r.value().contains(id));
        assertEquals(2, events.size(), "the first DELIVERED per user and notice, and the earlier one reported later");
        assertEquals(earlier, Instant.parse(Inputs.JSON.readTree(events.get(1).value()).get("deliveredAt").asText()));
        JsonNode data = Inputs.JSON.readTree(events.get(0).value());
        assertEquals(id, data.get("noticeId").asText());
        assertEquals(key, data.get("agreementKey").asText());
        assertEquals(2, data.get("version").asInt());
        assertEquals(user, data.get("userId").asText());
        assertEquals(delivered, Instant.parse(data.get("deliveredAt").asText()));
        assertEquals(key, events.get(0).key());
        // the deliveries asked of the gateways say that the date runs from each user's delivery, and by how many
        // days, so that a mailer can state it (effectiveAt alone is the agreement-wide date)
        List<ConsumerRecord<String, String>> requested = Tail.since(Topics.NOTICE_DELIVERIES, start,
                r -> r.value().contains(id));
        assertEquals(4, requested.size(), "one per channel");
        for (ConsumerRecord<String, String> r : requested) {
            JsonNode asked = Inputs.JSON.readTree(r.value());
            assertEquals("INDIVIDUAL_DELIVERY", asked.get("noticeMeasuredFrom").asText(), r.value());
            assertEquals(7, asked.get("requiredLeadDays").asInt(), r.value());
        }
    }

    /**
     * Under INDIVIDUAL_DELIVERY a revision binds a user only once the user was notified. A user bound to the
     * earlier version who joins the audience after the revision's date (a late import or event) still gets its
     * deliveries; before, joins looked only at notices not yet effective, and such a user was never bound.
     * Under ANNOUNCEMENT the announcement was the notice: a late joiner gets nothing.
     */
    @Test
    void aUserWhoJoinsAfterTheDateOfARevisionMeasuredFromDeliveryIsStillNotified() {
        for (String regime : List.of("INDIVIDUAL_DELIVERY", "ANNOUNCEMENT")) {
            String key = Inputs.key("late");
            Map<String, Object> agreement = Inputs.agreement(key, 7, regime, Map.of());
            Instant v1At = clock.now().minus(60, ChronoUnit.DAYS);
            Inputs.registerWithVersionOne(agreement, v1At);
            Instant noticeAt = clock.now().minus(20, ChronoUnit.DAYS);
            Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(7, ChronoUnit.DAYS),
                    Inputs.clausesV2(), false), UUID.randomUUID().toString());
            String id = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                    .get("/notices").then().extract().jsonPath().getString("[0].id"), v -> v != null);
            String user = key + "-late";
            String bound = Inputs.bind(Inputs.bound(user, key, 1, null, v1At), UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, bound));
            given().queryParam("userId", user).get("/notices/" + id + "/deliveries").then().statusCode(200)
                    .body("total", is(regime.equals("INDIVIDUAL_DELIVERY") ? 4 : 0));
        }
    }

    @Test
    void gatewayReportsAlsoArriveOnTheirTopicAndAnnouncementRegimesPublishNoPerUserEvent() {
        Instant start = Instant.now();
        String key = Inputs.key("ann");
        String user = key + "-u1";
        String id = runningRevision(key, "ANNOUNCEMENT", user);
        String site = deliveryOf(id, user, "SITE");
        Instant at = clock.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        String ce = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null, Map.of("deliveryId", site, "status", "FAILED", "at", at.toString(),
                        "detail", "mailbox full"));
        Inputs.send(Topics.DELIVERY_REPORTS, user, ce, "notice.delivery.reported.v1", null,
                Map.of("deliveryId", site, "status", "FAILED", "at", at.toString(), "detail", "mailbox full"));
        String delivered = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null,
                Map.of("deliveryId", site, "status", "DELIVERED", "at", at.plusSeconds(1).toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, delivered));
        JsonPath d = given().get("/deliveries/" + site).then().statusCode(200).body("status", is("DELIVERED"))
                .extract().jsonPath();
        assertEquals(List.of("FAILED", "DELIVERED"), d.getList("reports.status"), "a redelivered report counts once");
        assertEquals("event:" + ce, d.getString("reports[0].source"));
        assertEquals("mailbox full", d.getString("reports[0].detail"));
        // an unknown delivery on the topic is parked, not retried for ever
        String unknown = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null,
                Map.of("deliveryId", UUID.randomUUID().toString(), "status", "SENT", "at", at.toString()));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from parked_event where event_id = ?", unknown) == 1);
        // so is a detail longer than the REST callback takes (it was stored, however long)
        String tooLong = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null, Map.of("deliveryId", site, "status", "DELIVERED",
                        "at", at.plusSeconds(2).toString(), "detail", "x".repeat(DeliveryService.DETAIL_MAX + 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "select count(*) from parked_event where event_id = ? and reason like '%at most 2000 characters%'",
                tooLong) == 1);
        given().get("/deliveries/" + site).then().statusCode(200).body("reports.size()", is(2));
        List<ConsumerRecord<String, String>> events = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> "notice.delivered-to-user.v1".equals(TestKafka.header(r, "ce_type")) && r.value().contains(id));
        assertEquals(0, events.size(), "ANNOUNCEMENT agreements measure from the announcement");
    }

    @Test
    void aReportBeforeTheDeliveryWasRequestedOrInTheFutureIsRefusedOnBothPaths() {
        // under INDIVIDUAL_DELIVERY a revision takes effect for the user at the delivery plus the notice days: a
        // backdated DELIVERED was taken (and set deliveredAt) and would have shortened the user's notice period
        String key = Inputs.key("back");
        String user = key + "-u1";
        String id = runningRevision(key, "INDIVIDUAL_DELIVERY", user);
        String email = deliveryOf(id, user, "EMAIL");
        Instant requested = Instant.parse(given().get("/deliveries/" + email).then().extract().jsonPath()
                .getString("requestedAt"));
        given().contentType(ContentType.JSON).body(report("DELIVERED", requested.minus(1, ChronoUnit.DAYS)))
                .post("/deliveries/" + email + "/reports").then().statusCode(422).contentType("application/problem+json")
                .body("type", is("urn:terms-ledger:problem:report-before-request"))
                .body("requestedAt", is(requested.toString()));
        String backdated = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null, Map.of("deliveryId", email, "status", "DELIVERED",
                        "at", requested.minus(1, ChronoUnit.DAYS).toString()));
        // the topic had no check for the future at all
        String ahead = Inputs.send(Topics.DELIVERY_REPORTS, user, UUID.randomUUID().toString(),
                "notice.delivery.reported.v1", null, Map.of("deliveryId", email, "status", "DELIVERED",
                        "at", clock.now().plus(1, ChronoUnit.DAYS).toString()));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from parked_event where event_id in (?, ?)", backdated, ahead) == 2);
        given().get("/deliveries/" + email).then().statusCode(200).body("status", is("REQUESTED"))
                .body("deliveredAt", is((Object) null)).body("reports.size()", is(0));
        // a gateway clock a little behind ours is fine
        Instant slightlyBefore = requested.minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        given().contentType(ContentType.JSON).body(report("DELIVERED", slightlyBefore))
                .post("/deliveries/" + email + "/reports").then().statusCode(201)
                .body("deliveredAt", is(slightlyBefore.toString()));
    }

    @Test
    void pagingFilteringAndBadInput() {
        String key = Inputs.key("page");
        String[] users = {key + "-a", key + "-b", key + "-c"};
        String id = runningRevision(key, "ANNOUNCEMENT", users);
        JsonPath p0 = given().queryParam("size", 5).get("/notices/" + id + "/deliveries").then().statusCode(200)
                .body("total", is(12)).body("items.size()", is(5)).body("page", is(0)).extract().jsonPath();
        JsonPath p2 = given().queryParam("size", 5).queryParam("page", 2).get("/notices/" + id + "/deliveries")
                .then().statusCode(200).body("items.size()", is(2)).extract().jsonPath();
        assertEquals(users[0], p0.getString("items[0].userId"));
        assertEquals(users[2], p2.getString("items[1].userId"));
        given().queryParam("channel", "SMS").get("/notices/" + id + "/deliveries").then().body("total", is(3));
        given().queryParam("size", 501).get("/notices/" + id + "/deliveries").then().statusCode(400)
                .body("detail", containsString("500"));
        given().queryParam("page", -1).get("/notices/" + id + "/deliveries").then().statusCode(400);
        given().queryParam("status", "LOST").get("/notices/" + id + "/deliveries").then().statusCode(400)
                .body("detail", containsString("DELIVERED"));
        given().queryParam("channel", "PIGEON").get("/notices/" + id + "/deliveries").then().statusCode(400);

        String d = p0.getString("items[0].id");
        given().contentType(ContentType.JSON).body(report("LOST", clock.now())).post("/deliveries/" + d + "/reports")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(report("REQUESTED", clock.now()))
                .post("/deliveries/" + d + "/reports").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("status", "SENT")).post("/deliveries/" + d + "/reports")
                .then().statusCode(400).body("detail", containsString("at"));
        given().contentType(ContentType.JSON).body(report("SENT", clock.now().plus(1, ChronoUnit.DAYS)))
                .post("/deliveries/" + d + "/reports").then().statusCode(422);
        given().contentType(ContentType.JSON).body(report("SENT", clock.now()))
                .post("/deliveries/" + UUID.randomUUID() + "/reports").then().statusCode(404);
        given().get("/deliveries/" + UUID.randomUUID()).then().statusCode(404);
    }
}
