import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline verifier of a consent-service proof bundle (formats terms-ledger-proof/2, signed, and /1).
 *
 * <pre>java consent-service/tools/VerifyProof.java [--key KEY.pem] [--expect HASH]... bundle.json</pre>
 *
 * No dependencies: a small JSON parser is inside. It re-computes every fact hash from
 * the fact's canonical form, checks that each canonical form is canonical, that the
 * chain links (seq 1..n, prevHash = previous hash, genesis 64 zeros), that every fact
 * belongs to the bundle's user and names a version listed with its content hash (the
 * fact's own contentSha256, which every fact of schema terms-ledger/fact/2 holds, and a
 * documentSha256 in the evidence equal that hash), that the chain head and length
 * match, that each status names listed versions (governing and pending), and finally the bundle digest
 * (SHA-256 of the canonical form of the bundle without bundleSha256 and signature), and the signature of
 * a /2 bundle (SHA256withRSA over bundleSha256 by the key the bundle names).
 *
 * <p>All of that shows the bundle is consistent, not that it is the service's: the digest has no key,
 * and whoever edits a bundle can recompute every hash and sign with a key of their own. What ties it to
 * the service is its public key, saved from {@code GET /proof/signing-key}: with {@code --key KEY.pem} the
 * bundle must be signed by that key, so it is as the service exported it (no fact dropped since). What
 * ties it to facts the auditor saw is a hash got from elsewhere, earlier (a fact's hash in a {@code POST /consents} answer or a
 * {@code consent.accepted.v1} event, the head of an earlier bundle): each {@code --expect HASH} must be a
 * fact of the chain. A chain that holds a fact you already hold cannot have rewritten it or anything
 * before it. The status the bundle reports is the service's computation, listed, not re-derived here.
 * Exit code 0 when everything holds, 1 otherwise (2 for usage errors).
 */
public class VerifyProof {

    static final String GENESIS = "0".repeat(64);
    static int failures;
    static int checks;

    /** Fact hashes the auditor holds from elsewhere ({@code --expect}). */
    static final List<String> expected = new ArrayList<>();

    /** The service's public key the auditor holds ({@code --key}), or null. */
    static PublicKey trustedKey;

