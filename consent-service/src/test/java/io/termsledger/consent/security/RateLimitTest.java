package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.RateLimitContract;

@QuarkusTest
@TestProfile(RateLimitContract.TightLimitProfile.class)
class RateLimitTest extends RateLimitContract {
}
