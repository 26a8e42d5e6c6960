package io.termsledger.version.messaging;

import static io.restassured.RestAssured.given;
import static io.termsledger.version.support.Api.V1;
import static io.termsledger.version.support.Api.V2;
import static io.termsledger.version.support.Api.drafted;
import static io.termsledger.version.support.Api.publish;
import static io.termsledger.version.support.Api.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.version.domain.ContentHash;
import io.termsledger.version.support.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Events read back from the real agreements.versions topic, as a consumer sees them. */
@QuarkusTest
class VersionEventsKafkaTest {

    @Inject
    ObjectMapper json;

    @Test
    void registeredPublishedImportedAndWithdrawnEventsArriveInOrderWithCloudEventHeaders() throws Exception {
        String key = Api.key("events");
        Api.register(Api.general(key, 30)).statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("versions", List.of(Map.of("content", V1,
                        "noticeAt", "2024-01-01T00:00:00Z", "effectiveAt", "2024-01-01T00:00:00Z", "label", "history"))))
                .post("/agreements/{k}/versions/import", key).then().statusCode(201);
        int v2 = drafted(key, V2);
        publish(key, v2, null).statusCode(200);
        withdraw(key, v2, "Published by mistake").statusCode(200);

        List<ConsumerRecord<String, String>> seen = TestKafka.readUntil(Topics.AGREEMENT_VERSIONS,
                Duration.ofSeconds(60), r -> key.equals(r.key())
                        && VersionWithdrawnV1.TYPE.equals(TestKafka.header(r, "ce_type")));
        List<ConsumerRecord<String, String>> mine = seen.stream().filter(r -> key.equals(r.key())).toList();
        assertEquals(List.of(AgreementRegisteredV1.TYPE, VersionPublishedV1.TYPE, VersionPublishedV1.TYPE,
                        VersionWithdrawnV1.TYPE),
                mine.stream().map(r -> TestKafka.header(r, "ce_type")).toList(), "events of " + key + " in order");
        assertEquals(1, mine.stream().map(ConsumerRecord::partition).distinct().count(), "one key, one partition");

        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> r : mine) {
            assertEquals("1.0", TestKafka.header(r, "ce_specversion"));
            assertEquals("/version-service", TestKafka.header(r, "ce_source"));
            assertEquals("application/json", TestKafka.header(r, "content-type"));
            assertNotNull(Instant.parse(TestKafka.header(r, "ce_time")));
            assertTrue(ids.add(TestKafka.header(r, "ce_id")), "ce_id is unique per event");
        }
        assertEquals(key, TestKafka.header(mine.get(0), "ce_subject"));
        assertEquals(key + "/versions/1", TestKafka.header(mine.get(1), "ce_subject"));
        assertEquals(key + "/versions/2", TestKafka.header(mine.get(2), "ce_subject"));
        assertEquals(key + "/versions/2", TestKafka.header(mine.get(3), "ce_subject"));

        JsonNode registered = json.readTree(mine.get(0).value());
        assertEquals(key, registered.get("agreementKey").asText());
        assertEquals(30, registered.at("/policy/noticeDays").asInt());
        assertEquals(7, registered.at("/policy/noticePeriods/DATA_CENTRE_MIGRATION").asInt());
        assertEquals("Asia/Shanghai", registered.get("timezone").asText());
        assertTrue(registered.get("parentKey").isNull());

        JsonNode imported = json.readTree(mine.get(1).value());
        assertTrue(imported.get("imported").asBoolean());
        assertEquals(1, imported.get("version").asInt());
        assertEquals("2024-01-01T00:00:00Z", imported.get("noticeAt").asText());
        assertTrue(imported.get("previousVersion").isNull());
        assertEquals(ContentHash.sha256(V1), imported.get("contentSha256").asText());
        assertEquals(registered, imported.get("agreement"), "the agreement object is the registered event's data");

        JsonNode published = json.readTree(mine.get(2).value());
        assertFalse(published.get("imported").asBoolean());
        assertEquals(2, published.get("version").asInt());
        assertEquals(1, published.get("previousVersion").asInt());
        assertEquals(ContentHash.sha256(V2), published.get("contentSha256").asText());
        Instant noticeAt = Instant.parse(published.get("noticeAt").asText());
        assertEquals(noticeAt.atZone(java.time.ZoneId.of("Asia/Shanghai")).plusDays(30).toInstant(),
                Instant.parse(published.get("effectiveAt").asText()));
        JsonNode clauses = published.get("clauses");
        assertEquals(8, clauses.size());
        JsonNode liability = clauses.get(7);
        assertEquals("2.2", liability.get("id").asText());
        assertEquals("Liability is limited to the fees of six months.", liability.get("text").asText());
        assertTrue(liability.get("highlighted").asBoolean());
        assertEquals("Service", clauses.get(1).get("heading").asText());

        JsonNode withdrawn = json.readTree(mine.get(3).value());
        assertEquals("Published by mistake", withdrawn.get("reason").asText());
        assertEquals(published.get("noticeAt"), withdrawn.get("noticeAt"));
        assertEquals(published.get("effectiveAt"), withdrawn.get("effectiveAt"));
        assertNotNull(Instant.parse(withdrawn.get("withdrawnAt").asText()));
    }
}
