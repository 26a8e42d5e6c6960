package io.termsledger.kit.json;

/** Whether a Java string is Unicode text: every UTF-16 surrogate paired (RFC 7493, section 2.1). */
public final class UnicodeText {

    private UnicodeText() {
    }

    /**
     * Null for text without an unpaired surrogate (and for null), else what is wrong with it, for a
     * message that names the first such surrogate and its position.
     */
    public static String problem(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("the text holds an unpaired surrogate \\u%04X at character %d, which is not"
                        + " Unicode text and cannot be stored; send the character it was meant to be", (int) c, i + 1);
            }
        }
        return null;
    }
}
