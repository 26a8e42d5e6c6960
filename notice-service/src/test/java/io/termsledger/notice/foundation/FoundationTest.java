package io.termsledger.notice.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.FoundationContract;

@QuarkusTest
class FoundationTest extends FoundationContract {
}
