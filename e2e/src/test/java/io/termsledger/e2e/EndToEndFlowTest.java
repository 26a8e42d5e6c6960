package io.termsledger.e2e;

import static io.termsledger.e2e.Ledger.ECS;
import static io.termsledger.e2e.Ledger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole product on the Aliyun ECS seed (30 days' notice, ON_CONTINUED_USE, seal prevails), over HTTP
 * and Kafka only: sign-up clicks and a sealed customer on version 1, a revision published with the
 * default lead time, its notice with the changed clause and one delivery per user and channel, an
 * objection, thirty-one days later usage binds the click user while the sealed customer and the
 * objector stay on version 1, the revision-effective event, the population report and a proof bundle
 * that verifies offline (and fails once one byte changes).
 */
@Order(1)
@ExtendWith(SharedStack.class)
class EndToEndFlowTest {

    static final Set<String> CHANNELS = Set.of("SITE", "IN_APP", "EMAIL", "SMS");
    static Ledger ledger;

    @BeforeAll
    static void stack(Stack stack) {
        ledger = new Ledger(stack);
    }

    @Test
    void revisionOfTheEcsTermsFromSignUpToProof() throws Exception {
        String run = Ledger.suffix();
        String clicker = "ecs-click-" + run;   // signs up by click, keeps using ECS
        String idle = "ecs-idle-" + run;       // signs up by click, does not use ECS after the revision
        String objector = "ecs-objector-" + run;
        String sealed = "ecs-sealed-" + run;   // sealed paper contract on version 1
        List<String> users = List.of(clicker, idle, objector, sealed);

        // --- the seed, loaded by version-service at start -------------------------------------------
        JsonNode agreement = ledger.agreement(ECS);
        assertEquals(30, agreement.path("policy").path("noticeDays").asInt());
        assertEquals("ON_CONTINUED_USE", agreement.path("policy").path("bindingRule").asText());
        assertTrue(agreement.path("policy").path("sealPrevails").asBoolean());
        JsonNode v1 = ledger.currentVersion(ECS);
        int from = v1.path("version").asInt();
        String sha1 = v1.path("contentSha256").asText();

        // --- sign-up: three clicks, one sealed copy -----------------------------------------------
        for (String u : List.of(clicker, idle, objector)) {
            JsonNode r = ledger.accept(u, ECS, from, "CLICK", Ledger.clickEvidence(sha1));
            assertEquals(64, r.path("hash").asText().length());
        }
        ledger.accept(sealed, ECS, from, "SEAL", Ledger.sealEvidence(sha1, "ALY-ECS-" + run));
        JsonNode s = ledger.status(clicker, ECS);
        assertEquals(from, s.path("governingVersion").asInt());
        assertEquals("CLICK", s.path("basis").path("method").asText());
        assertEquals("SEAL", ledger.status(sealed, ECS).path("basis").path("method").asText());

        // --- an admin publishes a revision with the default lead time ---------------------------------
        // the data-centre migration notice of clause 3.2.6 goes from 7 to 15 days (on a stack that already did that,
        // the clause gains a sentence instead), so the suite can run again without new databases
        java.util.function.UnaryOperator<String> edit = t -> t.contains("提前7个自然日")
                ? t.replace("提前7个自然日", "提前15个自然日") : t + "阿里云亦将通过站内信通知您（" + run + "）。";
        JsonNode published = ledger.publishRevision(ECS, "3.2.6", edit, "e2e revision " + run);
        int to = published.path("version").asInt();
        assertEquals(from + 1, to);
        Instant noticeAt = Instant.parse(published.path("noticeAt").asText());
        Instant effectiveAt = Instant.parse(published.path("effectiveAt").asText());
        assertEquals(noticeAt.atZone(ZoneId.of("Asia/Shanghai")).plusDays(30).toInstant(), effectiveAt,
                "default effective date = notice + 30 calendar days");

        // --- the notice names the changed clause; every user gets one delivery per channel ---------------
        JsonNode notice = ledger.revisionNotice(ECS, to);
        String noticeId = notice.path("id").asText();
        assertEquals(from, notice.path("fromVersion").asInt());
        assertEquals(30, notice.path("requiredLeadDays").asInt());
        assertEquals(30, notice.path("actualLeadDays").asInt());
        assertTrue(notice.path("leadTimeMet").asBoolean());
        JsonNode modified = notice.path("changes").path("modified");
        assertEquals(1, modified.size(), "one clause modified: " + notice.path("changes"));
        assertEquals("3.2.6", modified.get(0).path("id").asText());
        assertEquals(edit.apply(modified.get(0).path("before").asText()), modified.get(0).path("after").asText());
        assertTrue(modified.get(0).path("after").asText().contains("提前15个自然日"));
        assertEquals(0, notice.path("changes").path("added").size());
        assertEquals(0, notice.path("changes").path("removed").size());
        // what the notice lists is what version-service's diff of the same two versions shows
        JsonNode diff = ledger.diff(ECS, from, to);
        for (String part : List.of("added", "removed", "modified")) {
            assertEquals(diff.path(part).findValuesAsText("id"), notice.path("changes").path(part).findValuesAsText("id"), part);
        }
        assertEquals(diff.path("modified").get(0).path("after"), modified.get(0).path("after"));
        assertEquals(diff.path("highlighted"), notice.path("changes").path("highlighted"));

        for (String u : users) {
            await(60).untilAsserted(() -> assertEquals(CHANNELS, channels(ledger.deliveries(noticeId, u))));
        }
        await(60).until(() -> ledger.notice(noticeId).path("fanoutComplete").asBoolean());
        assertOneDeliveryPerUserAndChannel(noticeId);
        // the mailer / SMS gateway side: one delivery request per user and channel on Kafka
        await(60).untilAsserted(() -> {
            Map<String, Long> perUser = ledger.events.read("agreements.notice-deliveries",
                            e -> noticeId.equals(e.text("noticeId")) && users.contains(e.key())).stream()
                    .collect(Collectors.groupingBy(e -> e.key() + "/" + e.text("channel"), TreeMap::new, Collectors.counting()));
            assertEquals(users.size() * CHANNELS.size(), perUser.size(), perUser.toString());
        });

        // --- before the effective date: an objection; the seal blocks; the others are scheduled -------------
        ledger.object(objector, ECS, to, "不同意机房迁移通知期限的修改");
        await(30).untilAsserted(() -> assertEquals("OBJECTED", Ledger.pendingState(ledger.status(objector, ECS), to)));
        assertEquals("SCHEDULED", Ledger.pendingState(ledger.status(clicker, ECS), to));
        assertEquals("BLOCKED_BY_SEAL", Ledger.pendingState(ledger.status(sealed, ECS), to));

        // --- thirty-one days later -------------------------------------------------------------------
        ledger.advanceClock("P31D");
        Instant consentNow = ledger.now(ledger.consent);
        assertTrue(consentNow.isAfter(effectiveAt), "consent-service's clock moved past " + effectiveAt + ": " + consentNow);
        await(30).untilAsserted(() -> assertEquals("AWAITING_USE", Ledger.pendingState(ledger.status(clicker, ECS), to)));

        // the click user uses ECS (a product reports it on Kafka); the sealed customer uses it too (REST)
        ledger.events.sendUsage(clicker, ECS, consentNow);
        ledger.useNow(sealed, ECS);

        await(60).untilAsserted(() -> {
            JsonNode c = ledger.status(clicker, ECS);
            assertEquals(to, c.path("governingVersion").asInt(), c.toString());
            assertEquals("USE", c.path("basis").path("method").asText(), c.toString());
            assertEquals("EFFECTIVE", Ledger.pendingState(c, to));
        });
        JsonNode sealedStatus = ledger.status(sealed, ECS);
        assertEquals(from, sealedStatus.path("governingVersion").asInt(), sealedStatus.toString());
        assertEquals("SEAL", sealedStatus.path("basis").path("method").asText());
        assertEquals("BLOCKED_BY_SEAL", Ledger.pendingState(sealedStatus, to));
        JsonNode objectorStatus = ledger.status(objector, ECS);
        assertEquals(from, objectorStatus.path("governingVersion").asInt(), objectorStatus.toString());
        assertEquals("OBJECTED", Ledger.pendingState(objectorStatus, to));
        JsonNode idleStatus = ledger.status(idle, ECS);
        assertEquals(from, idleStatus.path("governingVersion").asInt());
        assertEquals("AWAITING_USE", Ledger.pendingState(idleStatus, to));

        // --- events: the revision took effect once; the click user was bound once by click, once by use -------
        await(60).untilAsserted(() -> {
            List<Events.Event> effective = ledger.events.read("agreements.notices",
                    e -> "notice.revision-effective.v1".equals(e.type()) && noticeId.equals(e.text("noticeId")));
            assertEquals(1, effective.stream().map(Events.Event::id).distinct().count(), effective.toString());
            assertEquals(effectiveAt, Instant.parse(effective.get(0).text("effectiveAt")));
            assertEquals(to, effective.get(0).integer("version"));
        });
        await(60).untilAsserted(() -> {
            Map<String, Long> bound = ledger.events.read("consents.events",
                            e -> "consent.bound.v1".equals(e.type()) && clicker.equals(e.key())).stream()
                    .collect(Collectors.groupingBy(e -> e.integer("version") + ":" + e.text("basis"), TreeMap::new,
                            Collectors.counting()));
            assertEquals(Map.of(from + ":CLICK", 1L, to + ":USE", 1L), bound);
        });
        assertEquals("EFFECTIVE", ledger.notice(noticeId).path("status").asText());

        // --- the population report: who is governed by what, who is pending in which state -----------------
        await(60).untilAsserted(() -> {
            JsonNode p = ledger.population(ECS);
            assertTrue(Ledger.governing(p, to) >= 1, p.toString());
            assertTrue(Ledger.governing(p, from) >= 3, p.toString());
            assertTrue(Ledger.pending(p, to, "AWAITING_USE") >= 1, p.toString());
            assertTrue(Ledger.pending(p, to, "OBJECTED") >= 1, p.toString());
            assertTrue(Ledger.pending(p, to, "BLOCKED_BY_SEAL") >= 1, p.toString());
        });

        // --- a proof bundle for the click user verifies offline, and fails once one byte changes ------------
        Path dir = ledger.stack.logs.resolve("proofs");
        Files.createDirectories(dir);
        Path bundle = dir.resolve(clicker + ".json");
        Files.writeString(bundle, ledger.http.get(ledger.consent + "/users/" + clicker + "/proof", ledger.auditor)
                .expect(200).raw());
        Verified ok = verify(bundle);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("RESULT: VERIFIED"), ok.output());

        byte[] bytes = Files.readAllBytes(bundle);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("\"hash\"");
        at = text.indexOf('"', text.indexOf(':', at)) + 10; // a hex digit inside the first fact's hash
        bytes[at] = (byte) (bytes[at] == '0' ? '1' : '0');
        Path tampered = dir.resolve(clicker + "-tampered.json");
        Files.write(tampered, bytes);
        Verified bad = verify(tampered);
        assertNotEquals(0, bad.exit(), bad.output());
        assertTrue(bad.output().contains("NOT VERIFIED"), bad.output());
    }

    static Set<String> channels(List<JsonNode> deliveries) {
        List<String> c = deliveries.stream().map(d -> d.path("channel").asText()).toList();
        assertEquals(c.size(), Set.copyOf(c).size(), "a channel twice: " + c);
        return Set.copyOf(c);
    }

    /** Over the whole notice: every (user, channel) exactly once. */
    static void assertOneDeliveryPerUserAndChannel(String noticeId) {
        List<JsonNode> all = ledger.deliveries(noticeId, null);
        Map<String, Long> perPair = all.stream().collect(Collectors.groupingBy(
                d -> d.path("userId").asText() + "/" + d.path("channel").asText(), Collectors.counting()));
        assertTrue(perPair.values().stream().allMatch(n -> n == 1), "doubled deliveries: " + perPair);
        long usersCount = all.stream().map(d -> d.path("userId").asText()).distinct().count();
        assertEquals(usersCount * CHANNELS.size(), all.size());
        assertEquals(all.size(), ledger.notice(noticeId).path("deliveries").asLong());
    }

    record Verified(int exit, String output) {
    }

    static Verified verify(Path bundle) throws Exception {
        Path tool = ledger.stack.root.resolve("consent-service/tools/VerifyProof.java");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                tool.toString(), bundle.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "VerifyProof did not finish");
        return new Verified(p.exitValue(), out);
    }
}
