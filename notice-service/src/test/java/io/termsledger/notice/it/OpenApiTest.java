package io.termsledger.notice.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenApiTest {

    @Test
    void everyEndpointIsDocumented() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("\"/notices\""))
                .body(containsString("\"/notices/{id}\""))
                .body(containsString("\"/notices/{id}/deliveries\""))
                .body(containsString("\"/deliveries/{id}\""))
                .body(containsString("\"/deliveries/{id}/reports\""))
                .body(containsString("\"/compliance/lead-times\""))
                .body(containsString("Issue an admin notice"));
    }
}
