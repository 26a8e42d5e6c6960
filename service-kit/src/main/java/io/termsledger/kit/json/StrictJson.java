package io.termsledger.kit.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.termsledger.kit.time.InstantRange;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Every service's JSON reader refuses what the database would store as something else, and what
 * can be read two ways: an instant outside {@link InstantRange}; text holding an unpaired UTF-16
 * surrogate (a JSON escape such as {@code \ud800} on its own, which UTF-8 cannot encode: the driver
 * would store {@code ?} in its place, so a user id {@code \ud800x} would be recorded as user
 * {@code ?x}); an object naming a member twice (Jackson would keep the last; another reader of the
 * same request, a gateway or a log, may take the first); a number where an enum's name is expected
 * (Jackson would take it as the constant's index), or a fraction where an integer is (it would drop the
 * fraction); anything after the first JSON value (Jackson would ignore it).
 * A request body is answered with the malformed-json problem naming the field; an event's data
 * is parked as malformed. Everything else is read as before.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public int priority() {
        // after Quarkus's own customizer, whose java.time module this one overrides for Instant
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        // {"userId": "a", "userId": "b"} names two users; read as the last, it was recorded for one of them
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // {"version": 1.9} was read as version 1, {"method": 1} as the second method: a number is not an enum's
        // name, and an integer field takes no fraction
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // {…}{…} was read as its first object and the rest ignored: an import line holding two facts recorded one
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("strict-json")
                .addDeserializer(Instant.class, new BoundedInstant())
                .addDeserializer(String.class, new UnicodeString()));
    }

    /** Reads an instant as the java.time module does, then checks its range. */
    static final class BoundedInstant extends StdScalarDeserializer<Instant> {

        BoundedInstant() {
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

    /** Reads a string as Jackson does, then refuses one that is not Unicode text. */
    static final class UnicodeString extends StdScalarDeserializer<String> {

        UnicodeString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            String problem = UnicodeText.problem(s);
            if (problem != null) {
                throw JsonMappingException.from(p, problem);
            }
            return s;
        }
    }
}
