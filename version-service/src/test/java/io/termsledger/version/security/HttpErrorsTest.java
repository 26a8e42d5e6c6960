package io.termsledger.version.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.HttpErrorsContract;

@QuarkusTest
class HttpErrorsTest extends HttpErrorsContract {
}
