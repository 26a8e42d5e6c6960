package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.kit.time.AppClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A revision published to an agreement with {@code users} bound users (seeded straight
 * into audience_member with one INSERT ... SELECT: the audience path from consents.events
 * is tested elsewhere). Measures the fan-out (delivery rows and outbox rows, from the
 * notice's creation to its last chunk's commit) and the relay of the outbox to Kafka.
 */
final class FanOutScenario {

    record Result(String noticeId, long deliveries, Duration fanout, Duration relay) {
    }

    private FanOutScenario() {
    }

    static Result run(AgroalDataSource ds, AppClock clock, int users, Duration patience) {
        String key = Inputs.key("fan" + users);
        Map<String, Object> agreement = Inputs.agreement(key, 30, "ANNOUNCEMENT", Map.of());
        Instant v1At = clock.now().minus(90, ChronoUnit.DAYS);
        Inputs.registerWithVersionOne(agreement, v1At);
        Db.update(ds, "insert into audience_member (agreement_key, user_id, version, since, updated_at)"
                + " select ?, ? || lpad(g::text, 7, '0'), 1, now(), now() from generate_series(1, ?) g",
                key, key + "-u", users);
        String firstUser = key + "-u0000001";

        Instant sentAt = Instant.now();
        Instant noticeAt = clock.now();
        String ce = Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(30, ChronoUnit.DAYS),
                Inputs.clausesV2(), false), UUID.randomUUID().toString());
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("agreementKey", key)
                .get("/notices").then().extract().jsonPath().getString("[0].id"), v -> v != null);
        await().atMost(patience).pollInterval(Duration.ofMillis(100)).until(() ->
                given().get("/notices/" + id).then().extract().jsonPath().getBoolean("fanoutComplete"));
        Instant fannedOut = Instant.now();
        Duration fanout = Duration.ofMillis(Db.count(ds, "select (extract(epoch from fanout_done_at - created_at)"
                + " * 1000)::bigint from notice where id = ?", UUID.fromString(id)));

        JsonPath n = given().get("/notices/" + id).then().statusCode(200).extract().jsonPath();
        long deliveries = n.getLong("deliveries");
        assertEquals(4L * users, deliveries, "one delivery per user and channel");
        assertEquals(users, Db.count(ds, "select count(distinct user_id) from delivery where notice_id = ?",
                UUID.fromString(id)));
        // the same revision again under another ce_id adds nothing
        String again = Inputs.publish(Inputs.published(agreement, 2, 1, noticeAt, noticeAt.plus(30, ChronoUnit.DAYS),
                Inputs.clausesV2(), false), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.consumed(ds, again) && Db.consumed(ds, ce));
        assertEquals(4L * users, Db.count(ds, "select count(*) from delivery where notice_id = ?", UUID.fromString(id)));

        await().atMost(patience).pollInterval(Duration.ofMillis(250)).until(() -> Db.relayed(ds, id));
        Duration relay = Duration.between(fannedOut, Instant.now());
        List<ConsumerRecord<String, String>> first = Tail.since(Topics.NOTICE_DELIVERIES, sentAt,
                r -> firstUser.equals(r.key()) && r.value().contains(id));
        assertEquals(4, first.size(), "the first user's four delivery events are on Kafka");
        first.forEach(r -> assertEquals("notice.delivery.requested.v1", TestKafka.header(r, "ce_type")));
        Result result = new Result(id, deliveries, fanout, relay);
        System.out.printf("FAN-OUT users=%d deliveries=%d fanout(db)=%d ms relay-to-kafka(after fan-out)=%d ms%n",
                users, deliveries, fanout.toMillis(), relay.toMillis());
        return result;
    }
}
