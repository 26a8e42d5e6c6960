package io.termsledger.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets per caller for {@link RateLimitFilter}. */
@ApplicationScoped
public class RateLimiter {

    private static final int MAX_CALLERS = 100_000;

    @Inject
    RateLimitSettings settings;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public boolean enabled() {
        return settings.perSecond() > 0;
    }

    public double perSecond() {
        return settings.perSecond();
    }

    /** Takes one token for the caller; 0 when granted, else the seconds until one is available. */
    public double take(String caller) {
        if (buckets.size() > MAX_CALLERS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(caller, c -> new Bucket(settings.burst())).take(settings.perSecond(), settings.burst());
    }

    private static final class Bucket {
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double burst) {
            this.tokens = burst;
        }

        synchronized double take(double perSecond, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }
    }
}
