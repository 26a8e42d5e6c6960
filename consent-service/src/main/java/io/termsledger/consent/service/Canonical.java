package io.termsledger.consent.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsledger.kit.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form the ledger hashes (and the offline verifier re-computes):
 * <ul>
 * <li>objects: members sorted by name (Java {@code String.compareTo}, i.e. UTF-16 code units), members whose
 * value is null left out, no whitespace anywhere;</li>
 * <li>strings: UTF-8, only {@code "} and {@code \} escaped with a backslash, control characters below U+0020
 * written as {@code \}{@code u00xx} (lower-case hex), everything else literal;</li>
 * <li>numbers: integers only, in plain decimal; booleans {@code true}/{@code false}; arrays keep their order;</li>
 * <li>instants are strings in ISO-8601 UTC ({@code Instant.toString()} of a value truncated to microseconds).</li>
 * </ul>
 * A fact's hash is the lower-case hex SHA-256 of the UTF-8 bytes of its canonical form; the form contains
 * {@code prevHash} (64 zeros for a user's first fact), which links the chain.
 */
public final class Canonical {

    public static final String GENESIS = "0".repeat(64);

    private Canonical() {
    }

    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue() != null && !e.getValue().isNull()) {
                    names.add(e.getKey());
                }
            }
            names.sort(String::compareTo);
            sb.append('{');
            boolean first = true;
            for (String name : names) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(name, sb);
                sb.append(':');
                write(n.get(name), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            string(n.textValue(), sb);
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue().toString());
        } else {
            throw new IllegalArgumentException("canonical JSON has no representation for " + n.getNodeType());
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

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
