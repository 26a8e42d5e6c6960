package io.termsledger.kit.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test helpers that talk to the real broker of the test run. */
public final class TestKafka {

    private TestKafka() {
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static void createTopic(String name, int partitions) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends one binary-mode CloudEvent; headers with a null value are left out. */
    public static void send(String topic, String key, Map<String, String> headers, String value) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> {
                if (v != null) {
                    r.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8)));
                }
            });
            producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a record whose value is the given bytes, as a producer that does not write UTF-8 text would. */
    public static void sendBytes(String topic, String key, Map<String, byte[]> headers, byte[] value) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> r.headers().add(new RecordHeader(k, v)));
            producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> ceHeaders(String id, String type) {
        return Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", type, "ce_source", "/test",
                "content-type", "application/json");
    }

    /** Reads a topic from the beginning until a record matches or the timeout passes. */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Duration timeout,
                                                                  Predicate<ConsumerRecord<String, String>> done) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                    if (done.test(r)) {
                        return seen;
                    }
                }
            }
        }
        return seen;
    }

    public static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static Set<String> headerNames(ConsumerRecord<String, String> r) {
        Set<String> names = new java.util.TreeSet<>();
        r.headers().forEach(h -> names.add(h.key()));
        return names;
    }
}
