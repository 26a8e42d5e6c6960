package io.termsledger.notice.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.ReadinessContract;
import io.termsledger.kit.testing.UnreachableDatabaseProfile;

@QuarkusTest
@TestProfile(UnreachableDatabaseProfile.class)
class ReadinessWithoutDatabaseTest extends ReadinessContract {
}
