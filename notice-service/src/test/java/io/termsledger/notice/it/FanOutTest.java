package io.termsledger.notice.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FanOutTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Test
    void aRevisionFansOutToTenThousandUsersInChunks() {
        FanOutScenario.Result r = FanOutScenario.run(ds, clock, 10_000, Duration.ofSeconds(120));
        // two chunks of 5,000 users: generous bound for a shared 2-core machine
        assertTrue(r.fanout().compareTo(Duration.ofSeconds(30)) < 0, "fan-out took " + r.fanout());
    }
}
