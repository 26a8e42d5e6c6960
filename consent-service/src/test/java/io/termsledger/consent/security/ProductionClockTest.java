package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.ProductionClockContract;

@QuarkusTest
@TestProfile(ProductionClockContract.ProductionClockProfile.class)
class ProductionClockTest extends ProductionClockContract {
}
