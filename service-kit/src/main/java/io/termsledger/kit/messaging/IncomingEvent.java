package io.termsledger.kit.messaging;

import java.time.Instant;

/** A CloudEvent read from Kafka in binary mode: {@code ce_*} headers and a JSON data value. */
public record IncomingEvent(String topic, int partition, long offset, String key,
                            String id, String type, String source, String subject, Instant time, String data) {
}
