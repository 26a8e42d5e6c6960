package io.termsledger.notice.it;

import io.termsledger.kit.testing.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from a point in time up to its current end (not from the beginning: the
 * deliveries topic holds every earlier run's fan-outs).
 */
final class Tail {

    private Tail() {
    }

    static List<ConsumerRecord<String, String>> since(String topic, Instant from,
                                                      Predicate<ConsumerRecord<String, String>> keep) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestKafka.bootstrap());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<TopicPartition> open = new ArrayList<>();
            for (TopicPartition tp : parts) {
                OffsetAndTimestamp s = starts.get(tp);
                if (s != null && s.offset() < ends.get(tp)) {
                    c.seek(tp, s.offset());
                    open.add(tp);
                }
            }
            c.assign(open);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (keep.test(r)) {
                        out.add(r);
                    }
                }
                open.removeIf(tp -> c.position(tp) >= ends.get(tp));
            }
        }
        return out;
    }
}
