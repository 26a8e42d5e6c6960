package io.termsledger.consent.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.service.FactService.Draft;
import io.termsledger.consent.service.FactService.Recorded;
import io.termsledger.consent.service.IdempotencyService.Claim;
import io.termsledger.consent.service.IdempotencyService.Key;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.DatabaseOutage;
import io.termsledger.kit.problem.TransactionConflict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Group commit for live facts ({@code POST /consents}, {@code POST /objections}). Requests
 * validate their fact and queue it here without holding a thread; each writer thread takes whatever
 * is queued (up to {@code ledger.writer.max-batch}) and writes it in one transaction: the
 * idempotency keys claimed, the facts appended to their users' chains, the events written
 * to the outbox, the users re-evaluated and the answers stored — a fixed number of
 * statements (all the writes one of them, {@link Db#statement}) and one commit for the
 * whole batch. A request is answered only after its
 * batch committed.
 *
 * <p>If a batch fails as a whole (a database error), each of its facts is retried in a
 * transaction of its own, so one bad fact cannot take others down with it; while the database
 * cannot be reached, the whole batch fails at once (503, {@link DatabaseOutage}).
 *
 * <p>Within this instance a key that is already queued or being written is refused at
 * once with 409, as the contract asks for a concurrent duplicate.
 *
 * <p>Metrics ({@code /q/metrics}): facts per batch ({@code consent.writer.batch.facts}), the
 * time of each phase of a batch ({@code consent.writer.batch.phase}, tag {@code phase}: {@code open}
 * — beginning, locks and reads in one round trip; {@code prepare} — engine, chain hashes and
 * answers in memory; {@code write} — the one write statement; {@code commit}), batches that failed
 * as a whole ({@code consent.writer.batch.failures}) and the facts waiting ({@code consent.writer.queue}).
 * The phases' summed rate is the share of time the writer works.
 */
@ApplicationScoped
public class FactWriter {

    private static final Logger LOG = Logger.getLogger(FactWriter.class);
    /** How long a request waits for its batch before it gives up (the fact may still be written). */
    private static final long WAIT_SECONDS = 60;
    /** How often a fact is written at most while it keeps losing races ({@link #lostARace}). */
    private static final int RACE_ATTEMPTS = 3;

    @Inject
    FactService facts;

    @Inject
    IdempotencyService idempotency;

    @Inject
    ConsentConfig config;

    @Inject
    Db db;

    @Inject
    MeterRegistry metrics;

    private DistributionSummary batchFacts;
    private Timer open;
    private Timer prepare;
    private Timer write;
    private Timer commit;
    private Counter failures;

    /**
     * What a queued fact came to: recorded (with the answer stored for its key, null without
     * a key), or an earlier answer to replay.
     */
    public record Outcome(Recorded recorded, String answer, Claim replay) {
    }

    private record Job(Key key, Draft draft, Function<Recorded, String> answer, CompletableFuture<Outcome> done,
            Executor resume) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        String flightKey() {
            return key.scope() + "\n" + key.key();
        }
    }

    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile BlockingQueue<Job> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    void start(@Observes StartupEvent ev) {
        queue = new ArrayBlockingQueue<>(config.writer().queueCapacity());
        batchFacts = DistributionSummary.builder("consent.writer.batch.facts")
                .description("Facts written per batch transaction").register(metrics);
        open = phase("open");
        prepare = phase("prepare");
        write = phase("write");
        commit = phase("commit");
        failures = Counter.builder("consent.writer.batch.failures")
                .description("Batches that failed as a whole and were retried fact by fact").register(metrics);
        Gauge.builder("consent.writer.queue", queue, BlockingQueue::size)
                .description("Facts waiting for the writer").register(metrics);
        running = true;
        for (int i = 0; i < config.writer().threads(); i++) {
            Thread t = new Thread(this::loop, "fact-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private Timer phase(String name) {
        return Timer.builder("consent.writer.batch.phase").tag("phase", name)
                .description("One phase of a batch: open (locks and reads), prepare (in memory), write, commit")
                .register(metrics);
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    /**
     * Queues a validated fact without waiting: the returned future completes once its batch is
     * written, through {@code resume} (a request's I/O thread, so that answering it never
     * holds up the writer), or fails with an {@link ApiProblem} (a 503 after
     * {@value #WAIT_SECONDS} s, answered from the timer's thread). A key already queued or
     * being written is refused at once.
     */
    public CompletableFuture<Outcome> submit(Key key, Draft draft, Function<Recorded, String> answer, Executor resume) {
        Job job = new Job(key, draft, answer, new CompletableFuture<>(), resume);
        if (key != null && inFlight.putIfAbsent(job.flightKey(), Boolean.TRUE) != null) {
            throw IdempotencyService.inFlight();
        }
        if (!running || !queue.offer(job)) {
            release(job);
            throw new ApiProblem(503, "busy", "Service unavailable",
                    "Too many facts are waiting to be written; retry shortly.").header("Retry-After", "1");
        }
        // done is completed by the writer (a refusal as it is) or, after the wait, by the timeout
        return job.done().orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof TimeoutException ? writeTimeout() : e));
    }

    private static ApiProblem writeTimeout() {
        return new ApiProblem(503, "write-timeout", "Service unavailable", "The fact was not confirmed within "
                + WAIT_SECONDS + " s; retry with the same Idempotency-Key to learn whether it was recorded.")
                .header("Retry-After", "1");
    }

    private void loop() {
        int max = config.writer().maxBatch();
        while (running) {
            List<Job> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, max - 1);
            try {
                writeBatch(batch);
            } catch (RuntimeException | Error e) {
                // the writer must outlive any failure, or every later request would wait in vain
                if (DatabaseOutage.isCause(e) || (batch.size() == 1 && !lostARace(e))) {
                    // a lone fact's own failure, or no database: written again, each fact would only wait for it again
                    batch.forEach(job -> fail(job, e));
                    continue;
                }
                failures.increment();
                LOG.warnf("a batch of %d fact(s) failed (%s); writing each in a transaction of its own", batch.size(),
                        e.toString());
                for (Job job : batch) {
                    writeAlone(job);
                }
            }
        }
    }

    /**
     * Writes one fact in a transaction of its own. A fact that lost a race ({@link #lostARace}) is
     * written again; any other failure is the fact's answer.
     */
    private void writeAlone(Job job) {
        for (int attempt = 1; ; attempt++) {
            try {
                writeBatch(List.of(job));
                return;
            } catch (RuntimeException | Error e) {
                if (attempt == RACE_ATTEMPTS || !lostARace(e)) {
                    fail(job, e);
                    return;
                }
            }
        }
    }

    /**
     * Whether a write failed because of another transaction: it stored a row this one meant to create (a
     * first chain head by a usage signal, an import or another instance; an idempotency key by another
     * instance), or PostgreSQL aborted this one to end a deadlock with it (a Kafka consumer's poll, say,
     * locks its users in arrival order). Written again, the fact finds that head, replays that instance's
     * answer, or goes through.
     */
    private static boolean lostARace(Throwable e) {
        return LedgerRepository.headCreatedMeanwhile(e) || IdempotencyService.keyStoredMeanwhile(e)
                || TransactionConflict.isCause(e);
    }

    /** Writes a batch in one transaction, then answers its requests (only after the commit). */
    private void writeBatch(List<Job> batch) {
        long[] at = new long[4];
        at[0] = System.nanoTime();
        Map<Job, Object> results = QuarkusTransaction.requiringNew().call(() -> {
            // one round trip for what the batch starts with: the batch statements take arrays whose sizes vary,
            // and planned for each call they cost more than they run (0.8 ms a batch): reuse one generic plan each,
            // within this transaction only; the keys looked up; the users and agreements locked, then what the
            // users' re-evaluation reads (under those locks)
            Db.Queries start = db.queries().add("set local plan_cache_mode = force_generic_plan", null);
            Supplier<Map<Key, Object>> claimed = idempotency.claimAll(
                    batch.stream().map(Job::key).filter(k -> k != null).toList(), start);
            Supplier<FactService.Locks> locks = facts.lock(batch.stream().map(Job::draft).toList(), false, start);
            start.run();
            at[1] = System.nanoTime();
            Map<Job, Object> res = new LinkedHashMap<>();
            Map<Key, Object> claims = claimed.get();
            List<Job> go = new ArrayList<>();
            for (Job job : batch) {
                Object claim = job.key() == null ? Claim.PROCEED : claims.get(job.key());
                if (claim instanceof Claim c && c.proceed()) {
                    go.add(job);
                } else {
                    res.put(job, claim);
                }
            }
            Db.Statement writes = db.statement();
            List<Recorded> recorded = facts.recordAll(go.stream().map(Job::draft).toList(), false, writes, locks.get());
            Map<Key, String> answers = new LinkedHashMap<>();
            for (int i = 0; i < go.size(); i++) {
                Job job = go.get(i);
                String answer = job.key() == null ? null : job.answer().apply(recorded.get(i));
                res.put(job, new Outcome(recorded.get(i), answer, null));
                if (answer != null) {
                    answers.put(job.key(), answer);
                }
            }
            idempotency.completeAll(answers, 201, writes);
            at[2] = System.nanoTime();
            writes.run();
            at[3] = System.nanoTime();
            return res;
        });
        long done = System.nanoTime();
        batchFacts.record(batch.size());
        open.record(at[1] - at[0], TimeUnit.NANOSECONDS);
        prepare.record(at[2] - at[1], TimeUnit.NANOSECONDS);
        write.record(at[3] - at[2], TimeUnit.NANOSECONDS);
        commit.record(done - at[3], TimeUnit.NANOSECONDS);
        for (Map.Entry<Job, Object> r : results.entrySet()) {
            Job job = r.getKey();
            release(job);
            Object value = r.getValue();
            job.resume().execute(() -> {
                if (value instanceof Outcome o) {
                    job.done().complete(o);
                } else if (value instanceof Claim c) {
                    job.done().complete(new Outcome(null, null, c));
                } else {
                    job.done().completeExceptionally((RuntimeException) value);
                }
            });
        }
    }

    private void fail(Job job, Throwable e) {
        release(job);
        if (e instanceof Error) {
            LOG.errorf(e, "writing a fact failed");
            e = new IllegalStateException("the fact could not be written", e);
        }
        Throwable failure = e;
        job.resume().execute(() -> job.done().completeExceptionally(failure));
    }

    private void release(Job job) {
        if (job.key() != null) {
            inFlight.remove(job.flightKey());
        }
    }
}
