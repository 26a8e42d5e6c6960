package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.ClockContract;

@QuarkusTest
@TestProfile(ClockContract.OwnClockProfile.class)
class ClockTest extends ClockContract {
}
