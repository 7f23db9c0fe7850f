package dev.plugai.core.identity;

import dev.plugai.core.errors.PlugAiException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per account name: after {@code freeFailures} consecutive failures each
 * further attempt must wait, doubling from one second up to {@code maxDelay}. Counted by the name
 * typed, whether or not such a user exists, so a throttled answer reveals nothing. In memory: a
 * restart forgets it, which only gives an attacker one more free round.
 *
 * <p>Thread-safe.
 */
public final class LoginThrottle {

    private static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final int freeFailures;
    private final Duration maxDelay;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int freeFailures, Duration maxDelay) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.maxDelay = maxDelay;
    }

    /** Throws {@link PlugAiException.Throttled} when {@code account} must wait before the next attempt. */
    public void check(String account) {
        Failures record = failures.get(account);
        Instant now = clock.instant();
        if (record != null && now.isBefore(record.blockedUntil())) {
            Duration wait = Duration.between(now, record.blockedUntil());
            throw new PlugAiException.Throttled("Too many failed logins for this account; try again in "
                    + Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0)) + " s.", wait);
        }
    }

    /** Counts a failed attempt. */
    public void failure(String account) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(record -> record.lastFailure().plus(maxDelay.multipliedBy(2)).isBefore(now));
        }
        failures.compute(account, (key, record) -> {
            int count = record == null ? 1 : record.count() + 1;
            Instant blockedUntil = now;
            if (count >= freeFailures) {
                int doublings = Math.min(30, count - freeFailures);
                Duration delay = Duration.ofSeconds(1L << doublings);
                blockedUntil = now.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
            }
            return new Failures(count, now, blockedUntil);
        });
    }

    /** Forgets the failures after a successful login. */
    public void success(String account) {
        failures.remove(account);
    }

    private record Failures(int count, Instant lastFailure, Instant blockedUntil) {
    }
}
