package io.termsledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads whole topics of the e2e broker (CloudEvents in binary mode) and sends usage signals. */
final class Events {

    /** One CloudEvent as it sits on the topic. */
    record Event(String topic, String key, String id, String type, String subject, JsonNode data) {
        String text(String field) {
            JsonNode n = data.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        int integer(String field) {
            return data.path(field).asInt(-1);
        }
    }

    private final String bootstrap;

    Events(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every record now on the topic (from the beginning up to the current end), with the given filter. */
    List<Event> read(String topic, Predicate<Event> filter) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        List<Event> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 20 s");
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    Event e = toEvent(r);
                    if (e != null && filter.test(e)) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    /** A usage.signal.v1 on usage.signals, as a product would send it. */
    void sendUsage(String userId, String agreementKey, Instant occurredAt) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            String data = Http.JSON.writeValueAsString(Map.of("userId", userId, "agreementKey", agreementKey,
                    "occurredAt", occurredAt.toString()));
            ProducerRecord<String, String> r = new ProducerRecord<>("usage.signals", userId, data);
            r.headers().add("ce_specversion", bytes("1.0"))
                    .add("ce_id", bytes(UUID.randomUUID().toString()))
                    .add("ce_source", bytes("/e2e-product"))
                    .add("ce_type", bytes("usage.signal.v1"))
                    .add("ce_subject", bytes(userId))
                    .add("ce_time", bytes(Instant.now().toString()))
                    .add("content-type", bytes("application/json"));
            producer.send(r).get(15, TimeUnit.SECONDS);
        }
    }

    private static Event toEvent(ConsumerRecord<String, String> r) {
        try {
            JsonNode data = r.value() == null ? null : Http.JSON.readTree(r.value());
            return new Event(r.topic(), r.key(), header(r, "ce_id"), header(r, "ce_type"), header(r, "ce_subject"),
                    data == null ? Http.JSON.nullNode() : data);
        } catch (Exception e) {
            return null; // not JSON: not one of ours
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
