package io.termsledger.consent.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP address literals in one text form per address, so that the same client address always gives the same
 * {@code ipHmac} however the client wrote it: IPv4 in dotted decimal (an octet written with a leading zero is
 * refused: many parsers read {@code 010} as octal), IPv6 as RFC 5952 section 4 recommends (lower-case hex, no
 * leading zeros, the longest run of two or more zero groups as {@code ::}, the first of equal runs), with the
 * dotted form of section 5 for IPv4-mapped addresses only ({@code ::ffff:a.b.c.d}; other embedded IPv4 addresses
 * in hex), a zone ({@code %eth0}) kept as written. Pure text work: no name is ever resolved.
 */
public final class IpAddresses {

    /** Dotted decimal; an octet with a leading zero is refused, as many parsers read {@code 010} as octal 8. */
    private static final String OCTET = "(0|[1-9]\\d{0,2})";
    private static final Pattern V4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern ZONE = Pattern.compile("[0-9A-Za-z_.\\-]{1,32}");

    private IpAddresses() {
    }

    /** The canonical text of an IPv4 or IPv6 literal, or empty when {@code text} is not one. */
    public static Optional<String> canonical(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.indexOf(':') < 0) {
            int[] v4 = v4(t);
            return v4 == null ? Optional.empty() : Optional.of(v4[0] + "." + v4[1] + "." + v4[2] + "." + v4[3]);
        }
        String zone = null;
        int pct = t.indexOf('%');
        if (pct >= 0) {
            zone = t.substring(pct + 1);
            t = t.substring(0, pct);
            if (!ZONE.matcher(zone).matches()) {
                return Optional.empty();
            }
        }
        int[] groups = v6(t);
        if (groups == null) {
            return Optional.empty();
        }
        return Optional.of(v6Text(groups) + (zone == null ? "" : "%" + zone));
    }

    private static int[] v4(String t) {
        Matcher m = V4.matcher(t);
        if (!m.matches()) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            out[i] = Integer.parseInt(m.group(i + 1));
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    /** The eight 16-bit groups of an IPv6 literal (without zone), or null. */
    private static int[] v6(String t) {
        int gap = t.indexOf("::");
        if (gap >= 0 && t.indexOf("::", gap + 1) >= 0) {
            return null; // "::" at most once (":::" included)
        }
        List<Integer> head = gap < 0 ? groups(t, true) : groups(t.substring(0, gap), false);
        List<Integer> tail = gap < 0 ? List.of() : groups(t.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int n = head.size() + tail.size();
        if (gap < 0 ? n != 8 : n > 7) {
            return null;
        }
        int[] out = new int[8];
        for (int i = 0; i < head.size(); i++) {
            out[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            out[8 - tail.size() + i] = tail.get(i);
        }
        return out;
    }

    /** Colon-separated groups (empty text: none); the last may be a dotted IPv4 address when {@code last} allows it. */
    private static List<Integer> groups(String part, boolean last) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        String[] items = part.split(":", -1);
        for (int i = 0; i < items.length; i++) {
            String g = items[i];
            if (last && i == items.length - 1 && g.indexOf('.') >= 0) {
                int[] v4 = v4(g);
                if (v4 == null) {
                    return null;
                }
                out.add(v4[0] << 8 | v4[1]);
                out.add(v4[2] << 8 | v4[3]);
            } else if (HEX_GROUP.matcher(g).matches()) {
                out.add(Integer.parseInt(g, 16));
            } else {
                return null;
            }
        }
        return out;
    }

    private static String v6Text(int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never shortened
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
