package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.HttpErrorsContract;

@QuarkusTest
class HttpErrorsTest extends HttpErrorsContract {
}
