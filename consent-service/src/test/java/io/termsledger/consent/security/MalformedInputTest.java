package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.MalformedInputContract;

@QuarkusTest
class MalformedInputTest extends MalformedInputContract {
}
