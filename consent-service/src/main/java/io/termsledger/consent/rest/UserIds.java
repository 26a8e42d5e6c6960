package io.termsledger.consent.rest;

/**
 * What a user id may be, wherever one arrives (request bodies, imports, usage signals, paths): 1 to
 * 200 characters, no control characters, and not {@code .} or {@code ..}, which a URL path cannot
 * address (clients and the server remove them as dot segments), so that a user's history, status
 * and proof could never be asked for.
 */
public final class UserIds {

    /** For {@code @Pattern}: no control characters, not a dot segment. */
    public static final String PATTERN = "(?!\\.\\.?$)[^\\p{Cntrl}]*";
    /** For {@code @Pattern}. */
    public static final String MESSAGE = "must not contain control characters, nor be . or .. (a URL path cannot address those)";

    private UserIds() {
    }
}
