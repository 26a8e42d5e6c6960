package io.termsledger.version.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.FoundationContract;

@QuarkusTest
class FoundationTest extends FoundationContract {
}
