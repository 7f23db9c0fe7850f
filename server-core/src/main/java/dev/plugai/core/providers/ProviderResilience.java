package dev.plugai.core.providers;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a failing provider from taking every request down with it (resilience4j): failures before the
 * first byte are retried a bounded number of times with back-off, and a provider that keeps failing is
 * taken out of rotation for a cooldown (a circuit breaker per provider), after which one trial request
 * decides whether it is back. Failures after the first byte are never retried: the caller has output.
 *
 * <p>Thread-safe.
 */
public final class ProviderResilience {

    /** Retried and counted against the provider: its own failures. */
    private static final Set<ErrorKind> FAILURES = Set.of(ErrorKind.UPSTREAM_ERROR, ErrorKind.UPSTREAM_TIMEOUT);

    private final CircuitBreakerRegistry breakers;
    private final RetryConfig retries;
    private final Duration cooldown;

    /**
     * @param retries  extra attempts before the first byte (0 = none)
     * @param backoff  the first wait between attempts (doubling)
     * @param cooldown how long a provider stays out after repeated failures
     */
    public ProviderResilience(int retries, Duration backoff, Duration cooldown) {
        this.cooldown = cooldown;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindow(4, 3, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(75)
                .waitDurationInOpenState(cooldown)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(ProviderResilience::isFailureBeforeOutput)
                .build());
        this.retries = RetryConfig.custom()
                .maxAttempts(1 + Math.max(0, retries))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0))
                .retryOnException(ProviderResilience::isFailureBeforeOutput)
                .failAfterMaxAttempts(false)
                .build();
    }

    /**
     * Whether an error is the provider failing (5xx, connection, timeout) before any output: retried, and
     * counted towards its cooldown. A rate limit is not: retrying at once only makes it worse, so it goes
     * to the caller (with the provider's Retry-After) or to a fallback.
     */
    public static boolean isFailureBeforeOutput(Throwable error) {
        return error instanceof PlugAiException.Upstream upstream && upstream.beforeFirstByte()
                && FAILURES.contains(upstream.kind());
    }

    /** Whether another model may answer instead: a failure, a rate limit or a cooldown, before any output. */
    public static boolean mayFallBack(PlugAiException.Upstream error) {
        return error.beforeFirstByte() && (FAILURES.contains(error.kind()) || error.kind() == ErrorKind.RATE_LIMITED
                || error.kind() == ErrorKind.PROVIDER_COOLDOWN);
    }

    /** {@code generator} for {@code providerId}, with retries and the provider's cooldown. */
    public TextGenerator guard(String providerId, TextGenerator generator) {
        CircuitBreaker breaker = breakers.circuitBreaker(providerId);
        Retry retry = Retry.of(providerId, retries);
        return (request, sink, cancellation) -> {
            if (!breaker.tryAcquirePermission()) {
                throw new PlugAiException.Upstream(ErrorKind.PROVIDER_COOLDOWN, "Provider " + providerId
                        + " is paused for up to " + cooldown.toSeconds() + " s after repeated failures.", true,
                        cooldown, null);
            }
            long start = System.nanoTime();
            try {
                GenerationResult result = Retry.decorateSupplier(retry,
                        () -> attempt(generator, request, sink, cancellation)).get();
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return result;
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                throw e;
            }
        };
    }

    /** The state of a provider's breaker: CLOSED, OPEN or HALF_OPEN. */
    public String state(String providerId) {
        return breakers.circuitBreaker(providerId).getState().name();
    }

    private static GenerationResult attempt(TextGenerator generator, TextRequest request, TokenSink sink,
                                            Cancellation cancellation) {
        AtomicBoolean output = new AtomicBoolean();
        try {
            return generator.generate(request, text -> {
                output.set(true);
                sink.onText(text);
            }, cancellation);
        } catch (PlugAiException.Upstream e) {
            if (output.get() && e.beforeFirstByte()) {
                // The adapter's flag says "before the first byte"; our sink saw text: never retry then.
                throw new PlugAiException.Upstream(e.kind(), e.getMessage(), false, e.retryAfter().orElse(null), e);
            }
            throw e;
        }
    }
}
