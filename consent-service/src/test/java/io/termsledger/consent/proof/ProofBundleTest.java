package io.termsledger.consent.proof;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.termsledger.consent.service.Canonical;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /users/{u}/proof verified offline by tools/VerifyProof.java, and tampering caught. */
@QuarkusTest
class ProofBundleTest {

    @Inject
    Agreements agreements;

    @Inject
    AgroalDataSource ds;

    String user;
    String bundle;

    @BeforeEach
    void ledger() {
        String key = Agreements.unique("proof");
        String a = Agreements.agreementJson(key, "GENERAL", null, null, 7, "ON_EFFECTIVE_DATE", false, "\"CLICK\", \"USE\"",
                "ANNOUNCEMENT");
        agreements.register(key, a);
        Instant v1At = Agreements.now().minus(Duration.ofDays(30));
        agreements.publish(key, a, 1, v1At, v1At, null);
        Instant notice = Agreements.now().minus(Duration.ofDays(10));
        agreements.publish(key, a, 2, notice, notice.plus(Duration.ofDays(7)), 1);
        user = Agreements.unique("proof-user-用户");
        Api.accept(user, key, 1, "CLICK", v1At.plus(Duration.ofDays(1))).statusCode(201);
        Api.object(user, key, 2, notice.plus(Duration.ofDays(1))).statusCode(201);
        Api.use(user, key, notice.plus(Duration.ofDays(8))).statusCode(202);
        Api.accept(user, key, 2, "CLICK", notice.plus(Duration.ofDays(9))).statusCode(201);
        bundle = given().get("/users/{u}/proof", user).then().statusCode(200).extract().asString();
    }

    @Test
    void bundleHoldsChainVersionsAndTheStatusWithTheRulesApplied() {
        JsonPath b = JsonPath.from(bundle);
        assertEquals("terms-ledger-proof/2", b.getString("format"));
        assertEquals("SHA256withRSA", b.getString("signature.algorithm"));
        assertTrue(b.getString("signature.keyId").matches("sha256:[0-9a-f]{64}"), bundle);
        assertEquals(3, b.getInt("chain.length"));
        assertEquals(Canonical.GENESIS, b.getString("chain.genesis"));
        assertEquals(b.getString("facts[2].hash"), b.getString("chain.head"));
        assertEquals(2, b.getList("agreements[0].versions").size());
        assertEquals(2, b.getInt("agreements[0].status.governingVersion"));
        assertTrue(b.getList("agreements[0].status.notes.code").contains("OBJECTION_LAPSED_BY_USE"), bundle);
        assertEquals("ON_EFFECTIVE_DATE", b.getString("agreements[0].policy.bindingRule"));
    }

