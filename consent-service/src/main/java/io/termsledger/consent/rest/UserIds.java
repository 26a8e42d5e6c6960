package io.termsledger.consent.rest;

import java.util.regex.Pattern;

/**
 * What a user id may be, wherever one arrives (request bodies, imports, usage signals, paths): 1 to
 * 200 characters, no control characters, and not {@code .} or {@code ..}, which a URL path cannot
 * address (clients and the server remove them as dot segments), so that a user's history, status
 * and proof could never be asked for.
 */
public final class UserIds {

    /** For {@code @Pattern}: no control characters (C0, DEL and C1), not a dot segment. */
    public static final String PATTERN = "(?!\\.\\.?$)[^\\p{Cc}]*";
    /** For {@code @Pattern}. */
    public static final String MESSAGE = "must not contain control characters, nor be . or .. (a URL path cannot address those)";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private UserIds() {
    }

    /** Whether {@code userId} matches {@link #PATTERN} (the length is checked apart). */
    static boolean matches(String userId) {
        return COMPILED.matcher(userId).matches();
    }
}
