package io.termsledger.version.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.termsledger.version.support.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Racing callers get a clean answer each: one winner and conflicts, never a 500 or a duplicate number. */
@QuarkusTest
class ConcurrencyTest {

    static final int CALLERS = 8;
    final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    <T> List<T> race(Callable<T> call) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            futures.add(pool.submit(call));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    static Map<Integer, Long> count(List<Integer> codes) {
        return new TreeMap<>(codes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
    }

    @Test
    void sameKeyRegisteredAtOnce() throws Exception {
        String key = Api.key("race");
        List<Integer> codes = race(() -> given().contentType(ContentType.JSON).body(Api.general(key, 7))
                .post("/agreements").statusCode());
        assertEquals(Map.of(201, 1L, 409, (long) CALLERS - 1), count(codes));
    }

    @Test
    void draftsCreatedAtOnceGetDistinctNumbers() throws Exception {
        String key = Api.registered(7);
        List<Integer> versions = race(() -> given().contentType(ContentType.JSON).body(Map.of("content", Api.V1))
                .post("/agreements/{k}/versions", key).then().statusCode(201).extract().<Integer>path("version"));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), versions.stream().sorted().toList());
    }

    @Test
    void oneDraftPublishedAtOnceIsPublishedOnce() throws Exception {
        String key = Api.registered(7);
        Api.drafted(key, Api.V1);
        List<Integer> codes = race(() -> given().post("/agreements/{k}/versions/1/publish", key).statusCode());
        assertEquals(Map.of(200, 1L, 409, (long) CALLERS - 1), count(codes));
    }
}
