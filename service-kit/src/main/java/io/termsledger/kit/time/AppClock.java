package io.termsledger.kit.time;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one source of "now" in a service. Production uses the system clock; local and
 * test profiles may move it forward (see the time-travel endpoint) so that notice
 * periods can be crossed without waiting.
 */
@ApplicationScoped
public class AppClock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public Instant now() {
        return Instant.now().plus(offset.get());
    }

    public Duration offset() {
        return offset.get();
    }

    /** Moves "now" forward; time never goes backwards. */
    public void setOffset(Duration newOffset) {
        if (newOffset.isNegative()) {
            throw new IllegalArgumentException("the clock offset cannot be negative");
        }
        offset.updateAndGet(old -> newOffset.compareTo(old) > 0 ? newOffset : old);
    }
}
