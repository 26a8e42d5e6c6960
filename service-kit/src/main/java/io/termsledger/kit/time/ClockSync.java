package io.termsledger.kit.time;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.messaging.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Shares a moved clock between the services of a non-production stack: the offset is
 * written to the single-partition topic {@code ledger.clock} ({@code ledger.clock.topic}), and every service reads
 * that topic from the beginning at start (so a restart keeps the moved time) and
 * follows it. Inactive unless {@code ledger.clock.adjustable=true}, which production
 * never sets.
 */
@ApplicationScoped
public class ClockSync {

    private static final Logger LOG = Logger.getLogger(ClockSync.class);

    @Inject
    ClockSettings settings;

    private String topic;

    @Inject
    AppClock clock;

    @Inject
    KafkaSettings kafka;

    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;

    public boolean adjustable() {
        return settings.adjustable();
    }

    void start(@Observes StartupEvent ev) {
        if (!settings.adjustable() || !kafka.enabled()) {
            return;
        }
        topic = settings.topic();
        ensureTopic();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        running = true;
        Thread t = new Thread(this::follow, "clock-sync");
        t.setDaemon(true);
        t.start();
    }

    private void ensureTopic() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create %s: %s", topic, e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("could not create %s: %s", topic, e.toString());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    private void follow() {
        try {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    try {
                        clock.setOffset(Duration.parse(r.value()));
                    } catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
                        LOG.warnf("ignoring clock record %d: %s", r.offset(), r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (Exception e) {
            LOG.errorf(e, "clock sync stopped");
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Publishes a new offset for every service and waits until this one applied it. */
    public Duration advance(Duration by) throws Exception {
        Duration target = clock.offset().plus(by);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "offset", target.toString())).get(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.offset().compareTo(target) < 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return clock.offset();
    }
}
