package io.termsledger.notice.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.DatabaseOutageContract;
import io.termsledger.kit.testing.UnreachableDatabaseProfile;

@QuarkusTest
@TestProfile(UnreachableDatabaseProfile.class)
class ReadinessWithoutDatabaseTest extends DatabaseOutageContract {

    @Override
    protected String pathThatReadsTheDatabase() {
        return "/deliveries/00000000-0000-0000-0000-000000000001";
    }
}
