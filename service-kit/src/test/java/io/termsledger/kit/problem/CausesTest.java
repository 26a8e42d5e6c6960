package io.termsledger.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Finding the database's own account of a failure behind the wrappers around it. */
class CausesTest {

    private static SQLException nul() {
        return new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
    }

    @Test
    void aSqlStateIsFoundBehindCausesAndSuppressedThrowables() {
        assertTrue(Causes.sqlState(new IllegalStateException("wrapped", nul()), "22021", "22P05"));
        RuntimeException commit = new RuntimeException("could not commit");
        commit.addSuppressed(new IllegalStateException(nul()));
        assertTrue(Causes.sqlState(commit, "22021"));
        assertFalse(Causes.sqlState(new IllegalStateException(nul()), "23505"), "another state");
        assertFalse(Causes.sqlState(new IllegalStateException("no SQL at all"), "22021"));
        assertFalse(Causes.sqlState(new SQLException("no state"), "22021"));
    }

    @Test
    void aLoopEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.addSuppressed(b);
        assertFalse(Causes.sqlState(b, "22021"));
        assertEquals("RuntimeException: a", Causes.rootCause(b));
    }
}
