package io.termsledger.version.foundation;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.kit.testing.ReadinessContract;
import io.termsledger.kit.testing.UnreachableKafkaProfile;

@QuarkusTest
@TestProfile(UnreachableKafkaProfile.class)
class ReadinessWithoutKafkaTest extends ReadinessContract {
}
