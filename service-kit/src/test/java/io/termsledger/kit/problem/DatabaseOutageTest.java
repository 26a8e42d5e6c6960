package io.termsledger.kit.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.RollbackException;
import java.net.ConnectException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

/** Which failures count as the database being away (503, retried without counting against an event). */
class DatabaseOutageTest {

    private static SQLException brokenConnection() {
        return new SQLException("An I/O error occurred while sending to the backend.", "08006");
    }

    @Test
    void aCommitThatLostItsConnectionIsAnOutage() {
        // the transaction manager's shape: "could not commit", the driver's failure among the suppressed throwables
        XAException resource = new XAException(XAException.XAER_RMFAIL);
        resource.initCause(brokenConnection());
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(resource);
        assertTrue(DatabaseOutage.isCause(commit));
        assertTrue(DatabaseOutage.isCause(new IllegalStateException("the transaction failed", commit)));
    }

    @Test
    void aCauseChainThatEndsInARefusedConnectionIsAnOutage() {
        Exception e = new RuntimeException(new IllegalStateException(new ConnectException("Connection refused")));
        assertTrue(DatabaseOutage.isCause(e));
        assertTrue(DatabaseOutage.isCause(new SQLException("the database system is shutting down", "57P03")));
        assertTrue(DatabaseOutage.isCause(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void aFailureOfTheStatementItselfIsNot() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");
        duplicate.addSuppressed(new IllegalStateException("cleanup"));
        assertFalse(DatabaseOutage.isCause(duplicate));
        assertFalse(DatabaseOutage.isCause(new RollbackException("ARJUNA016053: Could not commit transaction.")));
        assertFalse(DatabaseOutage.isCause(null));
    }

    @Test
    void loopsAmongCausesAndSuppressedThrowablesEnd() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.addSuppressed(b);
        a.initCause(b);
        assertFalse(DatabaseOutage.isCause(a));
        b.addSuppressed(new ConnectException("Connection refused"));
        assertTrue(DatabaseOutage.isCause(a));
    }
}
