package io.termsledger.kit.outbox;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Event ids as time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds,
 * then 74 random bits. Ids made close in time sort close together, so the unique indexes
 * that hold them (the ledger's facts, the outbox, every consumer's {@code consumed_event})
 * grow at their right edge instead of touching a random page per insert, and after a
 * checkpoint the database writes far fewer full pages to its WAL. Still unguessable and
 * unique: the random part is as long as a version 4 UUID's less four bits.
 */
public final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    /** A new time-ordered (version 7) UUID. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /** A version 7 UUID for the given Unix milliseconds (tests use it to check the layout). */
    static UUID at(long unixMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long randB = RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL;
        long msb = (unixMillis & 0xFFFFFFFFFFFFL) << 16 | 0x7000L | randA;
        long lsb = 0x8000000000000000L | randB;
        return new UUID(msb, lsb);
    }
}
