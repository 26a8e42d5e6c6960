package io.termsledger.version.rest;

import static io.restassured.RestAssured.given;
import static io.termsledger.version.support.Api.V1;
import static io.termsledger.version.support.Api.V2;
import static io.termsledger.version.support.Api.draft;
import static io.termsledger.version.support.Api.drafted;
import static io.termsledger.version.support.Api.publish;
import static io.termsledger.version.support.Api.registered;
import static io.termsledger.version.support.Api.withdraw;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.kit.clauses.ClauseDiff;
import io.termsledger.kit.time.AppClock;
import io.termsledger.version.domain.ClauseSplitter;
import io.termsledger.version.domain.ContentHash;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VersionLifecycleTest {

    @Inject
    AppClock clock;

    static Instant instant(Object s) {
        return Instant.parse((String) s);
    }

    @Test
    void draftIsSplitHashedAndHighlighted() {
        String k = registered(30);
        draft(k, Map.of("content", V1, "label", "2026-11", "changeSummary", "first", "highlightedClauses", List.of("1.2")))
                .statusCode(201)
                .header("Location", endsWith("/agreements/" + k + "/versions/1"))
                .body("version", is(1))
                .body("status", is("DRAFT"))
                .body("contentSha256", is(ContentHash.sha256(V1)))
                .body("clauses.id", equalTo(List.of("preamble", "1", "1.1", "1.2", "2", "2.1", "2.2", "2.3")))
                .body("clauses.find { it.id == '1' }.heading", is("Service"))
                .body("clauses.find { it.id == '1.2' }.highlighted", is(true))
                .body("clauses.find { it.id == '2.2' }.highlighted", is(true))
                .body("clauses.find { it.id == '2.2' }.text", is("Liability is limited to the fees of one year."))
                .body("clauses.find { it.id == '2.3' }.highlighted", is(false));
        assertEquals(2, drafted(k, V2), "drafts are numbered 1..n per agreement");
        given().get("/agreements/{k}/versions/1", k).then().statusCode(200)
                .body("content", is(V1)).body("status", is("DRAFT")).body("label", is("2026-11"))
                .body("noticeAt", nullValue());
    }

    @Test
    void highlightedClausesMustExist() {
        draft(registered(30), Map.of("content", V1, "highlightedClauses", List.of("9.9"))).statusCode(422)
                .body("type", endsWith("unknown-clause")).body("field", is("highlightedClauses"))
                .body("detail", containsString("9.9"));
    }

    /** Every diff compares clauses pair by pair: a version of more clauses than the limit is refused. */
    @Test
    void aVersionOfTooManyClausesIsRefused() {
        String k = registered(30);
        StringBuilder content = new StringBuilder("Terms");
        for (int i = 1; i <= ClauseDiff.MAX_CLAUSES + 1; i++) {
            // clause numbers have at most three digits a level: 1.1 … 1.500, 2.1 …
            content.append('\n').append(1 + i / 500).append('.').append(1 + i % 500).append(" Clause ").append(i)
                    .append(" of the terms.");
        }
        draft(k, Map.of("content", content.toString())).statusCode(422)
                .body("type", endsWith("too-many-clauses")).body("field", is("content"))
                .body("maxClauses", is(ClauseDiff.MAX_CLAUSES))
                .body("detail", containsString("at most " + ClauseDiff.MAX_CLAUSES));
        given().get("/agreements/{k}", k).then().statusCode(200).body("versions", hasSize(0));
    }

    /**
     * Every event of a version must fit a Kafka record. A version whose text takes more than 400 KiB
     * as JSON (here 140,000 Chinese characters, 420,000 bytes) is refused; one of 130,000 is taken.
     */
    @Test
    void aVersionTooLargeForItsEventsIsRefused() {
        String k = registered(30);
        draft(k, Map.of("content", "条款\n1.1 " + "条".repeat(140_000))).statusCode(422)
                .body("type", endsWith("content-too-large")).body("field", is("content"))
                .body("maxBytes", is(400 * 1024)).body("detail", containsString("bytes as JSON text"));
        given().get("/agreements/{k}", k).then().statusCode(200).body("versions", hasSize(0));
        draft(k, Map.of("content", "条款\n1.1 " + "条".repeat(130_000))).statusCode(201);
    }

    @Test
    void emptyContentIs400() {
        draft(registered(30), Map.of("content", "  ")).statusCode(400).body("violations.field", hasItem("content"));
    }

    @Test
    void firstVersionTakesEffectAtPublicationAndRevisionAfterNoticeDays() {
        String k = registered(30);
        drafted(k, V1);
        Instant before = clock.now().minusMillis(5);
        JsonPath p1 = publish(k, 1, null).statusCode(200)
                .body("status", is("EFFECTIVE")).body("previousVersion", nullValue()).extract().jsonPath();
        Instant notice1 = instant(p1.get("noticeAt"));
        assertTrue(!notice1.isBefore(before) && !notice1.isAfter(clock.now()));
        assertEquals(notice1, instant(p1.get("effectiveAt")), "the first version takes effect at publication");

        drafted(k, V2);
        JsonPath p2 = publish(k, 2, Map.of()).statusCode(200)
                .body("status", is("SCHEDULED")).body("previousVersion", is(1)).extract().jsonPath();
        Instant notice2 = instant(p2.get("noticeAt"));
        assertEquals(notice2.atZone(ZoneId.of("Asia/Shanghai")).plusDays(30).toInstant(), instant(p2.get("effectiveAt")));

        given().get("/agreements/{k}", k).then().statusCode(200)
                .body("currentVersion", is(1))
                .body("versions.status", equalTo(List.of("EFFECTIVE", "SCHEDULED")))
                .body("versions[1].noticeAt", is(p2.getString("noticeAt")))
                .body("versions[1].effectiveAt", is(p2.getString("effectiveAt")));
        given().get("/agreements/{k}/versions/current", k).then().statusCode(200).body("version", is(1));
        Instant e2 = instant(p2.get("effectiveAt"));
        given().queryParam("at", e2.minusMillis(1).toString()).get("/agreements/{k}/versions/current", k).then()
                .statusCode(200).body("version", is(1));
        given().queryParam("at", e2.toString()).get("/agreements/{k}/versions/current", k).then()
                .statusCode(200).body("version", is(2)).body("content", is(V2));
        given().queryParam("at", notice1.minusSeconds(1).toString()).get("/agreements/{k}/versions/current", k).then()
                .statusCode(404).contentType("application/problem+json").body("type", endsWith("no-version-in-effect"));
    }

    @Test
    void statusesFollowTheClockWithoutAnyJob() {
        String k = registered(3);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        drafted(k, V2);
        publish(k, 2, null).statusCode(200).body("status", is("SCHEDULED"));
        // move "now" past the notice period: the statuses change on read
        clock.setOffset(clock.offset().plus(Duration.ofDays(4)));
        given().get("/agreements/{k}", k).then()
                .body("currentVersion", is(2))
                .body("versions.status", equalTo(List.of("SUPERSEDED", "EFFECTIVE")));
        given().get("/agreements/{k}/versions/current", k).then().body("version", is(2)).body("status", is("EFFECTIVE"));
        withdraw(k, 2, "too late").statusCode(409).body("type", endsWith("already-effective"));
    }

    @Test
    void shortLeadIs422NamingTheEarliestInstant() {
        String k = registered(30);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        drafted(k, V2);
        Instant tooEarly = clock.now().plus(Duration.ofDays(10));
        JsonPath problem = publish(k, 2, Map.of("effectiveAt", tooEarly.toString())).statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("lead-time-too-short"))
                .body("field", is("effectiveAt"))
                .body("noticeDays", is(30))
                .extract().jsonPath();
        Instant earliest = instant(problem.get("earliestEffectiveAt"));
        assertTrue(earliest.isAfter(clock.now().plus(Duration.ofDays(29))));
        assertTrue(problem.getString("detail").contains(earliest.toString()));
        // nothing changed: still a draft
        given().get("/agreements/{k}/versions/2", k).then().body("status", is("DRAFT"));
        Instant later = clock.now().plus(Duration.ofDays(45)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        publish(k, 2, Map.of("effectiveAt", later.toString())).statusCode(200)
                .body("effectiveAt", is(later.toString())).body("status", is("SCHEDULED"));
    }

    @Test
    void publishNeedsNoBodyAtAll() {
        String k = registered(7);
        drafted(k, V1);
        given().post("/agreements/{k}/versions/1/publish", k).then().statusCode(200).body("status", is("EFFECTIVE"));
        drafted(k, V2);
        given().contentType("application/json").body("{\"effectiveAt\": \"soon\"}")
                .post("/agreements/{k}/versions/2/publish", k).then().statusCode(400)
                .body("detail", containsString("effectiveAt"));
        given().contentType("application/json").body("{\"effectiveDate\": \"2030-01-01T00:00:00Z\"}")
                .post("/agreements/{k}/versions/2/publish", k).then().statusCode(400)
                .body("detail", containsString("Unknown field 'effectiveDate'"));
    }

    @Test
    void publishingTwiceOrAnOlderVersionIs409() {
        String k = registered(7);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        publish(k, 1, null).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("already-published")).body("detail", containsString("published"));
        drafted(k, V2);
        drafted(k, V1 + "\n3.1 Another clause.");
        publish(k, 3, null).statusCode(200).body("status", is("SCHEDULED"));
        publish(k, 2, null).statusCode(409).body("type", endsWith("older-than-published"))
                .body("latestVersion", is(3)).body("detail", containsString("version 3"));
    }

    /** Version numbers follow the order of publication, a withdrawn version's included. */
    @Test
    void aVersionBelowAWithdrawnPublishedOneIs409() {
        String k = registered(7);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        drafted(k, V2);
        drafted(k, V2 + "\n3.1 Another clause.");
        publish(k, 3, null).statusCode(200);
        withdraw(k, 3, "Published by mistake").statusCode(200);
        publish(k, 2, null).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("older-than-published")).body("latestVersion", is(3))
                .body("detail", containsString("version 3"));
        given().get("/agreements/{k}", k).then().body("versions.status", equalTo(List.of("EFFECTIVE", "DRAFT", "WITHDRAWN")));
    }

    /**
     * Version 3 was announced as a change from version 2 (its notice names only what changed since 2):
     * withdrawn underneath it, version 2's changes would take effect with version 3 although only the
     * withdrawn notice named them.
     */
    @Test
    void aRevisionCannotBeWithdrawnFromUnderALaterOne() {
        String k = registered(30);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        drafted(k, V2);
        publish(k, 2, null).statusCode(200).body("status", is("SCHEDULED"));
        drafted(k, V2 + "\n3.1 Another clause.");
        publish(k, 3, null).statusCode(200).body("previousVersion", is(2));
        withdraw(k, 2, "mistake").statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("later-version-published")).body("laterVersion", is(3))
                .body("detail", containsString("withdraw version 3 first"));
        given().get("/agreements/{k}", k).then().body("versions.status", equalTo(List.of("EFFECTIVE", "SCHEDULED", "SCHEDULED")));
        withdraw(k, 3, "mistake").statusCode(200);
        withdraw(k, 2, "mistake").statusCode(200);
        given().get("/agreements/{k}", k).then().body("versions.status", equalTo(List.of("EFFECTIVE", "WITHDRAWN", "WITHDRAWN")));
    }

    /**
     * The clause-number pattern repeats a group, which Java matches by recursion: a line of 20,000 levels
     * (40 KB, well under the size limit) overflowed the stack, a 500. Levels beyond the sixteenth are text.
     */
    @Test
    void aNumberOfThousandsOfLevelsIsText() {
        String k = registered(30);
        String deep = "1" + ".1".repeat(20_000) + " Deep clause.";
        draft(k, Map.of("content", "Terms\n" + deep)).statusCode(201)
                .body("clauses.id", equalTo(List.of("preamble", "1" + ".1".repeat(ClauseSplitter.MAX_LEVELS - 1))));
        draft(k, Map.of("content", "Terms\n**1" + ".1".repeat(20_000) + ".**\n\n4 Split number.")).statusCode(201);
    }

    @Test
    void withdrawOnlyBeforeEffect() {
        String k = registered(30);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        withdraw(k, 1, "mistake").statusCode(409).body("type", endsWith("already-effective"));
        drafted(k, V2);
        withdraw(k, 2, "mistake").statusCode(409).body("type", endsWith("not-published"));
        publish(k, 2, null).statusCode(200);
        withdraw(k, 2, "Published by mistake").statusCode(200)
                .body("status", is("WITHDRAWN")).body("reason", is("Published by mistake"));
        withdraw(k, 2, "again").statusCode(409).body("type", endsWith("already-withdrawn"));
        publish(k, 2, null).statusCode(409).body("type", endsWith("version-withdrawn"));
        given().get("/agreements/{k}", k).then().body("versions.status", equalTo(List.of("EFFECTIVE", "WITHDRAWN")));
        given().queryParam("at", clock.now().plus(Duration.ofDays(60)).toString())
                .get("/agreements/{k}/versions/current", k).then().body("version", is(1));
        // a version after a withdrawn one needs the lead time again and follows version 1
        drafted(k, V2 + "\n2.3 New.");
        publish(k, 3, null).statusCode(200).body("previousVersion", is(1)).body("status", is("SCHEDULED"));
        given().contentType("application/json").body(Map.of()).post("/agreements/{k}/versions/3/withdraw", k).then()
                .statusCode(400).body("violations.field", hasItem("reason"));
    }

    @Test
    void diffPairsClausesAndCallsOutHighlightedChanges() {
        String k = registered(30);
        drafted(k, V1);
        drafted(k, V2);
        given().get("/agreements/{k}/versions/1/diff/2", k).then().statusCode(200)
                .body("from", is(1)).body("to", is(2))
                .body("added.id", equalTo(List.of("1.2")))
                .body("added[0].text", is("The customer keeps all rights to the data it uploads."))
                .body("removed.id", equalTo(List.of("2.3")))
                .body("modified.id", equalTo(List.of("2.2")))
                .body("modified[0].before", is("Liability is limited to the fees of one year."))
                .body("modified[0].after", is("Liability is limited to the fees of six months."))
                .body("modified[0].highlighted", is(true))
                .body("highlighted", equalTo(List.of("2.2")))
                .body("unchanged", is(6));
        given().get("/agreements/{k}/versions/2/diff/2", k).then().statusCode(200)
                .body("added.size()", is(0)).body("modified.size()", is(0)).body("unchanged", is(8));
        given().get("/agreements/{k}/versions/1/diff/9", k).then().statusCode(404);
    }

    @Test
    void unknownAgreementOrVersionIs404() {
        String missing = "missing-" + System.nanoTime();
        draft(missing, Map.of("content", V1)).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(missing));
        String k = registered(7);
        given().get("/agreements/{k}/versions/7", k).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no version 7"));
        publish(k, 7, null).statusCode(404);
        withdraw(k, 7, "x").statusCode(404);
        given().get("/agreements/{k}/versions/current", missing).then().statusCode(404);
        given().get("/agreements/{k}/versions/abc", k).then().statusCode(404).contentType("application/problem+json");
        given().get("/agreements/{k}/versions/current", k).then().statusCode(404).body("type", endsWith("no-version-in-effect"));
    }

    @Test
    void instantsBeyondYear9999OrBeforeYear1AreRefusedAndNothingChanges() {
        // PostgreSQL stores neither; publication answered 500 and a history import 500 before these were refused
        String k = registered(7);
        drafted(k, V1);
        publish(k, 1, Map.of("effectiveAt", "+294277-01-01T00:00:00Z")).statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("malformed-json"))
                .body("detail", containsString("effectiveAt")).body("detail", containsString("9999-12-31T23:59:59Z"));
        publish(k, 1, Map.of("effectiveAt", "+10000-01-01T00:00:00Z")).statusCode(400);
        given().get("/agreements/{k}/versions/1", k).then().statusCode(200).body("status", is("DRAFT"));
        publish(k, 1, Map.of("effectiveAt", "9999-12-31T00:00:00Z")).statusCode(200).body("status", is("SCHEDULED"))
                .body("effectiveAt", is("9999-12-31T00:00:00Z"));

        String h = registered(7);
        given().contentType("application/json")
                .body(Map.of("versions", List.of(Map.of("content", V1, "noticeAt", "-5000-01-01T00:00:00Z",
                        "effectiveAt", "-4990-01-01T00:00:00Z"))))
                .post("/agreements/{k}/versions/import", h).then().statusCode(400)
                .body("detail", containsString("versions[0].")).body("detail", containsString("0001-01-01T00:00:00Z"));
        given().get("/agreements/{k}/versions", h).then().statusCode(200).body("size()", is(0));

        given().queryParam("at", "+10000-01-01T00:00:00Z").get("/agreements/{k}/versions/current", k).then()
                .statusCode(400).body("field", is("at")).body("detail", containsString("0001-01-01T00:00:00Z"));
    }

    @Test
    void badAtIs400() {
        String k = registered(7);
        given().queryParam("at", "yesterday").get("/agreements/{k}/versions/current", k).then().statusCode(400)
                .body("field", is("at")).body("detail", containsString("ISO-8601"));
    }

    @Test
    void publishedContentNeverChanges() {
        String k = registered(7);
        drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        String sha = given().get("/agreements/{k}/versions/1", k).then().extract().path("contentSha256");
        assertEquals(ContentHash.sha256(V1), sha);
        // there is no update endpoint: a PUT is refused, and the content is as published
        given().contentType("application/json").body(Map.of("content", "other")).put("/agreements/{k}/versions/1", k)
                .then().statusCode(org.hamcrest.Matchers.anyOf(is(404), is(405)));
        assertFalse(given().get("/agreements/{k}/versions/1", k).then().extract().<String>path("content").contains("other"));
    }
}
