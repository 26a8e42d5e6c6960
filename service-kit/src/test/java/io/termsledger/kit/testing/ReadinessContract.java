package io.termsledger.kit.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/**
 * Run under {@link UnreachableKafkaProfile} or {@link UnreachableDatabaseProfile}:
 * the service stays alive but reports itself not ready.
 */
public abstract class ReadinessContract {

    @Test
    void aliveButNotReadyWhenADependencyIsUnreachable() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"));
    }
}
