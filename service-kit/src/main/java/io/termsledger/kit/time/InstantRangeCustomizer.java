package io.termsledger.kit.time;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Every service's JSON reader refuses an instant outside {@link InstantRange}: the request body
 * is answered with the malformed-json problem naming the field, an event's data is parked as
 * malformed. Instants are read as before otherwise.
 */
@Singleton
public class InstantRangeCustomizer implements ObjectMapperCustomizer {

    @Override
    public int priority() {
        // after Quarkus's own customizer, which registers the java.time module this one overrides for Instant
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("instant-range").addDeserializer(Instant.class, new Bounded()));
    }

    /** Reads an instant as the java.time module does, then checks its range. */
    static final class Bounded extends StdScalarDeserializer<Instant> {

        Bounded() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant t = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (t != null && !InstantRange.contains(t)) {
                throw InvalidFormatException.from(p, "instant out of range: must be " + InstantRange.EXPECTED,
                        p.getText(), Instant.class);
            }
            return t;
        }
    }
}