    public static void main(String[] args) throws Exception {
        String file = null;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--expect") && k + 1 < args.length && args[k + 1].matches("[0-9a-f]{64}")) {
                expected.add(args[++k]);
            } else if (args[k].equals("--key") && k + 1 < args.length && trustedKey == null) {
                String keyFile = args[++k];
                try {
                    trustedKey = publicKey(Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII)
                            .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", ""));
                } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
                    System.err.println("cannot read the public key " + keyFile + " (PEM, BEGIN PUBLIC KEY): " + e.getMessage());
                    System.exit(2);
                }
            } else if (file == null && !args[k].startsWith("--")) {
                file = args[k];
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            System.err.println("usage: java VerifyProof.java [--key KEY.pem] [--expect FACT-HASH]... bundle.json");
            System.err.println("  --key: the service's public key (PEM), saved from GET /proof/signing-key; the bundle must"
                    + " be signed by it");
            System.err.println("  --expect: a fact's hash (64 lower-case hex digits) you hold from elsewhere, such as a"
                    + " POST /consents answer, a consent.accepted.v1 event or an earlier bundle's head; it must be in"
                    + " the chain");
            System.exit(2);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            System.err.println("cannot read " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Object root;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            // a byte order mark, as some editors and shells write, is not part of the JSON
            root = new Parser(text.startsWith("\uFEFF") ? text.substring(1) : text).parseDocument();
        } catch (CharacterCodingException e) {
            System.out.println("FAIL  the bundle is not UTF-8 text");
            System.out.println("RESULT: NOT VERIFIED");
            System.exit(1);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            System.out.println("FAIL  the bundle is not valid JSON: "
                    + (e instanceof StackOverflowError ? "nested too deeply" : e.getMessage()));
            System.out.println("RESULT: NOT VERIFIED");
            System.exit(1);
            return;
        }
        try {
            verify(root);
        } catch (RuntimeException | StackOverflowError e) {
            // a member of another type than the format says (an array of numbers where facts belong, say)
            System.out.println("FAIL  the bundle is not shaped as the format says (" + e.getClass().getSimpleName()
                    + "): not a bundle of this format, or altered");
            System.out.println("RESULT: NOT VERIFIED");
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.println((failures == 0 ? "RESULT: VERIFIED" : "RESULT: NOT VERIFIED") + " (" + checks + " checks, "
                + failures + " failed)");
        System.exit(failures == 0 ? 0 : 1);
    }

    @SuppressWarnings("unchecked")
    static void verify(Object root) throws Exception {
        if (!(root instanceof Map)) {
            fail("the bundle is not a JSON object");
            return;
        }
        Map<String, Object> b = (Map<String, Object>) root;
        boolean signed = "terms-ledger-proof/2".equals(b.get("format"));
        check(signed || "terms-ledger-proof/1".equals(b.get("format")), "format is " + b.get("format"),
                "format is " + b.get("format") + ", not terms-ledger-proof/2 or /1");
        String userId = str(b.get("userId"));
        System.out.println("user " + userId + ", generated " + b.get("generatedAt"));

        // versions listed per agreement, each once (a reader sees the first entry, a map would keep the last)
        Map<String, Map<Long, String>> versionHashes = new HashMap<>();
        for (Object ao : list(b.get("agreements"))) {
            Map<String, Object> a = (Map<String, Object>) ao;
            Map<Long, String> vs = new HashMap<>();
            for (Object vo : list(a.get("versions"))) {
                Map<String, Object> v = (Map<String, Object>) vo;
                String sha = str(v.get("contentSha256"));
                check(sha != null && sha.matches("[0-9a-f]{64}"), null,
                        a.get("agreementKey") + " v" + v.get("version") + ": contentSha256 is not a SHA-256");
                check(v.get("version") instanceof Long, null,
                        a.get("agreementKey") + ": version " + v.get("version") + " is not a whole number");
                check(vs.put(num(v.get("version")), sha) == null, null,
                        a.get("agreementKey") + " v" + v.get("version") + " is listed twice");
            }
            check(versionHashes.put(str(a.get("agreementKey")), vs) == null, null,
                    "agreement " + a.get("agreementKey") + " is listed twice");
        }

        // the chain
        List<Object> facts = list(b.get("facts"));
        List<String> chained = new ArrayList<>();
        String prev = GENESIS;
        long expectedSeq = 1;
        for (Object fo : facts) {
            Map<String, Object> f = (Map<String, Object>) fo;
            String canonical = str(f.get("canonical"));
            String label = "fact seq " + f.get("seq");
            if (canonical == null) {
                fail(label + ": no canonical form");
                continue;
            }
            Object parsed;
            try {
                parsed = new Parser(canonical).parseDocument();
            } catch (RuntimeException e) {
                fail(label + ": canonical form is not JSON (" + e.getMessage() + ")");
                continue;
            }
            check(canonical(parsed).equals(canonical), null, label + ": the stored form is not canonical");
            String hash = sha256(canonical);
            check(hash.equals(f.get("hash")), null, label + ": hash " + f.get("hash") + " does not match the content ("
                    + hash + ")");
            Map<String, Object> c = (Map<String, Object>) parsed;
            check(num(c.get("seq")) == expectedSeq && num(f.get("seq")) == expectedSeq, null,
                    label + ": expected seq " + expectedSeq);
            check(prev.equals(c.get("prevHash")), null, label + ": prevHash " + c.get("prevHash")
                    + " does not link to the previous fact (" + prev + ")");
            check(userId != null && userId.equals(c.get("userId")), null, label + ": belongs to user " + c.get("userId"));
            Map<Long, String> vs = versionHashes.get(str(c.get("agreementKey")));
            String versionSha = vs == null ? null : vs.get(num(c.get("version")));
            check(versionSha != null, null, label + ": names " + c.get("agreementKey") + " v" + c.get("version")
                    + ", which the bundle does not list");
            // schema /2 names the version's content hash in every fact, under the fact's hash; /1 only as evidence
            if (c.get("contentSha256") != null || "terms-ledger/fact/2".equals(c.get("schema"))) {
                check(versionSha != null && versionSha.equals(c.get("contentSha256")), null, label + ": contentSha256 "
                        + c.get("contentSha256") + " differs from the listed version's content hash " + versionSha);
            }
            if (c.get("evidence") instanceof Map<?, ?> ev && ev.get("documentSha256") != null) {
                check(ev.get("documentSha256").equals(versionSha), null,
                        label + ": evidence.documentSha256 differs from the version's content hash");
            }
            System.out.println("  #" + c.get("seq") + " " + c.get("kind") + (c.get("method") != null ? " " + c.get("method") : "")
                    + " " + c.get("agreementKey") + " v" + c.get("version") + " at " + c.get("occurredAt")
                    + " hash " + hash.substring(0, 16) + "...");
            prev = hash;
            chained.add(hash);
            expectedSeq++;
        }
        Map<String, Object> chain = b.get("chain") instanceof Map ? (Map<String, Object>) b.get("chain") : Map.of();
        check(GENESIS.equals(chain.get("genesis")), null, "chain.genesis is not 64 zeros");
        check(prev.equals(chain.get("head")), "chain of " + facts.size() + " facts links from the genesis to the head "
                + prev.substring(0, 16) + "...", "chain.head " + chain.get("head") + " is not the last hash " + prev);
        check(chain.get("length") != null && num(chain.get("length")) == facts.size(), null,
                "chain.length " + chain.get("length") + " but " + facts.size() + " facts");

        // hashes the auditor holds from elsewhere tie the chain to the ledger
        for (String hash : expected) {
            int at = chained.indexOf(hash);
            check(at >= 0, "fact " + hash.substring(0, 16) + "... you hold is #" + (at + 1) + " of the chain: it and every"
                    + " fact before it are as the ledger recorded them", "the chain does not hold fact " + hash
                    + ", which you hold: facts were removed or rewritten, or the bundle is another user's");
        }

        // statuses name listed versions; what they say is the service's computation, listed, not re-derived
        for (Object ao : list(b.get("agreements"))) {
            Map<String, Object> a = (Map<String, Object>) ao;
            if (a.get("status") instanceof Map<?, ?> s) {
                Object g = s.get("governingVersion");
                Map<Long, String> listed = versionHashes.getOrDefault(str(a.get("agreementKey")), Map.of());
                check(g == null || g instanceof Long && listed.containsKey(num(g)), null,
                        a.get("agreementKey") + ": governing version " + g + " is not listed");
                for (Object po : s.get("pending") instanceof List<?> pending ? pending : List.of()) {
                    Object pv = po instanceof Map<?, ?> p ? p.get("version") : null;
                    check(pv instanceof Long && listed.containsKey(num(pv)), null,
                            a.get("agreementKey") + ": pending version " + pv + " is not listed");
                }
                System.out.println("  " + a.get("agreementKey") + ": governed by v" + g
                        + (s.get("basis") instanceof Map<?, ?> basis ? " (" + basis.get("method") + " since " + basis.get("since") + ")" : "")
                        + ", as the service computed it (not re-derived here)");
            }
        }

        // the digest over everything else
        Map<String, Object> rest = new LinkedHashMap<>(b);
        Object digest = rest.remove("bundleSha256");
        Object signature = rest.remove("signature");
        String computed = sha256(canonical(rest));
        check(computed.equals(digest), "bundleSha256 matches the bundle's canonical form",
                "bundleSha256 " + digest + " does not match the bundle (" + computed + "): it was altered");

        // the signature over the digest, by the key the bundle names; the auditor's key says whose it is
        if (signed) {
            verifySignature(signature instanceof Map ? (Map<String, Object>) signature : Map.of(), str(digest));
        } else {
            check(trustedKey == null, null, "the bundle (format terms-ledger-proof/1) is not signed, and --key asks"
                    + " for a signature");
        }
        if (signed && trustedKey == null) {
            System.out.println("NOTE  the signature was checked with the key the bundle carries; pass --key with the"
                    + " service's public key (saved from GET /proof/signing-key) to know that the service signed it");
        }
        if (expected.isEmpty() && trustedKey == null) {
            System.out.println("NOTE  the bundle is consistent; nothing outside it was compared. Whoever edits a bundle"
                    + " can recompute its digest and sign it with a key of their own: pass --key with the service's"
                    + " public key, or --expect with a fact hash you hold from elsewhere, to tie it to the ledger");
        }
    }

    static void verifySignature(Map<String, Object> sig, String digest) throws Exception {
        check("SHA256withRSA".equals(sig.get("algorithm")), null,
                "signature.algorithm is " + sig.get("algorithm") + ", not SHA256withRSA");
        PublicKey carried;
        try {
            carried = publicKey(str(sig.get("publicKey")));
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            fail("signature.publicKey is not an RSA public key: " + e.getMessage());
            return;
        }
        String keyId = keyId(carried);
        check(keyId.equals(sig.get("keyId")), null, "signature.keyId " + sig.get("keyId") + " is not the id of the key"
                + " the bundle carries (" + keyId + ")");
        boolean valid;
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(carried);
            s.update(String.valueOf(digest).getBytes(StandardCharsets.UTF_8));
            valid = s.verify(Base64.getDecoder().decode(str(sig.get("value"))));
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            valid = false;
        }
        check(valid, "signature of bundleSha256 holds, by key " + keyId,
                "the signature does not match bundleSha256 under key " + keyId + ": the bundle was altered after it was signed");
        if (trustedKey != null) {
            check(keyId.equals(keyId(trustedKey)), "signed by the key you hold: the bundle is as the service exported it",
                    "signed by key " + keyId + ", not by the key you hold (" + keyId(trustedKey) + ")");
        }
    }

    static PublicKey publicKey(String base64) throws java.security.GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    static String keyId(PublicKey key) throws Exception {
        return "sha256:" + hex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    }

    static void check(boolean ok, String passMessage, String failMessage) {
        checks++;
        if (!ok) {
            fail(failMessage);
        } else if (passMessage != null) {
            System.out.println("OK    " + passMessage);
        }
    }

    static void fail(String message) {
        failures++;
        System.out.println("FAIL  " + message);
    }

    static List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        fail("expected an array, found " + (o == null ? "nothing" : o.getClass().getSimpleName()));
        return List.of();
    }

    static String str(Object o) {
        return o instanceof String s ? s : null;
    }

    static long num(Object o) {
        return o instanceof Long l ? l : Long.MIN_VALUE;
    }

    static String sha256(String s) throws Exception {
        return hex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte x : d) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    /** Canonical form: sorted members, null members left out, no whitespace, minimal string escapes. */
    @SuppressWarnings("unchecked")
    static String canonical(Object o) {
        StringBuilder sb = new StringBuilder();
        write(o, sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static void write(Object o, StringBuilder sb) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Map<?, ?> m) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null) {
                    names.add((String) e.getKey());
                }
            }
            names.sort(String::compareTo);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(names.get(i), sb);
                sb.append(':');
                write(m.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (o instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(l.get(i), sb);
            }
            sb.append(']');
        } else if (o instanceof String s) {
            string(s, sb);
        } else if (o instanceof Boolean || o instanceof Long) {
            sb.append(o);
        } else {
            throw new IllegalArgumentException("no canonical form for " + o);
        }
    }

    static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** A strict JSON parser: objects become LinkedHashMap, arrays ArrayList, integers Long. */
    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                if (peek() != '"') {
                    throw error("expected a member name");
                }
                String name = string();
                ws();
                expect(':');
                if (m.containsKey(name)) {
                    throw error("duplicate member '" + name + "'");
                }
                m.put(name, value());
                ws();
                char c = next();
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                ws();
                char c = next();
                if (c == ']') {
                    return l;
                }
                if (c != ',') {
                    throw error("expected , or ]");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return wellFormed(sb.toString());
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("a \\u escape takes four hex digits");
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        /**
         * A {@code \\u} escape can name half of a surrogate pair alone, which is no character: UTF-8 has no
         * bytes for it, and hashing would write {@code ?} in its place, the same bytes as a real {@code ?}.
         */
        private String wellFormed(String t) {
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (Character.isHighSurrogate(c) && k + 1 < t.length() && Character.isLowSurrogate(t.charAt(k + 1))) {
                    k++;
                } else if (Character.isSurrogate(c)) {
                    throw error(String.format("a lone surrogate \\u%04x, which is no character", (int) c));
                }
            }
            return t;
        }

        private Object number() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            int digits = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i - digits > 1 && s.charAt(digits) == '0') {
                throw error("a number with a leading zero");
            }
            if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                throw error("only integers occur in a proof bundle");
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("unexpected literal");
            }
            i += word.length();
            return v;
        }

        private void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private char next() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private RuntimeException error(String what) {
            return new IllegalArgumentException(what + " at offset " + i);
        }
    }
}
