package io.termsledger.version.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.version.domain.AcceptanceMethod;
import io.termsledger.version.domain.BindingRule;
import io.termsledger.version.domain.NoticeMeasuredFrom;
import io.termsledger.version.domain.Scope;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins the JSON of every event version-service produces (docs/events.md), serialised with the
 * application's own ObjectMapper — the one the outbox uses. A change here breaks consumers: add a
 * new event type instead.
 */
@QuarkusTest
class EventPayloadGoldenTest {

    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Inject
    ObjectMapper json;

    static AgreementRegisteredV1 ecs() {
        TreeMap<String, Integer> periods = new TreeMap<>();
        periods.put("DATA_DELETION", 7);
        periods.put("DATA_CENTRE_MIGRATION", 7);
        return new AgreementRegisteredV1("aliyun-ecs-terms", "Aliyun Elastic Compute Service (ECS) terms",
                "Alibaba Cloud", Scope.PRODUCT, "aliyun-general-terms", "ecs", "Asia/Shanghai",
                new PolicyData(30, BindingRule.ON_CONTINUED_USE, true,
                        List.of(AcceptanceMethod.CLICK, AcceptanceMethod.SEAL, AcceptanceMethod.USE),
                        NoticeMeasuredFrom.ANNOUNCEMENT, periods),
                Instant.parse("2026-11-25T08:00:00Z"));
    }

    @Test
    void agreementRegistered() throws IOException {
        assertGolden("agreement.registered.v1.json", ecs());
    }

    @Test
    void versionPublished() throws IOException {
        assertGolden("agreement.version.published.v1.json", new VersionPublishedV1("aliyun-ecs-terms", 2,
                "2026-12 revision", "Data-centre migration notice raised to 7 natural days", false, ecs(),
                Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-12-25T08:00:00Z"), SHA, 1,
                List.of(new ClauseData("3", "权利义务", "", false),
                        new ClauseData("3.2.6", null, "阿里云进行上述操作前将提前7个自然日通知您。", true))));
    }

    @Test
    void firstImportedVersionPublishedWithNulls() throws IOException {
        AgreementRegisteredV1 asiayun = new AgreementRegisteredV1("asiayun-user-agreement",
                "Asiayun user service agreement (rev. 2021-04-05)", "Asiayun", Scope.GENERAL, null, null,
                "Asia/Shanghai", new PolicyData(7, BindingRule.ON_EFFECTIVE_DATE, false,
                List.of(AcceptanceMethod.CLICK, AcceptanceMethod.USE), NoticeMeasuredFrom.ANNOUNCEMENT, new TreeMap<>()),
                Instant.parse("2026-11-25T08:00:00.123Z"));
        assertGolden("agreement.version.published.v1.first-imported.json", new VersionPublishedV1(
                "asiayun-user-agreement", 1, null, null, true, asiayun, Instant.parse("2021-04-05T00:00:00Z"),
                Instant.parse("2021-04-05T00:00:00Z"), SHA, null,
                List.of(new ClauseData("十一", "附则", "修订内容在发出修订通知 7 日后生效。", false))));
    }

    @Test
    void versionWithdrawn() throws IOException {
        assertGolden("agreement.version.withdrawn.v1.json", new VersionWithdrawnV1("aliyun-ecs-terms", 2,
                "Published by mistake", Instant.parse("2026-11-26T09:30:00Z"), Instant.parse("2026-11-25T08:00:00Z"),
                Instant.parse("2026-12-25T08:00:00Z")));
    }

    private void assertGolden(String file, Object event) throws IOException {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/" + file)) {
            expected = json.readTree(in);
        }
        JsonNode actual = json.readTree(json.writeValueAsString(event));
        assertEquals(expected, actual, "payload of " + file + " changed:\n" + json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(actual));
        assertEquals(fieldOrder(expected), fieldOrder(actual), "field order of " + file);
    }

    private static List<String> fieldOrder(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
