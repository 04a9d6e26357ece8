package it.semaforo.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * At most so many requests per client address within a sliding window; the next one must
 * wait until the oldest leaves it. Kept in memory (bounded): a restart forgets, which is
 * harmless for a limit measured in minutes.
 */
final class RequestThrottle {
    private final Clock clock;
    private final Duration window;
    private final int limit;
    private final Cache<String, Deque<Long>> hits;

    RequestThrottle(Clock clock, Duration window, int limit) {
        this.clock = clock;
        this.window = window;
        this.limit = limit;
        this.hits = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /** Counts this request; how long to wait when it is one too many (then it is not counted). */
    Optional<Duration> hit(String address) {
        long now = clock.millis();
        Deque<Long> times = hits.get(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) times.pollFirst();
            if (times.size() >= limit) return Optional.of(Duration.ofMillis(times.peekFirst() + window.toMillis() - now));
            times.addLast(now);
            return Optional.empty();
        }
    }
}
