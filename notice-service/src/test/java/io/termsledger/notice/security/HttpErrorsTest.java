package io.termsledger.notice.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.testing.HttpErrorsContract;

@QuarkusTest
class HttpErrorsTest extends HttpErrorsContract {
}
