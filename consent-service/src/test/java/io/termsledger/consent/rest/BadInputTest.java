package io.termsledger.consent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.termsledger.consent.support.Agreements;
import io.termsledger.kit.testing.Chunked;
import io.termsledger.kit.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input is always a 4xx problem document that says what to fix, never a 500. */
@QuarkusTest
class BadInputTest {

    @Inject
    Agreements agreements;

    String key;
    String product;

    @BeforeEach
    void agreement() {
        key = Agreements.unique("bad");
        product = Agreements.unique("prod");
        String a = Agreements.agreementJson(key, "PRODUCT", null, product, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant at = Agreements.now().minus(Duration.ofDays(3));
        agreements.publish(key, a, 1, at, at, null);
    }

    private RequestSpecification json() {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString());
    }

    private static void problem(io.restassured.response.Response r, int status, String detailPart) {
        r.then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("type", startsWith("urn:terms-ledger:problem:"))
                .body("detail", containsString(detailPart));
    }

    @Test
    void consentBodies() {
        problem(json().body("{\"userId\": ").post("/consents"), 400, "");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"colour\": \"red\"}").post("/consents"), 400, "colour");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"WINK\"}")
                .post("/consents"), 400, "CLICK");
        problem(json().body("{\"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\"}").post("/consents"),
                400, "userId");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 0, \"method\": \"CLICK\"}")
                .post("/consents"), 400, "version");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": \"one\", \"method\": \"CLICK\"}")
                .post("/consents"), 400, "version");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"occurredAt\": \"yesterday\"}").post("/consents"), 400, "occurredAt");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"documentSha256\": \"xyz\"}}").post("/consents"), 400, "documentSha256");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"ip\": \"1.2.3.4\", \"cookie\": \"x\"}}").post("/consents"), 400, "cookie");
        // the pattern used to let any letters through as an "address"
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"ip\": \"localhost\"}}").post("/consents"), 400, "evidence.ip");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"ip\": \"1::2::3\"}}").post("/consents"), 400, "IPv4 or IPv6");
        problem(json().body("{\"userId\": \"" + "x".repeat(201) + "\", \"agreementKey\": \"" + key + "\", \"version\": 1,"
                + " \"method\": \"CLICK\"}").post("/consents"), 400, "userId");
        problem(json().body("").post("/consents"), 400, "");
        problem(json().body("[]").post("/consents"), 400, "");
        problem(given().contentType(ContentType.TEXT).header("Idempotency-Key", "k").body("hello").post("/consents"), 415, "");
        problem(given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(201))
                .body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\"}")
                .post("/consents"), 400, "Idempotency-Key");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"evidence\": {\"userAgent\": \"" + "a".repeat(3 * 1024 * 1024) + "\"}}").post("/consents"), 413, "limit");
    }

    @Test
    void objectionsAndUsage() {
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\"}").post("/objections"), 400, "version");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"version\": 7}").post("/objections"), 422,
                "no published version 7");
        problem(json().body("{\"userId\": \"u\"}").post("/usage"), 400, "agreementKey or product");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"product\": \"" + product + "\"}")
                .post("/usage"), 400, "exactly one");
        problem(json().body("{\"userId\": \"u\", \"product\": \"nope-" + UUID.randomUUID() + "\"}").post("/usage"), 422,
                "product");
        problem(json().body("{\"userId\": \"u\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \""
                + Instant.now().plus(Duration.ofHours(1)) + "\"}").post("/usage"), 422, "future");
        problem(given().contentType("application/x-ndjson").body(new byte[0]).post("/consents/import"), 400, "empty");
        // a line "null" was read as no fact at all and failed with a NullPointerException: "could not be recorded;
        // retry it", as if the database had failed
        given().contentType("application/x-ndjson").body("{\"type\": \"MAYBE\"}\n{\"nope\": 1}\nnull".getBytes())
                .post("/consents/import").then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:terms-ledger:problem:no-line-recorded")).body("rejected", equalTo(3))
                .body("results[0].error", containsString("ACCEPTED, OBJECTED or USAGE"))
                .body("results[1].problem", equalTo("malformed-json"))
                .body("results[2].problem", equalTo("malformed-json"))
                .body("results[2].error", containsString("not null"));
    }

    /**
     * A line naming a member its type does not record is refused, not recorded without it: evidence on an
     * objection, a version and method on a usage signal, a reason on an acceptance. Before, each was dropped and
     * the line reported RECORDED.
     */
    @Test
    void importLinesNamingMembersTheirTypeDoesNotRecordAreRefused() {
        String at = Agreements.now().minus(Duration.ofDays(1)).toString();
        String kept = Agreements.unique("kept");
        String objector = Agreements.unique("obj");
        String user = Agreements.unique("use");
        String clicker = Agreements.unique("click");
        String body = importLine(kept)
                + "{\"type\": \"OBJECTED\", \"userId\": \"" + objector + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"occurredAt\": \"" + at + "\", \"evidence\": {\"sealDocumentNo\": \"S-9\"}}\n"
                + "{\"type\": \"USAGE\", \"userId\": \"" + user + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 999, \"method\": \"SEAL\", \"occurredAt\": \"" + at + "\"}\n"
                + "{\"type\": \"ACCEPTED\", \"userId\": \"" + clicker + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"method\": \"CLICK\", \"occurredAt\": \"" + at + "\", \"reason\": \"why\"}\n"
                // empty members lose nothing: exporters that write every column still import
                + "{\"type\": \"OBJECTED\", \"userId\": \"" + Agreements.unique("obj-empty") + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"occurredAt\": \"" + at + "\", \"evidence\": {\"channel\": \"\"}, \"product\": null}\n"
                + "{\"type\": \"ACCEPTED\", \"userId\": \"" + Agreements.unique("click-empty") + "\", \"agreementKey\": \"" + key
                + "\", \"version\": 1, \"method\": \"CLICK\", \"occurredAt\": \"" + at + "\", \"reason\": \"\", \"product\": \" \"}\n";
        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8)).post("/consents/import")
                .then().statusCode(200).body("recorded", equalTo(3)).body("rejected", equalTo(3))
                .body("results.status", equalTo(List.of("RECORDED", "REJECTED", "REJECTED", "REJECTED", "RECORDED", "RECORDED")))
                .body("results[1].error", containsString("evidence is not part of OBJECTED lines"))
                .body("results[2].error", containsString("version, method are not part of USAGE lines"))
                .body("results[3].error", containsString("reason is not part of ACCEPTED lines"));
        for (String u : List.of(objector, clicker)) {
            given().get("/users/{u}/consents", u).then().statusCode(200).body("facts.size()", equalTo(0));
        }
        // the refused usage line stored no signal: the same signal, sent properly, is stored now
        given().contentType("application/x-ndjson").body(("{\"type\": \"USAGE\", \"userId\": \"" + user
                        + "\", \"agreementKey\": \"" + key + "\", \"occurredAt\": \"" + at + "\"}\n").getBytes(StandardCharsets.UTF_8))
                .post("/consents/import").then().statusCode(200).body("recorded", equalTo(1))
                .body("results[0].stored", equalTo(1));
    }

    /**
     * Lines that end with a lone CR are lines; two facts on one line are refused, not read as the first
     * one. Before, a file of CR-ended lines was one line: its first fact was recorded, the rest silently dropped.
     */
    @Test
    void importLinesEndWithAnyLineBreakAndALineHoldsOneFact() {
        String a = Agreements.unique("cr-a");
        String b = Agreements.unique("cr-b");
        String c = Agreements.unique("cr-c");
        String body = importLine(a).strip() + "\r" + importLine(b).strip() + "\r\n"
                + importLine(c).strip() + " " + importLine(c + "-2").strip() + "\n";
        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8)).post("/consents/import")
                .then().statusCode(200).body("lines", equalTo(3)).body("recorded", equalTo(2))
                .body("results[2].problem", equalTo("malformed-json"));
        given().get("/users/{u}/consents", b).then().statusCode(200).body("facts.size()", equalTo(1));
        given().get("/users/{u}/consents", c).then().statusCode(200).body("length", equalTo(0));
        given().get("/users/{u}/consents", c + "-2").then().statusCode(200).body("length", equalTo(0));
    }

    @TestHTTPResource("/consents/import")
    URI importUri;

    /** An import sent chunked (no Content-Length) over the body limit was read and recorded up to 16 MiB. */
    @Test
    void aChunkedImportOverTheLimitIsRefusedWholeAndOneUnderItIsRecorded() throws Exception {
        String user = Agreements.unique("chunked");
        StringBuilder big = new StringBuilder(importLine(user));
        while (big.length() <= 2 * 1024 * 1024) {
            big.append(importLine(Agreements.unique("chunked-more")));
        }
        HttpResponse<String> r = Chunked.post(importUri, "application/x-ndjson", TestTokens.operator(),
                big.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("payload-too-large"), r.body());
        given().get("/users/{u}/consents", user).then().statusCode(200).body("length", equalTo(0));

        HttpResponse<String> small = Chunked.post(importUri, "application/x-ndjson", TestTokens.operator(),
                importLine(user).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, small.statusCode(), small.body());
        given().get("/users/{u}/consents", user).then().statusCode(200).body("length", equalTo(1));
    }

    private String importLine(String user) {
        return "{\"userId\": \"" + user + "\", \"agreementKey\": \"" + key + "\", \"version\": 1, \"method\": \"CLICK\","
                + " \"occurredAt\": \"" + Agreements.now().minus(Duration.ofDays(1)) + "\"}\n";
    }

    private static byte[] bytes(String... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @Test
    void anImportThatIsNotInItsCharsetIsRefusedWholeNamingTheLine() {
        // a byte that is not UTF-8 (0xFF) in line 2's user id: decoded anyway, it would become U+FFFD and record a
        // fact for a user the file does not name
        String user = Agreements.unique("enc");
        byte[] body = bytes(importLine(user), importLine(user + "-\u00ff"));
        // as curl sends it: no charset named (RestAssured would add its default, ISO-8859-1, where every byte is valid)
        Response r = given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/x-ndjson").body(body).post("/consents/import");
        problem(r, 400, "line 2");
        r.then().body("type", equalTo("urn:terms-ledger:problem:invalid-encoding")).body("line", equalTo(2));
        given().get("/users/{u}/consents", user).then().statusCode(200).body("length", equalTo(0));
        // lines that end with a lone CR (as the import reads them) are counted too: this is line 3, its 0xFF the
        // user id's last character (the count was of LF bytes only, and said line 1)
        String crLine = importLine(user).replace("\n", "") + "\r";
        Response cr = given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/x-ndjson").body(bytes(crLine, crLine, "{\"userId\": \"x\u00ff\"}\r"))
                .post("/consents/import");
        problem(cr, 400, "line 3, from character 14 of the line");
        cr.then().body("line", equalTo(3));
        // the same bytes are Latin-1 when the content type says so: é is 0xE9 there
        String latin = Agreements.unique("jos") + "\u00e9";
        given().contentType("application/x-ndjson; charset=ISO-8859-1").body(bytes(importLine(latin))).post("/consents/import")
                .then().statusCode(200).body("recorded", equalTo(1));
        given().get("/users/{u}/consents", latin).then().statusCode(200).body("length", equalTo(1));
        problem(given().contentType("application/x-ndjson; charset=no-such-charset").body(bytes(importLine(user)))
                .post("/consents/import"), 400, "no-such-charset");
    }

    @Test
    void anImportSavedWithAByteOrderMarkAndWindowsLineEndsReadsEveryLine() {
        // spreadsheet and Windows tools start a UTF-8 file with EF BB BF; the first line was refused as not JSON
        String first = Agreements.unique("bom");
        String second = Agreements.unique("bom");
        byte[] lines = (importLine(first) + "\r\n" + importLine(second) + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[lines.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(lines, 0, body, 3, lines.length);
        given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/x-ndjson").body(body).post("/consents/import").then().statusCode(200)
                .body("lines", equalTo(2)).body("recorded", equalTo(2)).body("rejected", equalTo(0));
        given().get("/users/{u}/consents", first).then().statusCode(200).body("length", equalTo(1));
        given().get("/users/{u}/consents", second).then().statusCode(200).body("length", equalTo(1));
    }

    @Test
    void queries() {
        problem(given().queryParam("at", "tomorrow").get("/users/u/agreements/{k}/status", key), 400, "ISO-8601");
        problem(given().get("/users/u/agreements/{k}/status", "nope-" + UUID.randomUUID()), 404, "agreement");
        problem(given().get("/agreements/{k}/population", "nope-" + UUID.randomUUID()), 404, "agreement");
        problem(given().queryParam("at", "2026-13-01").get("/agreements/{k}/population", key), 400, "ISO-8601");
        problem(given().queryParam("product", "nope-" + UUID.randomUUID()).get("/users/u/terms"), 404, "product");
        problem(given().get("/users/{u}/proof", "nobody-" + UUID.randomUUID()), 404, "nothing");
        problem(given().get("/consents/not-a-uuid"), 404, "UUID");
        problem(given().get("/consents/{id}", UUID.randomUUID()), 404, "No fact");
        problem(given().delete("/consents"), 405, "");
        problem(given().accept("text/csv").get("/users/u/consents"), 406, "");
    }
}
