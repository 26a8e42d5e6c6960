package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.time.AppClock;
import io.termsledger.notice.service.EffectiveDateService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RevisionNoticeTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Inject
    EffectiveDateService effective;

    private static final List<String> CHANNELS = List.of("EMAIL", "IN_APP", "SITE", "SMS");

    @Test
    void publishedRevisionGivesOneNoticeAndOneDeliveryPerAudienceUserAndChannelEvenWhenEventsRepeat() throws Exception {
        Instant start = Instant.now();
        String key = Inputs.key("rev");
        Map<String, Object> agreement = Inputs.agreement(key, 30, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(100, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String u1 = key + "-alice";
        String u2 = key + "-bob";
        String u3 = key + "-carol"; // already bound to version 2: not in its audience
        String u4 = key + "-dave";  // joins while the notice runs
        String b1 = Inputs.bind(Inputs.bound(u1, key, 1, null, v1At), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(u1, key, 1, null, v1At), b1); // redelivered: same ce_id
        Inputs.bind(Inputs.bound(u2, key, 1, null, v1At), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(u3, key, 2, 1, v1At), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(key + "-other", "other-" + key, 1, null, v1At), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == 3);

        Instant noticeAt = clock.now().truncatedTo(ChronoUnit.SECONDS);
        Instant effectiveAt = noticeAt.plus(30, ChronoUnit.DAYS);
        Map<String, Object> v2 = Inputs.published(agreement, 2, 1, noticeAt, effectiveAt, Inputs.clausesV2(), false);
        String first = Inputs.publish(v2, UUID.randomUUID().toString());
        Inputs.publish(v2, first);                             // redelivered with the same ce_id
        String again = Inputs.publish(v2, UUID.randomUUID().toString()); // same content, another ce_id
        String join1 = Inputs.bind(Inputs.bound(u4, key, 1, null, noticeAt), UUID.randomUUID().toString());
        String join2 = Inputs.bind(Inputs.bound(u4, key, 1, null, noticeAt), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(u2, key, 1, null, v1At), UUID.randomUUID().toString()); // u2 again, new ce_id

        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, again) && Db.consumed(ds, join2)
                && Db.consumed(ds, join1));
        JsonPath list = given().queryParam("agreementKey", key).get("/notices").then().statusCode(200)
                .body("$", hasSize(1)).extract().jsonPath();
        String id = list.getString("[0].id");
        assertEquals("REVISION", list.getString("[0].type"));
        assertEquals(1, list.getInt("[0].fromVersion"));
        assertEquals(2, list.getInt("[0].toVersion"));
        assertEquals(noticeAt, Instant.parse(list.getString("[0].noticeAt")));
        assertEquals(effectiveAt, Instant.parse(list.getString("[0].effectiveAt")));
        assertEquals(30, list.getInt("[0].requiredLeadDays"));
        assertEquals(30, list.getInt("[0].actualLeadDays"));
        assertTrue(list.getBoolean("[0].leadTimeMet"));
        assertEquals("RUNNING", list.getString("[0].status"));
        assertEquals(List.of("9.1"), list.getList("[0].changes.added.id"));
        assertEquals(List.of("3.1.1", "8.4"), list.getList("[0].changes.modified.id"));
        assertEquals(List.of("8.4"), list.getList("[0].changes.highlighted"));
        assertEquals(List.of(), list.getList("[0].changes.removed"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/notices/" + id).then().extract().jsonPath().getBoolean("fanoutComplete"));
        JsonPath page = given().queryParam("size", 500).get("/notices/" + id + "/deliveries").then().statusCode(200)
                .body("total", is(12)).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        Map<Object, List<Object>> channelsByUser = items.stream().collect(Collectors.groupingBy(d -> d.get("userId"),
                Collectors.mapping(d -> d.get("channel"), Collectors.toList())));
        assertEquals(Set.of(u1, u2, u4), channelsByUser.keySet());
        channelsByUser.values().forEach(chs -> assertEquals(CHANNELS, chs.stream().sorted().toList()));
        items.forEach(d -> assertEquals("REQUESTED", d.get("status")));
        given().get("/notices/" + id).then().body("deliveries", is(12));

        // on Kafka: one delivery.requested per delivery, keyed by user; one notice.issued
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.relayed(ds, id));
        List<ConsumerRecord<String, String>> requested = Tail.since(Topics.NOTICE_DELIVERIES, start,
                r -> r.value().contains(id));
        assertEquals(12, requested.size(), "exactly one event per delivery");
        Set<String> deliveryIds = new HashSet<>();
        for (ConsumerRecord<String, String> r : requested) {
            assertEquals("notice.delivery.requested.v1", TestKafka.header(r, "ce_type"));
            JsonNode data = Inputs.JSON.readTree(r.value());
            assertEquals(r.key(), data.get("userId").asText(), "keyed by user id");
            deliveryIds.add(data.get("deliveryId").asText());
            assertEquals(Set.of("deliveryId", "noticeId", "noticeType", "userId", "channel", "agreementKey",
                    "fromVersion", "toVersion", "noticeAt", "effectiveAt", "noticeMeasuredFrom", "requiredLeadDays"),
                    fieldNames(data));
            assertEquals(id, data.get("noticeId").asText());
            assertEquals("REVISION", data.get("noticeType").asText());
            assertEquals(key, data.get("agreementKey").asText());
            assertEquals(1, data.get("fromVersion").asInt());
            assertEquals(2, data.get("toVersion").asInt());
            assertEquals(noticeAt, Instant.parse(data.get("noticeAt").asText()));
            assertEquals(effectiveAt, Instant.parse(data.get("effectiveAt").asText()));
            assertEquals("ANNOUNCEMENT", data.get("noticeMeasuredFrom").asText());
            assertEquals(30, data.get("requiredLeadDays").asInt());
        }
        assertEquals(12, deliveryIds.size());
        assertEquals(items.stream().map(d -> (String) d.get("id")).collect(Collectors.toSet()), deliveryIds);

        List<ConsumerRecord<String, String>> issued = Tail.since(Topics.AGREEMENT_NOTICES, start,
                r -> r.value().contains(id) && "notice.issued.v1".equals(TestKafka.header(r, "ce_type")));
        assertEquals(1, issued.size());
        JsonNode data = Inputs.JSON.readTree(issued.get(0).value());
        assertEquals(key, issued.get(0).key());
        assertEquals(Set.of("noticeId", "type", "agreementKey", "fromVersion", "toVersion", "noticeAt",
                "effectiveAt", "requiredLeadDays", "actualLeadDays", "changes"), fieldNames(data));
        assertEquals(Set.of("added", "removed", "modified", "highlighted"), fieldNames(data.get("changes")));
        assertEquals("8.4", data.get("changes").get("highlighted").get(0).asText());
    }

    /**
     * Version events consent-service's read model parks are parked here too, and give no notice: notice-service
     * announced revisions consent-service never learned (a missing noticeDays was read as 0 days), whose
     * acceptances it then refused as unknown.
     */
    @Test
    void aVersionEventConsentServiceWouldRefuseIsParkedAndAnnouncesNothing() {
        String key = Inputs.key("bad");
        Map<String, Object> agreement = Inputs.agreement(key, 7, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(10, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        Instant noticeAt = clock.now();
        // each spoilt event, by the ce_id it was sent under, and what its parked reason must name
        Map<String, String> parked = new LinkedHashMap<>();
        BiConsumer<String, Consumer<Map<String, Object>>> spoilt = (why, spoil) -> {
            Map<String, Object> policy = new LinkedHashMap<>(asMap(agreement.get("policy")));
            Map<String, Object> a = new LinkedHashMap<>(agreement);
            a.put("policy", policy);
            Map<String, Object> v2 = new LinkedHashMap<>(Inputs.published(a, 2, 1, noticeAt,
                    noticeAt.plus(8, ChronoUnit.DAYS), Inputs.clausesV2(), false));
            spoil.accept(v2);
            parked.put(Inputs.publish(v2, UUID.randomUUID().toString()), why);
        };
        spoilt.accept("policy.noticeDays", v2 -> asMap(asMap(v2.get("agreement")).get("policy")).remove("noticeDays"));
        spoilt.accept("scope must be GENERAL or PRODUCT", v2 -> asMap(v2.get("agreement")).put("scope", "SOMETIMES"));
        spoilt.accept("noticeMeasuredFrom has an unknown value", v2 -> asMap(asMap(v2.get("agreement")).get("policy"))
                .put("noticeMeasuredFrom", "WHENEVER"));
        spoilt.accept("effectiveAt lies before noticeAt", v2 -> v2.put("effectiveAt", noticeAt.minusSeconds(1).toString()));
        spoilt.accept("contentSha256", v2 -> v2.put("contentSha256", "not-a-hash"));
        spoilt.accept("version must be positive", v2 -> v2.put("version", 0));
        // consent-service's read model refuses these too: a notice for them would announce what it never took
        spoilt.accept("bindingRule has an unknown value", v2 -> asMap(asMap(v2.get("agreement")).get("policy"))
                .put("bindingRule", "WHEN_IT_SUITS"));
        spoilt.accept("policy.acceptanceMethods", v2 -> asMap(asMap(v2.get("agreement")).get("policy"))
                .remove("acceptanceMethods"));
        spoilt.accept("acceptanceMethods has an unknown value", v2 -> asMap(asMap(v2.get("agreement")).get("policy"))
                .put("acceptanceMethods", List.of("CLICK", "FAX")));
        spoilt.accept("no 'agreementKey'", v2 -> asMap(v2.get("agreement")).remove("agreementKey"));
        spoilt.accept("timezone is not an IANA zone", v2 -> asMap(v2.get("agreement")).put("timezone", "Mars/Olympus"));
        Map<String, Object> nullPeriod = new LinkedHashMap<>();
        nullPeriod.put("DATA_DELETION", null);
        spoilt.accept("noticePeriods must hold whole days", v2 -> asMap(asMap(v2.get("agreement")).get("policy"))
                .put("noticePeriods", nullPeriod));
        await().atMost(Duration.ofSeconds(30)).until(() -> parked.entrySet().stream().allMatch(p ->
                Db.count(ds, "select count(*) from parked_event where event_id = ? and reason like ?", p.getKey(),
                        "%" + p.getValue() + "%") == 1));
        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("size()", is(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** DOMAIN.md §6: the audience of product terms is their bound users and the product's users. */
    @Test
    void aProductsUsersWhoAreBoundToNoVersionOfItsTermsGetItsRevisionNotices() {
        String key = Inputs.key("prod");
        Map<String, Object> agreement = Inputs.productTerms(key, 7, "ANNOUNCEMENT");
        String product = (String) agreement.get("product");
        Instant v1At = clock.now().minus(10, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String bound = key + "-bound";
        String user = key + "-user";
        Inputs.bind(Inputs.bound(bound, key, 1, null, v1At), UUID.randomUUID().toString());
        Inputs.productUsed(user, key, product, v1At.plusSeconds(60));
        // a bound user who uses the product stays bound to their version
        Inputs.productUsed(bound, key, product, v1At.plusSeconds(90));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == 2);
        assertEquals(1, Db.count(ds, "select version from audience_member where agreement_key = ? and user_id = ?",
                key, bound));

        Instant noticeAt = clock.now();
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(8, ChronoUnit.DAYS),
                Inputs.clausesV2(), false), UUID.randomUUID().toString());
        String revId = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .queryParam("type", "REVISION").get("/notices").then().extract().jsonPath().getString("[0].id"),
                v -> v != null);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/notices/" + revId).then().extract().jsonPath().getBoolean("fanoutComplete"));
        JsonPath d = given().get("/notices/" + revId + "/deliveries").then().statusCode(200).body("total", is(8))
                .extract().jsonPath();
        assertEquals(Set.of(bound, user), new HashSet<>(d.getList("items.userId")));

        // a new user of the product while the notice runs gets it too, and then clicks version 2
        String late = key + "-late";
        Inputs.productUsed(late, key, product, clock.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("userId", late)
                .get("/notices/" + revId + "/deliveries").then().extract().jsonPath().getInt("total") == 4);
        Inputs.bind(Inputs.bound(late, key, 2, null, clock.now()), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "select version from audience_member where agreement_key = ? and user_id = ?", key, late) == 2);
    }

    /**
     * A revision measured from each user's delivery reaches a user bound to an earlier version whenever they join
     * (it binds them only once delivered); a product's user bound to no version gets it only while it runs.
     */
    @Test
    void aProductsUserWhoJoinsAfterAnIndividuallyMeasuredRevisionTookEffectIsNotSentIt() {
        String key = Inputs.key("prod-ind");
        Map<String, Object> agreement = Inputs.productTerms(key, 7, "INDIVIDUAL_DELIVERY");
        String product = (String) agreement.get("product");
        Instant v1At = clock.now().minus(40, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        Instant n2 = clock.now().minus(20, ChronoUnit.DAYS);
        Inputs.publish(Inputs.published(agreement, 2, 1, n2, n2.plus(10, ChronoUnit.DAYS), Inputs.clausesV2(), false),
                UUID.randomUUID().toString());
        String revId = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .queryParam("type", "REVISION").get("/notices").then().extract().jsonPath().getString("[0].id"),
                v -> v != null);
        String user = key + "-user";
        String bound = key + "-bound";
        Inputs.productUsed(user, key, product, clock.now());
        Inputs.bind(Inputs.bound(bound, key, 1, null, v1At), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("userId", bound)
                .get("/notices/" + revId + "/deliveries").then().extract().jsonPath().getInt("total") == 4);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "select count(*) from audience_member where agreement_key = ? and user_id = ? and version = 0", key,
                user) == 1);
        given().queryParam("userId", user).get("/notices/" + revId + "/deliveries").then().body("total", is(0));
    }

    @Test
    void withdrawnRevisionNeverTakesEffectAndItsAudienceGetsAWithdrawalNotice() {
        Instant start = Instant.now();
        String key = Inputs.key("wd");
        Map<String, Object> agreement = Inputs.agreement(key, 0, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(10, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String w1 = key + "-u1";
        String w2 = key + "-u2";
        Inputs.bind(Inputs.bound(w1, key, 1, null, v1At), UUID.randomUUID().toString());
        Inputs.bind(Inputs.bound(w2, key, 1, null, v1At), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == 2);

        Instant noticeAt = clock.now();
        // room before the date for an early accepter to join and for the withdrawal, which must come before it
        Instant effectiveAt = noticeAt.plusSeconds(15);
        Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, effectiveAt, Inputs.clausesV2(), false),
                UUID.randomUUID().toString());
        String revId = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .queryParam("type", "REVISION").get("/notices").then().extract().jsonPath().getString("[0].id"),
                v -> v != null);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/notices/" + revId).then().extract().jsonPath().getBoolean("fanoutComplete"));
        given().get("/notices/" + revId).then().body("deliveries", is(8));
        // a new user whose first act is a click on version 2: bound to it, they need no notice of it
        String w3 = key + "-u3";
        Inputs.bind(Inputs.bound(w3, key, 2, null, noticeAt.plusSeconds(1)), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == 3);
        given().get("/notices/" + revId).then().body("deliveries", is(8));
        String withdrawal = Inputs.withdraw(key, 2, noticeAt, effectiveAt, clock.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, withdrawal));

        JsonPath rev = given().get("/notices/" + revId).then().statusCode(200).body("status", is("WITHDRAWN"))
                .extract().jsonPath();
        String wdId = given().queryParam("agreementKey", key).queryParam("type", "WITHDRAWAL").get("/notices")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].fromVersion", is(1))
                .body("[0].toVersion", is(2)).body("[0].message", is("published by mistake"))
                .body("[0].withdrawsNoticeId", is(revId)).extract().jsonPath().getString("[0].id");

        // the withdrawal goes to the users who had the revision notice, and to the one who accepted it
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/notices/" + wdId).then().extract().jsonPath().getBoolean("fanoutComplete"));
        JsonPath wd = given().get("/notices/" + wdId + "/deliveries").then().statusCode(200)
                .body("total", is(12)).extract().jsonPath();
        assertEquals(Set.of(w1, w2, w3), new HashSet<>(wd.getList("items.userId")));
        // an acceptance of version 2 whose event comes after the withdrawal's fan-out: that user gets it as they join
        String w4 = key + "-u4";
        Inputs.bind(Inputs.bound(w4, key, 2, 1, noticeAt.plusSeconds(2)), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("userId", w4)
                .get("/notices/" + wdId + "/deliveries").then().extract().jsonPath().getInt("total") == 4);
        given().queryParam("userId", w4).get("/notices/" + revId + "/deliveries").then().body("total", is(0));
        assertTrue(rev.getBoolean("fanoutComplete"));

        // past its effective date the revision is never claimed, however often the scheduler runs
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.now().isAfter(effectiveAt));
        assertFalse(effective.fireDue().contains(UUID.fromString(revId)));
        given().get("/notices/" + revId).then().body("firedAt", nullValue()).body("status", is("WITHDRAWN"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.relayed(ds, wdId));
        List<ConsumerRecord<String, String>> events = Tail.since(Topics.AGREEMENT_NOTICES, start, r -> r.value().contains(revId) || r.value().contains(wdId));
        assertTrue(events.stream().noneMatch(r -> "notice.revision-effective.v1".equals(TestKafka.header(r, "ce_type"))));
        assertTrue(events.stream().anyMatch(r -> r.value().contains("\"WITHDRAWAL\"")));
    }

    /**
     * A publication that reaches notice-service after its withdrawal (its event parked, then replayed by
     * an operator) announces nothing: before, the withdrawal found no notice and was forgotten, and the
     * replayed publication issued a revision notice, deliveries and later an effective event for a
     * withdrawn version.
     */
    @Test
    void aPublicationThatArrivesAfterItsWithdrawalAnnouncesNothing() {
        String key = Inputs.key("wdfirst");
        Map<String, Object> agreement = Inputs.agreement(key, 7, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(10, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        String user = key + "-u1";
        Inputs.bind(Inputs.bound(user, key, 1, null, v1At), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(ds, "select count(*) from audience_member where agreement_key = ?", key) == 1);
        Instant noticeAt = clock.now().minus(1, ChronoUnit.HOURS);
        Instant effectiveAt = noticeAt.plus(7, ChronoUnit.DAYS);

        String withdrawal = Inputs.withdraw(key, 2, noticeAt, effectiveAt, clock.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, withdrawal));
        String late = Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, effectiveAt, Inputs.clausesV2(), false),
                UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, late));

        given().queryParam("agreementKey", key).get("/notices").then().statusCode(200).body("$", hasSize(0));
        assertEquals(1L, Db.count(ds, "select count(*) from agreement_version where agreement_key = ? and version = 2"
                + " and withdrawn_at is not null", key), "stored, and withdrawn");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
