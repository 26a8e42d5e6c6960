package io.termsledger.version.rest;

import static io.restassured.RestAssured.given;
import static io.termsledger.version.support.Api.V1;
import static io.termsledger.version.support.Api.V2;
import static io.termsledger.version.support.Api.publish;
import static io.termsledger.version.support.Api.registered;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.termsledger.kit.time.AppClock;
import io.termsledger.version.support.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ImportHistoryTest {

    @Inject
    AppClock clock;

    static Map<String, Object> version(String content, String noticeAt, String effectiveAt) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("content", content);
        v.put("noticeAt", noticeAt);
        v.put("effectiveAt", effectiveAt);
        return v;
    }

    static ValidatableResponse importing(String key, Object... versions) {
        return given().contentType(ContentType.JSON).body(Map.of("versions", List.of(versions)))
                .post("/agreements/{k}/versions/import", key).then();
    }

    @Test
    void importsBackDatedHistoryWithStatusesFromTheDates() {
        String k = registered(30);
        importing(k, version(V1, "2021-04-05T00:00:00Z", "2021-04-05T00:00:00Z"),
                version(V2, "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z"))
                .statusCode(201)
                .body("versions.version", equalTo(List.of(1, 2)))
                .body("versions.status", equalTo(List.of("SUPERSEDED", "EFFECTIVE")))
                .body("versions.imported", equalTo(List.of(true, true)));
        given().queryParam("at", "2022-06-01T00:00:00Z").get("/agreements/{k}/versions/current", k).then()
                .body("version", is(1)).body("imported", is(true));
        given().queryParam("at", "2023-02-01T00:00:00Z").get("/agreements/{k}/versions/current", k).then()
                .body("version", is(2)).body("previousVersion", is(1));
        given().queryParam("at", "2021-04-04T23:59:59Z").get("/agreements/{k}/versions/current", k).then()
                .statusCode(404);
        // a later revision published normally follows the imported history
        Api.drafted(k, V2 + "\n3. New");
        publish(k, 3, null).statusCode(200).body("previousVersion", is(2)).body("status", is("SCHEDULED"));
    }

    @Test
    void shortLeadInTheHistoryRefusesTheWholeRequest() {
        String k = registered(30);
        importing(k, version(V1, "2021-04-05T00:00:00Z", "2021-04-05T00:00:00Z"),
                version(V2, "2023-01-01T00:00:00Z", "2023-01-15T00:00:00Z"))
                .statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("lead-time-too-short"))
                .body("field", is("versions[1].effectiveAt"))
                .body("index", is(1))
                .body("earliestEffectiveAt", is("2023-01-31T00:00:00Z"));
        given().get("/agreements/{k}", k).then().body("versions.size()", is(0));
    }

    @Test
    void futureNoticeIsRefusedAndOrderIsChecked() {
        String k = registered(7);
        String future = clock.now().plus(Duration.ofDays(2)).toString();
        importing(k, version(V1, future, future)).statusCode(422)
                .body("type", endsWith("future-notice")).body("field", is("versions[0].noticeAt"));
        importing(k, version(V1, "2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z"),
                version(V2, "2022-01-01T00:00:00Z", "2022-02-01T00:00:00Z")).statusCode(422)
                .body("type", endsWith("out-of-order")).body("field", is("versions[1].noticeAt"));
        importing(k, version(V1, "2023-01-01T00:00:00Z", "2022-12-31T00:00:00Z")).statusCode(422)
                .body("type", endsWith("lead-time-too-short")).body("earliestEffectiveAt", is("2023-01-01T00:00:00Z"));
        given().get("/agreements/{k}", k).then().body("versions.size()", is(0));
    }

    @Test
    void missingInstantsAndEmptyListAre400() {
        String k = registered(7);
        Map<String, Object> v = version(V1, null, "2023-01-01T00:00:00Z");
        v.remove("noticeAt");
        importing(k, v).statusCode(400).body("violations.field", hasItem("versions[0].noticeAt"));
        importing(k).statusCode(400).body("violations.field", hasItem("versions"));
        importing(k, version(V1, "last year", "2023-01-01T00:00:00Z")).statusCode(400)
                .body("detail", containsString("noticeAt"));
        importing("no-such-agreement-" + System.nanoTime(), version(V1, "2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z"))
                .statusCode(404);
    }

    /**
     * An import after a publication could back-date a revision's notice and effect, so that it
     * took effect at once (yesterday) with no notice given, and status answers for past instants
     * changed after the fact.
     */
    @Test
    void historyCannotBeImportedAfterAPublication() {
        String k = registered(30);
        Api.drafted(k, V1);
        publish(k, 1, null).statusCode(200);
        String monthAgo = clock.now().minus(Duration.ofDays(31)).toString();
        String yesterday = clock.now().minus(Duration.ofDays(1)).toString();
        importing(k, version(V2, monthAgo, yesterday)).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("history-closed")).body("publishedVersion", is(1))
                .body("detail", containsString("/publish"));
        given().get("/agreements/{k}", k).then().body("versions.size()", is(1));
    }

    /**
     * A second import could do what an import after a publication could: add a revision noticed and
     * effective in the past, with no notice given by the service, and change what governed at instants
     * already answered for.
     */
    @Test
    void historyIsImportedOnce() {
        String k = registered(30);
        importing(k, version(V1, "2021-04-05T00:00:00Z", "2021-04-05T00:00:00Z")).statusCode(201);
        String monthAgo = clock.now().minus(Duration.ofDays(31)).toString();
        String yesterday = clock.now().minus(Duration.ofDays(1)).toString();
        importing(k, version(V2, monthAgo, yesterday)).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("history-closed")).body("publishedVersion", is(1))
                .body("detail", containsString("imported once"));
        given().get("/agreements/{k}", k).then().body("versions.size()", is(1));
        given().queryParam("at", clock.now().toString()).get("/agreements/{k}/versions/current", k).then()
                .body("version", is(1));
    }

    @Test
    void publishCannotBackDate() {
        String k = registered(7);
        Api.drafted(k, V1);
        publish(k, 1, Map.of("effectiveAt", "2020-01-01T00:00:00Z")).statusCode(422)
                .body("type", endsWith("lead-time-too-short"));
    }
}
