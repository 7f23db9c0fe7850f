package dev.plugai.model.generation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The generation part of the API contract: requests, answers, stream events, jobs and the queue. */
public final class GenerationApi {

    private GenerationApi() {
    }

    /**
     * One turn of a conversation: role {@code system}, {@code user} or {@code assistant}.
     *
     * @param attachments images that go with a user turn (models whose inputs include {@code image})
     */
    public record Message(String role, String content, List<Attachment> attachments) {
    }

    /**
     * An image for a model that takes images: exactly one of {@code url} (http or https; the server fetches it)
     * or {@code data} (base64, bare or as a {@code data:image/...;base64,} URL). PNG, JPEG, WebP or GIF.
     */
    public record Attachment(String url, String data) {
    }

    /**
     * {@code POST /v1/generate}.
     *
     * @param model     the model id (see {@code GET /v1/models})
     * @param messages  the conversation (or give {@code prompt})
     * @param prompt    a raw prompt, sent to the model as is (or give {@code messages})
     * @param params    generation parameters; see {@code GET /v1/models/{id}/parameters}
     * @param stream    true for server-sent events, false (default) for one JSON answer
     * @param onLoading {@code wait} (default) for the model to load, or {@code fallback} to the default model
     * @param attachments images that go with the last user message (or the prompt)
     */
    public record GenerateRequest(String model, List<Message> messages, String prompt, Map<String, Object> params,
                                  Boolean stream, String onLoading, List<Attachment> attachments) {
    }

    /** Token counts. */
    public record Usage(int promptTokens, int completionTokens, int totalTokens) {
    }

    /** How long a generation took. */
    public record Timings(long timeToFirstTokenMs, long totalMs, double tokensPerSecond) {
    }

    /**
     * The answer of a non-streaming generation.
     *
     * @param jobId          the job, for {@code GET /v1/jobs/{id}}
     * @param model          the model that answered
     * @param requestedModel the model asked for (differs when the default answered as a fallback)
     * @param fallback       whether the default model answered while the requested one loads
     * @param text           the output
     * @param finishReason   stop, length or cancelled
     */
    public record GenerateResponse(String jobId, String model, String requestedModel, boolean fallback, String text,
                                   String finishReason, Usage usage, Timings timings, Instant createdAt) {
    }

    /** Stream event {@code queued}. */
    public record QueuedEvent(int position, int ahead) {
    }

    /** Stream event {@code loading}. */
    public record LoadingEvent(String model, double progress) {
    }

    /** Stream event {@code fallback}. */
    public record FallbackEvent(String requested, String used) {
    }

    /** Stream event {@code started}. */
    public record StartedEvent(String jobId, String model) {
    }

    /** Stream event {@code delta}. */
    public record DeltaEvent(String text) {
    }

    /** Stream event {@code done}. */
    public record DoneEvent(String finishReason, Usage usage, Timings timings) {
    }

    /**
     * A job: {@code GET /v1/jobs/{id}}, {@code DELETE /v1/jobs/{id}} and the entries of {@code GET /v1/queue}.
     *
     * @param state    queued, running, succeeded, cancelled or failed
     * @param position 1-based place in its model's line while queued
     * @param ahead    jobs that start before it while queued
     * @param owner    the user who submitted it (shown to admins)
     */
    public record JobView(String id, String model, String requestedModel, String state, Integer position,
                          Integer ahead, String owner, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** {@code PUT /v1/admin/default-model}. */
    public record DefaultModelRequest(String model) {
    }

    /**
     * {@code POST /v1/embeddings}.
     *
     * @param model     an embedding model
     * @param input     one text, or a list of texts
     * @param normalize scale vectors to unit length (default true)
     */
    public record EmbeddingsRequest(String model, Object input, Boolean normalize) {
    }

    /** One vector, at the index of its input. */
    public record Embedding(int index, float[] embedding) {
    }

    /** The answer of {@code POST /v1/embeddings}. */
    public record EmbeddingsResponse(String model, List<Embedding> data, int dimensions, Usage usage) {
    }
}
