package io.termsledger.kit.problem;

/**
 * Text PostgreSQL refused to store or compare: the NUL character (U+0000), which no
 * text column takes. It can only have come with the request, so the request is refused with a 400
 * ({@link ProblemMappers}); nothing was written, the statement having failed.
 */
public final class UnstorableText {

    /** The problem type's last part. */
    public static final String SLUG = "unstorable-text";

    /** What the caller is told to fix. */
    public static final String DETAIL = "A value in the request holds a character no field accepts: the NUL character"
            + " (\\u0000 in JSON, %00 in a URL). Remove it and send again.";

    /**
     * SQLSTATEs of text PostgreSQL cannot take: 22021 (a byte sequence invalid in the encoding; the NUL
     * character is one), 22P05 (a character the database's encoding lacks).
     */
    private static final String[] STATES = {"22021", "22P05"};

    private UnstorableText() {
    }

    /** Whether the database refused {@code e}'s statement for its text ({@link Causes#sqlState}). */
    public static boolean isCause(Throwable e) {
        return Causes.sqlState(e, STATES);
    }
}
