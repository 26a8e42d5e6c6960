package io.termsledger.consent.support;

import io.restassured.path.json.JsonPath;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the events of one user from consents.events. */
public final class ConsentEvents {

    private ConsentEvents() {
    }

    public record Event(String type, String id, String subject, JsonPath data, String raw) {
    }

    /**
     * Reads the topic from the beginning until {@code done} holds for the user's events,
     * or {@code timeout} passes; returns the user's events in topic order.
     */
    public static List<Event> read(String user, Duration timeout, Predicate<List<Event>> done) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestKafka.bootstrap());
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.CONSENT_EVENTS).stream()
                    .map(i -> new TopicPartition(Topics.CONSENT_EVENTS, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (user.equals(r.key())) {
                        events.add(new Event(TestKafka.header(r, "ce_type"), TestKafka.header(r, "ce_id"),
                                TestKafka.header(r, "ce_subject"), JsonPath.from(r.value()), r.value()));
                    }
                }
                if (done.test(events)) {
                    return events;
                }
            }
        }
        return events;
    }

    public static List<Event> ofType(List<Event> events, String type) {
        return events.stream().filter(e -> type.equals(e.type())).toList();
    }
}
