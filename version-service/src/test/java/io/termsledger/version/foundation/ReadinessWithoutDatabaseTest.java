package io.termsledger.version.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.DatabaseOutageContract;
import io.termsledger.kit.testing.UnreachableDatabaseProfile;

@QuarkusTest
@TestProfile(UnreachableDatabaseProfile.class)
class ReadinessWithoutDatabaseTest extends DatabaseOutageContract {

    @Override
    protected String pathThatReadsTheDatabase() {
        return "/agreements/aliyun-ecs-terms";
    }
}