    /**
     * The agreements a bundle lists come from its transaction's snapshot: read from this instance's one-second
     * cache, a version another instance had just applied (and a fact recorded for it) could be missing, and the
     * verifier would refuse an honest bundle.
     */
    @Test
    void theBundleListsTheVersionsOfItsSnapshotNotThoseThisInstanceCached() throws Exception {
        String key = JsonPath.from(bundle).getString("agreements[0].agreementKey");
        given().get("/users/{u}/proof", user).then().statusCode(200);
        // another instance's consumer applies the publication of version 3: the row, and the catalog's revision
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("insert into agreement_version (agreement_key, version, label,"
                    + " imported, notice_at, effective_at, content_sha256, previous_version) values (?, 3, 'v3', false,"
                    + " now(), now() + interval '8 days', ?, 2)")) {
                s.setString(1, key);
                s.setString(2, "ab".repeat(32));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update agreement set revision = revision + 1 where agreement_key = ?")) {
                s.setString(1, key);
                s.executeUpdate();
            }
            c.commit();
        }
        JsonPath b = JsonPath.from(given().get("/users/{u}/proof", user).then().statusCode(200).extract().asString());
        assertEquals(List.of(1, 2, 3), b.getList("agreements[0].versions.version"));
    }

    @Test
    void verifierAcceptsTheBundleAndRejectsAnyOneByteChange() throws Exception {
        Result ok = verify(bundle);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("RESULT: VERIFIED"), ok.output());

        // one byte inside a fact's canonical form (a digit of occurredAt)
        int at = bundle.indexOf("occurredAt\\\":\\\"") + 16;
        Result fact = verify(replaceDigit(bundle, at));
        assertEquals(1, fact.exit(), fact.output());
        assertTrue(fact.output().contains("does not match the content"), fact.output());

        // one byte of a version's content hash
        int sha = bundle.indexOf("\"contentSha256\":\"") + 17;
        Result version = verify(replaceHex(bundle, sha));
        assertEquals(1, version.exit(), version.output());

        // one byte of the computed status (outside the chain): the digest catches it
        int gen = bundle.indexOf("\"generatedAt\":\"") + 16;
        Result digest = verify(replaceDigit(bundle, gen));
        assertEquals(1, digest.exit(), digest.output());
        assertTrue(digest.output().contains("bundleSha256"), digest.output());

        // one byte of a hash in the chain
        int h = bundle.indexOf("\"hash\":\"") + 8;
        assertEquals(1, verify(replaceHex(bundle, h)).exit());
    }

    /**
     * The bundle is signed by the service's key (SHA256withRSA over bundleSha256). A forger who drops a fact,
     * recomputes every hash and signs with a key of their own makes a bundle consistent in itself; the service's
     * public key, saved from GET /proof/signing-key and passed with --key, catches it with no fact hash held
     * from elsewhere. A bundle edited after it was signed, its digest recomputed but not signed again, fails.
     */
    @Test
    void theServicesKeyCatchesABundleSignedByAnotherOrAlteredAfterSigning() throws Exception {
        JsonPath key = given().get("/proof/signing-key").then().statusCode(200).extract().jsonPath();
        assertEquals(JsonPath.from(bundle).getString("signature.keyId"), key.getString("keyId"));
        Path pem = Files.createTempFile("proof-key", ".pem");
        Files.writeString(pem, key.getString("publicKeyPem"), StandardCharsets.US_ASCII);
        try {
            Result genuine = verify(bundle, "--key", pem.toString());
            assertEquals(0, genuine.exit(), genuine.output());
            assertTrue(genuine.output().contains("signed by the key you hold"), genuine.output());
            assertFalse(genuine.output().contains("NOTE"), genuine.output());

            String truncated = withoutTheLastFact(bundle);
            assertEquals(0, verify(truncated).exit(), "consistent in itself, signed by the forger");
            Result caught = verify(truncated, "--key", pem.toString());
            assertEquals(1, caught.exit(), caught.output());
            assertTrue(caught.output().contains("not by the key you hold"), caught.output());

            // the digest recomputed after an edit, the service's signature left as it was
            ObjectNode root = (ObjectNode) new ObjectMapper().readTree(bundle);
            ObjectNode signature = (ObjectNode) root.remove("signature");
            root.remove("bundleSha256");
            root.put("generatedAt", "2000-01-01T00:00:00Z");
            root.put("bundleSha256", Canonical.sha256Hex(Canonical.write(root)));
            root.set("signature", signature);
            Result resealed = verify(root.toString());
            assertEquals(1, resealed.exit(), resealed.output());
            assertTrue(resealed.output().contains("the signature does not match bundleSha256"), resealed.output());

            // a bundle of the unsigned format /1 verifies, but not against a key
            ObjectNode older = (ObjectNode) new ObjectMapper().readTree(bundle);
            older.remove("signature");
            older.remove("bundleSha256");
            older.put("format", "terms-ledger-proof/1");
            older.put("bundleSha256", Canonical.sha256Hex(Canonical.write(older)));
            assertEquals(0, verify(older.toString()).exit());
            Result unsigned = verify(older.toString(), "--key", pem.toString());
            assertEquals(1, unsigned.exit(), unsigned.output());
            assertTrue(unsigned.output().contains("is not signed"), unsigned.output());
        } finally {
            Files.deleteIfExists(pem);
        }
    }

    /**
     * The digest has no key: whoever edits a bundle can recompute every hash (and sign it with a key of their own),
     * and the verifier says so. A hash the auditor holds from elsewhere ties the chain to the ledger: with the
     * dropped fact's hash expected, the same forgery fails.
     */
    @Test
    void aBundleRewrittenWholeIsCaughtByAFactHashHeldFromElsewhere() throws Exception {
        JsonPath b = JsonPath.from(bundle);
        String first = b.getString("facts[0].hash");
        String last = b.getString("facts[2].hash");
        Result anchored = verify(bundle, "--expect", first, "--expect", last);
        assertEquals(0, anchored.exit(), anchored.output());
        assertTrue(anchored.output().contains("is #3 of the chain"), anchored.output());
        assertFalse(anchored.output().contains("NOTE  the bundle is consistent"), anchored.output());

        String truncated = withoutTheLastFact(bundle);
        Result unanchored = verify(truncated);
        assertEquals(0, unanchored.exit(), "consistent in itself: " + unanchored.output());
        assertTrue(unanchored.output().contains("NOTE  the bundle is consistent; nothing outside it was compared"),
                unanchored.output());
        Result caught = verify(truncated, "--expect", last);
        assertEquals(1, caught.exit(), caught.output());
        assertTrue(caught.output().contains("the chain does not hold fact " + last), caught.output());

        // a version listed twice: a reader sees the first, a map keeps the last
        String doubled = forged(bundle, root -> {
            ArrayNode versions = (ArrayNode) root.get("agreements").get(0).get("versions");
            versions.add(versions.get(0).deepCopy());
        });
        Result twice = verify(doubled);
        assertEquals(1, twice.exit(), twice.output());
        assertTrue(twice.output().contains("is listed twice"), twice.output());

        // a byte order mark, as some editors and shells write, is no change to the bundle
        assertEquals(0, verify("\uFEFF" + bundle).exit());
        assertEquals(2, verify(bundle, "--expect", "not-a-hash").exit(), "usage error");

        // members of the wrong type, and JSON nested past any bundle's depth: a FAIL line, not a stack trace
        for (String odd : List.of(forged(bundle, root -> root.putArray("agreements").add(1)),
                forged(bundle, root -> ((ArrayNode) root.get("facts")).insert(0, "x")),
                "[".repeat(100_000) + "]".repeat(100_000))) {
            Result r = verify(odd);
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("RESULT: NOT VERIFIED"), r.output());
            assertFalse(r.output().contains("Exception") && r.output().contains("\tat "), r.output());
        }
    }

    /**
     * A version's content hash is listed apart from the facts, under the digest only. Every fact names it under
     * its own hash, so swapping it (digest recomputed) fails even when every fact is one the auditor holds.
     */
    @Test
    void aVersionHashSwappedUnderTheFactsThatNameItIsCaught() throws Exception {
        JsonPath b = JsonPath.from(bundle);
        String v1 = b.getString("agreements[0].versions[0].contentSha256");
        assertTrue(b.getString("facts[0].canonical").contains("\"contentSha256\":\"" + v1 + "\""), bundle);
        assertTrue(b.getString("facts[0].canonical").contains("\"schema\":\"terms-ledger/fact/2\""), bundle);
        String[] anchors = {"--expect", b.getString("facts[0].hash"), "--expect", b.getString("facts[2].hash")};
        String swapped = forged(bundle, root -> ((ObjectNode) root.get("agreements").get(0).get("versions").get(0))
                .put("contentSha256", "ab".repeat(32)));
        Result r = verify(swapped, anchors);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("fact seq 1: contentSha256 " + v1 + " differs from the listed version's content hash"),
                r.output());

        // a status naming a version the bundle does not list
        String pending = forged(bundle, root -> ((ObjectNode) root.get("agreements").get(0).get("status"))
                .putArray("pending").addObject().put("version", 99));
        Result p = verify(pending, anchors);
        assertEquals(1, p.exit(), p.output());
        assertTrue(p.output().contains("pending version 99 is not listed"), p.output());
    }

    /**
     * Facts recorded before schema /2 name their version's text only through {@code evidence.documentSha256}: a
     * chain of them verifies. A fact of schema /2 must carry {@code contentSha256}.
     */
    @Test
    void factsOfSchemaOneVerifyWithoutTheirVersionsHash() throws Exception {
        String older = rechained(bundle, "terms-ledger/fact/1");
        String first = JsonPath.from(older).getString("facts[0].hash");
        Result r = verify(older, "--expect", first);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("is #1 of the chain"), r.output());

        Result missing = verify(rechained(bundle, "terms-ledger/fact/2"));
        assertEquals(1, missing.exit(), missing.output());
        assertTrue(missing.output().contains("fact seq 1: contentSha256 null differs"), missing.output());
    }

    /** The bundle with every fact's contentSha256 taken out, its schema set, and the chain and digest recomputed. */
    private static String rechained(String bundle, String schema) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        return forged(bundle, root -> {
            String prev = Canonical.GENESIS;
            for (JsonNode f : root.get("facts")) {
                ObjectNode c;
                try {
                    c = (ObjectNode) mapper.readTree(f.get("canonical").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                c.remove("contentSha256");
                c.put("schema", schema);
                c.put("prevHash", prev);
                String canonical = Canonical.write(c);
                prev = Canonical.sha256Hex(canonical);
                ((ObjectNode) f).put("canonical", canonical).put("hash", prev);
            }
            ((ObjectNode) root.get("chain")).put("head", prev);
        });
    }

    /**
     * A lone surrogate has no UTF-8 bytes, and Java's encoder writes {@code ?} for it: a {@code ?} replaced by
     * the escape of U+D800 left every hash the same. The verifier refuses it.
     */
    @Test
    void aLoneSurrogateIsNoCharacter() throws Exception {
        String marked = forged(bundle, root -> root.put("remark", "why?"));
        assertEquals(0, verify(marked).exit());
        Result r = verify(marked.replace("\"why?\"", "\"why\\ud800\""));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("a lone surrogate \\ud800"), r.output());
    }

    /** The forger's own key: whoever edits a bundle can sign it too, with any key but the service's. */
    private static final KeyPair FORGER = forgerKey();

    private static KeyPair forgerKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last of the three facts (an acceptance) dropped, head, length and digest recomputed, signed by the forger. */
    private static String withoutTheLastFact(String bundle) throws IOException {
        return forged(bundle, root -> {
            ArrayNode facts = (ArrayNode) root.get("facts");
            facts.remove(2);
            ObjectNode chain = (ObjectNode) root.get("chain");
            chain.put("head", facts.get(1).get("hash").asText());
            chain.put("length", 2);
        });
    }

    /** The bundle edited, its digest recomputed and signed again with the forger's key, as the format says. */
    private static String forged(String bundle, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(bundle);
        root.remove("bundleSha256");
        root.remove("signature");
        edit.accept(root);
        String digest = Canonical.sha256Hex(Canonical.write(root));
        root.put("bundleSha256", digest);
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(FORGER.getPrivate());
            s.update(digest.getBytes(StandardCharsets.UTF_8));
            ObjectNode sig = root.putObject("signature");
            sig.put("algorithm", "SHA256withRSA");
            sig.put("keyId", "sha256:" + Canonical.hex(MessageDigest.getInstance("SHA-256")
                    .digest(FORGER.getPublic().getEncoded())));
            sig.put("publicKey", Base64.getEncoder().encodeToString(FORGER.getPublic().getEncoded()));
            sig.put("value", Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return root.toString();
    }

    private static String replaceDigit(String s, int i) {
        char c = s.charAt(i);
        assertTrue(Character.isDigit(c), "expected a digit at " + i + ": " + s.substring(i, Math.min(s.length(), i + 20)));
        return s.substring(0, i) + (char) (c == '9' ? '0' : c + 1) + s.substring(i + 1);
    }

    private static String replaceHex(String s, int i) {
        char c = s.charAt(i);
        return s.substring(0, i) + (c == 'a' ? 'b' : 'a') + s.substring(i + 1);
    }

    record Result(int exit, String output) {
    }

    static Result verify(String json, String... options) throws IOException, InterruptedException {
        Path file = Files.createTempFile("proof", ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "tools/VerifyProof.java"));
        command.addAll(List.of(options));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "verifier finished");
        Files.deleteIfExists(file);
        return new Result(p.exitValue(), out);
    }
}
