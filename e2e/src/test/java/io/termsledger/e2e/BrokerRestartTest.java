package io.termsledger.e2e;

import static io.termsledger.e2e.Ledger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7 item 4: the broker restarts in the middle of a flow. Users sign up on the Mashangyun seed
 * (7 days' notice, ON_CONTINUED_USE), a revision is published and the broker is stopped at once, more
 * users sign up while it is down, then it starts again. Every consumer must pick up where it left: the
 * notice reaches every user once per channel, usage (over Kafka and REST) binds every user to the revision,
 * and consents.events holds exactly one acceptance and one bound event per user and version — nothing
 * lost, nothing doubled. The restart command comes from E2E_KAFKA_RESTART (set by deploy/local/test).
 */
@Order(2)
@ExtendWith(SharedStack.class)
class BrokerRestartTest {

    static final String KEY = "mashangyun-user-agreement";
    static Ledger ledger;

    @BeforeAll
    static void stack(Stack stack) {
        ledger = new Ledger(stack);
    }

    @Test
    void flowCompletesAcrossABrokerRestartWithNothingLostOrDoubled() throws Exception {
        String restart = System.getenv("E2E_KAFKA_RESTART");
        assumeTrue(restart != null && !restart.isBlank(), "E2E_KAFKA_RESTART is not set (deploy/local/test sets it)");
        String run = Ledger.suffix();
        List<String> before = new ArrayList<>();
        List<String> during = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            before.add("ms-before-" + run + "-" + i);
            during.add("ms-during-" + run + "-" + i);
        }
        List<String> users = new ArrayList<>(before);
        users.addAll(during);

        JsonNode v1 = ledger.currentVersion(KEY);
        int from = v1.path("version").asInt();
        String sha = v1.path("contentSha256").asText();
        for (String u : before) {
            ledger.accept(u, KEY, from, "CLICK", Ledger.clickEvidence(sha));
        }

        // publish, and take the broker down while the published event, the bound events and the fan-out are in flight
        JsonNode published = ledger.publishRevision(KEY, null, t -> t + "（修订 " + run + "）", "restart revision " + run);
        int to = published.path("version").asInt();
        Process restarting = new ProcessBuilder("bash", "-c", restart).redirectErrorStream(true)
                .redirectOutput(ledger.stack.logs.resolve("kafka-restart.log").toFile()).start();
        await(60).until(() -> !brokerListening());
        // facts recorded while the broker is down wait in the outbox
        for (String u : during) {
            ledger.accept(u, KEY, from, "CLICK", Ledger.clickEvidence(sha));
        }
        assertTrue(restarting.waitFor(120, TimeUnit.SECONDS), "the broker restart did not finish");
        assertEquals(0, restarting.exitValue(), Files.readString(ledger.stack.logs.resolve("kafka-restart.log")));
        assertTrue(brokerListening());

        // the notice reaches every user once per channel
        JsonNode notice = ledger.revisionNotice(KEY, to);
        String noticeId = notice.path("id").asText();
        for (String u : users) {
            await(90).untilAsserted(() -> assertEquals(EndToEndFlowTest.CHANNELS,
                    EndToEndFlowTest.channels(ledger.deliveries(noticeId, u))));
        }
        await(60).until(() -> ledger.notice(noticeId).path("fanoutComplete").asBoolean());
        EndToEndFlowTest.assertOneDeliveryPerUserAndChannel(noticeId);

        // past the effective date every user uses the service: half report over Kafka, half over REST
        ledger.advanceClock("P8D");
        java.time.Instant now = ledger.now(ledger.consent);
        for (int i = 0; i < users.size(); i++) {
            if (i % 2 == 0) {
                ledger.events.sendUsage(users.get(i), KEY, now);
            } else {
                ledger.useNow(users.get(i), KEY);
            }
        }
        for (String u : users) {
            await(60).untilAsserted(() -> {
                JsonNode s = ledger.status(u, KEY);
                assertEquals(to, s.path("governingVersion").asInt(), s.toString());
                assertEquals("USE", s.path("basis").path("method").asText(), s.toString());
            });
        }

        // consents.events: per user one acceptance, one binding by click to `from`, one by use to `to`
        await(60).untilAsserted(() -> {
            List<Events.Event> mine = ledger.events.read("consents.events", e -> users.contains(e.key()));
            Map<String, Long> perUser = distinctById(mine).stream().collect(Collectors.groupingBy(
                    e -> e.key() + " " + e.type() + " v" + e.integer("version")
                            + ("consent.bound.v1".equals(e.type()) ? " " + e.text("basis") : ""),
                    TreeMap::new, Collectors.counting()));
            Map<String, Long> expected = new TreeMap<>();
            for (String u : users) {
                expected.put(u + " consent.accepted.v1 v" + from, 1L);
                expected.put(u + " consent.bound.v1 v" + from + " CLICK", 1L);
                expected.put(u + " consent.bound.v1 v" + to + " USE", 1L);
            }
            assertEquals(expected, perUser);
        });
        // agreements.notice-deliveries: one delivery request per user and channel
        await(60).untilAsserted(() -> {
            List<Events.Event> requests = distinctById(ledger.events.read("agreements.notice-deliveries",
                    e -> noticeId.equals(e.text("noticeId")) && users.contains(e.key())));
            assertEquals(users.size() * 4, requests.size());
            assertEquals(users.size() * 4, requests.stream().map(e -> e.key() + e.text("channel")).distinct().count());
        });
        // agreements.notices: the revision took effect exactly once
        await(60).untilAsserted(() -> assertEquals(1, distinctById(ledger.events.read("agreements.notices",
                e -> "notice.revision-effective.v1".equals(e.type()) && noticeId.equals(e.text("noticeId")))).size()));
    }

    /** The outbox delivers at least once: the same ce_id twice is one event (consumers deduplicate by it). */
    static List<Events.Event> distinctById(List<Events.Event> events) {
        Map<String, Events.Event> byId = new TreeMap<>();
        events.forEach(e -> byId.putIfAbsent(e.id(), e));
        return List.copyOf(byId.values());
    }

    static boolean brokerListening() {
        String[] hp = ledger.stack.kafka.split(",")[0].split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
