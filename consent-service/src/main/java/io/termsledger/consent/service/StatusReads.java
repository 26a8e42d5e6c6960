package io.termsledger.consent.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Catalog;
import io.termsledger.kit.time.AppClock;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code GET …/status} without a worker thread in the common case: the status now of an agreement
 * whose catalog is cached, with a current projection row, is read by the reactive client on the
 * request's own I/O thread and answered from there ({@link ProjectionService#answerAt}). Everything
 * else goes to a worker thread: an {@code at} or a catalog to be read to {@link QueryService#statusJson},
 * which gives the same answer the same way as before; a row that is missing or due for re-evaluation to
 * {@link QueryService#ledgerStatusJson}, which computes it from the ledger without reading the row again.
 *
 * <p>The plain request for the status now is answered before the REST layer by
 * {@link io.termsledger.consent.rest.StatusRoute} through {@link #projectedNow}, and goes on to
 * {@link #statusJson} whenever that cannot answer it.
 *
 * <p>{@code consent.status.reads} (tag {@code thread}: {@code router}, {@code io} or {@code worker}) counts the
 * answers each way ({@code /q/metrics}).
 *
 * <p>On two cores the worker hop cost about a third of the status rate at 4 clients (bench/README, session 13).
 */
@ApplicationScoped
public class StatusReads {

    private static final Logger LOG = Logger.getLogger(StatusReads.class);

    @Inject
    Pool pool;

    @Inject
    AgreementRepository agreements;

    @Inject
    ProjectionService projection;

    @Inject
    QueryService queries;

    @Inject
    AppClock clock;

    @Inject
    MeterRegistry metrics;

    private Counter onRouter;
    private Counter onIo;
    private Counter onWorker;

    @PostConstruct
    void counters() {
        onRouter = reads("router");
        onIo = reads("io");
        onWorker = reads("worker");
    }

    private Counter reads(String thread) {
        return Counter.builder("consent.status.reads").tag("thread", thread)
                .description("Status queries answered by the router route, on the request's I/O thread through the"
                        + " REST layer, or on a worker thread").register(metrics);
    }

    /** {@link QueryService#statusJson}, answered on the caller's thread when the projection can answer it. */
    public Uni<String> statusJson(String userId, String key, Instant at) {
        Optional<Catalog> catalog = at == null ? agreements.cachedCatalog(key) : Optional.empty();
        if (catalog.isEmpty()) {
            return onWorker(() -> queries.statusJson(userId, key, at));
        }
        if (catalog.get().agreement().isEmpty()) {
            return Uni.createFrom().failure(QueryService.unknownAgreement(key));
        }
        Instant now = clock.now();
        return currentRow(userId, key, now).onItemOrFailure().transformToUni((rows, failure) -> {
            if (failure != null) {
                // the reactive pool failed (a dropped connection, a server restart): the JDBC path answers,
                // or fails in its own words (503 while the database cannot be reached)
                LOG.debugf("status read on the I/O thread failed (%s); answering on a worker thread", failure);
                return onWorker(() -> queries.statusJson(userId, key, null));
            }
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                // the row is not current: the ledger answers, without reading the row again
                return onWorker(() -> queries.ledgerStatusJson(userId, key, null));
            }
            onIo.increment();
            return Uni.createFrom().item(projection.answerAt(it.next().getString(0), userId, key, now));
        });
    }

    /**
     * The status now of a known agreement whose catalog is cached, from a current projection row, read on
     * the caller's I/O thread ({@link io.termsledger.consent.rest.StatusRoute}); a null item whenever it
     * cannot be answered that way (the catalog not cached, the agreement unknown, the row missing or due for
     * re-evaluation, the reactive pool failing), for {@link #statusJson} to answer or refuse in its own words.
     */
    public Uni<String> projectedNow(String userId, String key) {
        Optional<Catalog> catalog = agreements.cachedCatalog(key);
        if (catalog.isEmpty() || catalog.get().agreement().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Instant now = clock.now();
        return currentRow(userId, key, now).onItemOrFailure().transform((rows, failure) -> {
            if (failure != null) {
                LOG.debugf("status read on the router failed (%s); the REST layer answers", failure);
                return null;
            }
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            onRouter.increment();
            return projection.answerAt(it.next().getString(0), userId, key, now);
        });
    }

    private Uni<RowSet<Row>> currentRow(String userId, String key, Instant now) {
        return pool.preparedQuery(ProjectionService.CURRENT_STATUS)
                .execute(Tuple.of(userId, key, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
    }

    private Uni<String> onWorker(Supplier<String> answer) {
        return Uni.createFrom().item(() -> {
            String json = answer.get();
            onWorker.increment();
            return json;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
