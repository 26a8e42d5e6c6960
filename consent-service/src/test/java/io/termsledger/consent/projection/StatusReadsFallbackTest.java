package io.termsledger.consent.projection;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.support.Agreements;
import io.termsledger.consent.support.Api;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the reactive pool cannot read (here: it points where no database listens), a status query
 * that would have been answered on the I/O thread is answered by the JDBC path instead of failing.
 */
@QuarkusTest
@TestProfile(StatusReadsFallbackTest.DeadReactivePool.class)
class StatusReadsFallbackTest {

    /** The JDBC pool as in every test; the reactive pool at a port where nothing listens. */
    public static class DeadReactivePool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/none");
        }
    }

    @Inject
    Agreements agreements;

    @Inject
    AgreementRepository repository;

    @Inject
    MeterRegistry metrics;

    @Test
    void aFailedReadOnTheIoThreadIsAnsweredOnAWorkerThread() {
        String user = Agreements.unique("u");
        String key = agreements.clickedVersionOne("fallback", user);
        double io = reads("io");
        double worker = reads("worker");
        // cached, so the query goes to the reactive pool first
        repository.find(key);
        Api.status(user, key, null).statusCode(200).body("governingVersion", equalTo(1)).body("userId", equalTo(user));
        assertEquals(io, reads("io"), "nothing was answered on the I/O thread");
        assertEquals(worker + 1, reads("worker"), "the worker thread answered");
    }

    private double reads(String thread) {
        return metrics.counter("consent.status.reads", "thread", thread).count();
    }
}
