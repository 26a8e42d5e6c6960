package io.termsledger.version.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import io.termsledger.version.domain.ContentHash;
import io.termsledger.version.messaging.AgreementRegisteredV1;
import io.termsledger.version.messaging.VersionPublishedV1;
import io.termsledger.version.repository.VersionEntity;
import io.termsledger.version.support.Api;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The seed loader as deploy/local/up runs it, against the real database and broker. */
@QuarkusTest
@TestProfile(SeedsProfile.class)
class SeedLoaderTest {

    static final Path SEEDS = Path.of("../seeds");
    static final List<String> KEYS = List.of("asiayun-user-agreement", "mashangyun-user-agreement", "aliyun-general-terms",
            "aliyun-lightning-cube-terms", "aliyun-ecs-terms", "anheng-cloud-user-agreement");

    @Inject
    SeedLoader loader;

    @Inject
    ObjectMapper json;

    @Inject
    AgreementService agreements;

    @Test
    void startupLoadedEverySeedAgreementWithVersionOneInEffect() throws IOException {
        for (String key : KEYS) {
            given().get("/agreements/{k}", key).then().statusCode(200)
                    .body("currentVersion", is(1))
                    .body("versions.size()", is(1))
                    .body("versions[0].status", is("EFFECTIVE"));
        }
        given().get("/agreements/aliyun-ecs-terms").then()
                .body("scope", is("PRODUCT")).body("parentKey", is("aliyun-general-terms")).body("product", is("ecs"))
                .body("policy.noticeDays", is(30))
                .body("policy.noticePeriods.DATA_CENTRE_MIGRATION", is(7));
        given().get("/agreements/asiayun-user-agreement").then()
                .body("policy.bindingRule", is("ON_EFFECTIVE_DATE"))
                .body("policy.noticePeriods.DATA_CENTRE_MIGRATION", is(3));
        given().get("/agreements/anheng-cloud-user-agreement").then().body("policy.noticeDays", is(0));

        String whole = Files.readString(SEEDS.resolve("002_1592abcf59f5d304.txt"));
        String general = given().get("/agreements/aliyun-general-terms/versions/1").then()
                .body("clauses.id", hasItem("3.2.7")).body("clauses.id", hasItem("12.4"))
                .body("clauses.id", not(hasItem("preamble~2")))
                .body("clauses.find { it.id == '12.4' }.highlighted", is(true))
                .extract().path("content");
        String cube = given().get("/agreements/aliyun-lightning-cube-terms/versions/1").then()
                .body("content", startsWith("## 闪电立方专用服务条款"))
                .body("clauses[0].id", is("preamble"))
                .body("clauses.id", hasItem("2.13"))
                .body("clauses.id", not(hasItem("3.2.7")))
                .extract().path("content");
        assertEquals(whole, general + cube, "the two agreements split file 002 at the marker line");
        given().get("/agreements/asiayun-user-agreement/versions/1").then()
                .body("contentSha256", is(ContentHash.sha256(Files.readString(SEEDS.resolve("000_f67e1bccb6ba9459.txt")))))
                .body("clauses.id", hasItem("十一"));
    }

    @Test
    void aSecondRunAddsNothing() {
        long before = VersionEntity.count();
        SeedLoader.Report again = loader.load(SEEDS);
        assertEquals(List.of(), again.registered());
        assertEquals(List.of(), again.published());
        assertEquals(KEYS.size(), again.skipped().size());
        assertEquals(before, VersionEntity.count());
    }

    /**
     * A manifest is held to the rules the REST API applies to the same requests, every entry before anything is
     * stored: a misspelt policy field was ignored (registering its default), and a key that is not a slug or an
     * agreement that accepts no method was registered.
     */
    @Test
    void aManifestEntryTheApiWouldRefuseStopsTheWholeLoadNamingTheEntryAndField() throws IOException {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        String good = "anheng-cloud-user-agreement" + suffix;
        assertRefused(suffix, entry -> entry.with("policy").put("sealPrevail", true), "sealPrevail");
        assertRefused(suffix, entry -> entry.with("policy").putArray("acceptanceMethods"),
                "agreement " + good + ": policy.acceptanceMethods");
        assertRefused(suffix, entry -> entry.put("key", "Anheng Cloud" + suffix), "key must be a slug");
        assertRefused(suffix, entry -> entry.put("label", "x".repeat(201)), "label size must be between 0 and 200");
        assertFalse(agreements.exists(good), "nothing of a refused manifest is stored");
    }

    private void assertRefused(String suffix, java.util.function.Consumer<ObjectNode> spoil, String expected)
            throws IOException {
        Path dir = Files.createTempDirectory("seeds");
        ObjectNode manifest = json.createObjectNode();
        ObjectNode entry = (ObjectNode) json.readTree(SEEDS.resolve("manifest.json").toFile()).get("agreements").get(5)
                .deepCopy();
        assertEquals("anheng-cloud-user-agreement", entry.get("key").asText());
        entry.put("key", entry.get("key").asText() + suffix);
        spoil.accept(entry);
        manifest.putArray("agreements").add(entry);
        Files.copy(SEEDS.resolve(entry.get("file").asText()), dir.resolve(entry.get("file").asText()));
        Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(manifest));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.load(dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void loadsAFreshManifestOnceAndEmitsItsEventsOnce() throws IOException {
        // the real seed texts under fresh keys, so that this run really loads them
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("seeds");
        ObjectNode manifest = (ObjectNode) json.readTree(SEEDS.resolve("manifest.json").toFile());
        for (var node : (ArrayNode) manifest.get("agreements")) {
            ObjectNode entry = (ObjectNode) node;
            entry.put("key", entry.get("key").asText() + suffix);
            if (entry.hasNonNull("parentKey")) {
                entry.put("parentKey", entry.get("parentKey").asText() + suffix);
            }
            if (entry.hasNonNull("product")) {
                // a product has one set of product terms: fresh products for the fresh keys
                entry.put("product", entry.get("product").asText() + suffix);
            }
            Path text = dir.resolve(entry.get("file").asText());
            if (!Files.exists(text)) {
                Files.copy(SEEDS.resolve(entry.get("file").asText()), text);
            }
        }
        Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(manifest));

        SeedLoader.Report first = loader.load(dir);
        assertEquals(6, first.registered().size());
        assertEquals(6, first.published().size());
        assertTrue(first.registered().indexOf("aliyun-general-terms" + suffix)
                < first.registered().indexOf("aliyun-ecs-terms" + suffix), "parents first");
        SeedLoader.Report second = loader.load(dir);
        assertEquals(List.of(), second.registered());
        assertEquals(List.of(), second.published());

        // a marker event after both runs: everything before it for this key was sent exactly once
        String key = "anheng-cloud-user-agreement" + suffix;
        Api.drafted(key, "1. 新条款\n1.1 测试。");
        Api.publish(key, 2, null).statusCode(200);
        List<ConsumerRecord<String, String>> seen = TestKafka.readUntil(Topics.AGREEMENT_VERSIONS, Duration.ofSeconds(60),
                r -> key.equals(r.key()) && (key + "/versions/2").equals(TestKafka.header(r, "ce_subject")));
        assertEquals(List.of(AgreementRegisteredV1.TYPE, VersionPublishedV1.TYPE, VersionPublishedV1.TYPE),
                seen.stream().filter(r -> key.equals(r.key())).map(r -> TestKafka.header(r, "ce_type")).toList());
    }
}
