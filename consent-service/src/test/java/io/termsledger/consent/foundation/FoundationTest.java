package io.termsledger.consent.foundation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.JwtTestSupport;
import io.termsledger.kit.testing.FoundationContract;

/** Also registers the test token support for every test of the module. */
@QuarkusTest
@QuarkusTestResource(value = JwtTestSupport.class, restrictToAnnotatedClass = false)
class FoundationTest extends FoundationContract {
}
