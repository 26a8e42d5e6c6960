import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline verifier of a consent-service proof bundle (format terms-ledger-proof/1).
 *
 * <pre>java consent-service/tools/VerifyProof.java bundle.json</pre>
 *
 * No dependencies: a small JSON parser is inside. It re-computes every fact hash from
 * the fact's canonical form, checks that each canonical form is canonical, that the
 * chain links (seq 1..n, prevHash = previous hash, genesis 64 zeros), that every fact
 * belongs to the bundle's user and names a version listed with its content hash (and a
 * documentSha256 in the evidence equals that hash), that the chain head and length
 * match, that each status names listed versions, and finally the bundle digest
 * (SHA-256 of the canonical form of the bundle without bundleSha256).
 * Exit code 0 when everything holds, 1 otherwise (2 for usage errors).
 */
public class VerifyProof {

    static final String GENESIS = "0".repeat(64);
    static int failures;
    static int checks;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java VerifyProof.java bundle.json");
            System.exit(2);
        }
        String text;
        try {
            text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot read " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Object root;
        try {
            root = new Parser(text).parseDocument();
        } catch (RuntimeException e) {
            System.out.println("FAIL  the bundle is not valid JSON: " + e.getMessage());
            System.out.println("RESULT: NOT VERIFIED");
            System.exit(1);
            return;
        }
        verify(root);
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
        check("terms-ledger-proof/1".equals(b.get("format")), "format is terms-ledger-proof/1", "format is " + b.get("format"));
        String userId = str(b.get("userId"));
        System.out.println("user " + userId + ", generated " + b.get("generatedAt"));

        // versions listed per agreement
        Map<String, Map<Long, String>> versionHashes = new HashMap<>();
        for (Object ao : list(b.get("agreements"))) {
            Map<String, Object> a = (Map<String, Object>) ao;
            Map<Long, String> vs = new HashMap<>();
            for (Object vo : list(a.get("versions"))) {
                Map<String, Object> v = (Map<String, Object>) vo;
                String sha = str(v.get("contentSha256"));
                check(sha != null && sha.matches("[0-9a-f]{64}"), null,
                        a.get("agreementKey") + " v" + v.get("version") + ": contentSha256 is not a SHA-256");
                vs.put(num(v.get("version")), sha);
            }
            versionHashes.put(str(a.get("agreementKey")), vs);
        }

        // the chain
        List<Object> facts = list(b.get("facts"));
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
            if (c.get("evidence") instanceof Map<?, ?> ev && ev.get("documentSha256") != null) {
                check(ev.get("documentSha256").equals(versionSha), null,
                        label + ": evidence.documentSha256 differs from the version's content hash");
            }
            System.out.println("  #" + c.get("seq") + " " + c.get("kind") + (c.get("method") != null ? " " + c.get("method") : "")
                    + " " + c.get("agreementKey") + " v" + c.get("version") + " at " + c.get("occurredAt")
                    + " hash " + hash.substring(0, 16) + "…");
            prev = hash;
            expectedSeq++;
        }
        Map<String, Object> chain = b.get("chain") instanceof Map ? (Map<String, Object>) b.get("chain") : Map.of();
        check(GENESIS.equals(chain.get("genesis")), null, "chain.genesis is not 64 zeros");
        check(prev.equals(chain.get("head")), "chain of " + facts.size() + " facts links from the genesis to the head "
                + prev.substring(0, 16) + "…", "chain.head " + chain.get("head") + " is not the last hash " + prev);
        check(chain.get("length") != null && num(chain.get("length")) == facts.size(), null,
                "chain.length " + chain.get("length") + " but " + facts.size() + " facts");

        // statuses name listed versions
        for (Object ao : list(b.get("agreements"))) {
            Map<String, Object> a = (Map<String, Object>) ao;
            if (a.get("status") instanceof Map<?, ?> s) {
                Object g = s.get("governingVersion");
                check(g == null || versionHashes.get(str(a.get("agreementKey"))).containsKey(num(g)), null,
                        a.get("agreementKey") + ": governing version " + g + " is not listed");
                System.out.println("  " + a.get("agreementKey") + ": governed by v" + g
                        + (s.get("basis") instanceof Map<?, ?> basis ? " (" + basis.get("method") + " since " + basis.get("since") + ")" : ""));
            }
        }

        // the digest over everything else
        Map<String, Object> rest = new LinkedHashMap<>(b);
        Object digest = rest.remove("bundleSha256");
        String computed = sha256(canonical(rest));
        check(computed.equals(digest), "bundleSha256 matches the bundle's canonical form",
                "bundleSha256 " + digest + " does not match the bundle (" + computed + "): it was altered");
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
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
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
                    return sb.toString();
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
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
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
