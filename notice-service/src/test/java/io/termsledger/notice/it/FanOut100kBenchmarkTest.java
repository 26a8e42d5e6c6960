package io.termsledger.notice.it;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.time.AppClock;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures a fan-out to 100,000 users (400,000 deliveries and outbox events). Off by
 * default; run it with
 * {@code mvn -pl notice-service test -Dtest=FanOut100kBenchmarkTest -Dnotice.benchmark=true}
 * and read the FAN-OUT line it prints.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "notice.benchmark", matches = "true")
class FanOut100kBenchmarkTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AppClock clock;

    @Test
    void fanOutToOneHundredThousandUsers() {
        FanOutScenario.run(ds, clock, 100_000, Duration.ofMinutes(10));
    }
}
