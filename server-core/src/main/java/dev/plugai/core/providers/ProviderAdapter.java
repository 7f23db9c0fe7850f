package dev.plugai.core.providers;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.TextGenerator;

import java.util.List;
import java.util.Optional;

/**
 * One provider's API behind the common seams: it owns its request mapping, its streaming parser, its
 * usage accounting and its error mapping, and nothing outside it branches on the provider's name. An
 * adapter is made per provider endpoint and credential; it is thread-safe.
 *
 * <p>Errors are {@link dev.plugai.core.errors.PlugAiException.Upstream} with the kind that fits:
 * upstream 401/403 → {@code PROVIDER_AUTH}; 429 → {@code RATE_LIMITED} with the upstream retry-after;
 * 5xx and connection failures → {@code UPSTREAM_ERROR}; timeouts → {@code UPSTREAM_TIMEOUT}; each says
 * whether it happened before the first byte of output (only then may a caller retry or fall back).
 * A failure in the middle of a stream ends the generation with what was produced so far flagged.
 */
public interface ProviderAdapter {

    /** The models the provider lists (for the registry); may be a fixed list when it has no listing. */
    List<RemoteModel> listModels();

    /** Text generation with the provider's model {@code upstreamModel}. Cancellation closes the upstream call. */
    TextGenerator textGenerator(String upstreamModel);

    /** Embeddings with {@code upstreamModel}, where the provider offers them. */
    Optional<Embedder> embedder(String upstreamModel);
}
