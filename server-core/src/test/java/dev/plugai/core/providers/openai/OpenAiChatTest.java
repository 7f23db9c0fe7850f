package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.MutableClock;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderEndpoint;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.plugai.core.providers.openai.OpenAiWire.answer;
import static dev.plugai.core.providers.openai.OpenAiWire.contentChunk;
import static dev.plugai.core.providers.openai.OpenAiWire.error;
import static dev.plugai.core.providers.openai.OpenAiWire.events;
import static dev.plugai.core.providers.openai.OpenAiWire.roleChunk;
import static dev.plugai.core.providers.openai.OpenAiWire.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OpenAiChatTest {

    private static final String KEY = "sk-proj-Q3vX9kLmN2pR7sT1uV4wY6zA8bC0dE5fG";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> pieces = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiAdapter adapter(String kind, Duration readTimeout) {
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(readTimeout).build();
        return new OpenAiAdapter(new ProviderEndpoint("acme", kind, server.url("/v1").uri(),
                Map.of("OpenAI-Organization", "org-plugai")), new CredentialSecret.ApiKey(KEY), client, clock);
    }

    private GenerationResult generate(TextRequest request) {
        return generate(adapter("openai", Duration.ofSeconds(5)), request, new Cancellation());
    }

    private GenerationResult generate(OpenAiAdapter adapter, TextRequest request, Cancellation cancellation) {
        return adapter.textGenerator("gpt-4o-mini").generate(request, pieces::add, cancellation);
    }

    private static TextRequest hello() {
        return TextRequest.chat(List.of(new ChatMessage("user", "Say hello")), SamplingParameters.defaults());
    }

    @Test
    void streamedDeltasReachTheSinkInOrderAndMakeTheText() {
        server.enqueue(answer("stop", 9, "Hel", "lo", ", wor", "ld!"));

        GenerationResult result = generate(hello());

        assertThat(pieces).containsExactly("Hel", "lo", ", wor", "ld!");
        assertThat(result.text()).isEqualTo("Hello, world!");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new GenerationResult.Usage(9, 4));
    }

    @Test
    void finishReasonLengthMeansTheTokenLimitWasReached() {
        server.enqueue(answer("length", 5, "Once", " upon"));

        assertThat(generate(hello()).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void timingsComeFromTheClockAndTheReportedTokens() {
        server.enqueue(answer("stop", 3, "a", "b", "c", "d"));
        OpenAiAdapter adapter = adapter("openai", Duration.ofSeconds(5));

        GenerationResult result = adapter.textGenerator("gpt-4o-mini").generate(hello(), piece -> {
            clock.advance(Duration.ofMillis(500));
        }, new Cancellation());

        assertThat(result.timings().timeToFirstToken()).isEqualTo(Duration.ZERO);
        assertThat(result.timings().total()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.timings().tokensPerSecond()).isEqualTo(2.0);
    }

    @Test
    void requestCarriesModelMessagesMappedParametersAndStreamOptions() throws Exception {
        server.enqueue(answer("stop", 1, "ok"));
        SamplingParameters parameters = new SamplingParameters(0.2, 0.9, null, null, 64, 42L,
                List.of("\n\n", "END"), null);

        generate(TextRequest.chat(List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hi")), parameters));

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1/chat/completions");
        JsonNode body = JSON.readTree(request.getBody().utf8());
        assertThat(body).isEqualTo(JSON.readTree("""
                {"model":"gpt-4o-mini",
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                 "temperature":0.2,"top_p":0.9,"max_completion_tokens":64,"seed":42,"stop":["\\n\\n","END"],
                 "stream":true,"stream_options":{"include_usage":true}}"""));
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("OpenAI-Organization")).isEqualTo("org-plugai");
        assertThat(request.getUrl().toString()).doesNotContain(KEY);
    }

    @Test
    void imagesBecomeContentPartsWithDataUrlsAfterTheText() throws Exception {
        server.enqueue(answer("stop", 120, "A red square."));
        ImageInput png = new ImageInput("image/png", "iVBORw0KGgo=");
        ImageInput jpeg = new ImageInput("image/jpeg", "/9j/4AAQ");

        generate(TextRequest.chat(List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "What is in these?", List.of(png, jpeg))), SamplingParameters.defaults()));

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        // The shape of OpenAI's vision guide: text part, then image_url parts; text-only turns stay strings.
        assertThat(body.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"Be brief."},
                 {"role":"user","content":[
                   {"type":"text","text":"What is in these?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}]"""));
    }

    @Test
    void compatibleServersGetTheLimitAsMaxTokens() throws Exception {
        server.enqueue(answer("stop", 1, "ok"));
        SamplingParameters parameters = new SamplingParameters(null, null, null, null, 32, null, List.of(), null);

        generate(adapter("openai-compatible", Duration.ofSeconds(5)),
                TextRequest.chat(List.of(new ChatMessage("user", "Hi")), parameters), new Cancellation());

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.get("max_tokens").asInt()).isEqualTo(32);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void rawPromptIsSentAsOneUserMessage() throws Exception {
        server.enqueue(answer("stop", 1, "4"));

        generate(TextRequest.prompt("2+2=", SamplingParameters.defaults()));

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.get("messages")).isEqualTo(JSON.readTree("[{\"role\":\"user\",\"content\":\"2+2=\"}]"));
    }

    @Test
    void parametersOpenAiLacksAreRefusedByNameBeforeAnyRequest() {
        for (var refused : Map.of(
                "top_k", new SamplingParameters(null, null, 40, null, null, null, List.of(), null),
                "min_p", new SamplingParameters(null, null, null, 0.05, null, null, List.of(), null),
                "repeat_penalty", new SamplingParameters(null, null, null, null, null, null, List.of(), 1.1))
                .entrySet()) {
            assertThatThrownBy(() -> generate(TextRequest.prompt("x", refused.getValue())))
                    .isInstanceOf(PlugAiException.InvalidRequest.class)
                    .hasMessageContaining(refused.getKey());
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void unauthorizedIsProviderAuthBeforeTheFirstByte() {
        server.enqueue(error(401, "invalid_request_error", "Invalid authorization header"));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
        assertThat(failure.beforeFirstByte()).isTrue();
        assertThat(failure.getMessage()).contains("401").contains("Invalid authorization header");
    }

    @Test
    void tooManyRequestsIsRateLimitedWithTheUpstreamRetryAfter() {
        server.enqueue(new MockResponse.Builder(error(429, "requests", "Rate limit reached for gpt-4o-mini"))
                .setHeader("Retry-After", "20").build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(failure.beforeFirstByte()).isTrue();
    }

    @Test
    void serverErrorIsUpstreamError() {
        server.enqueue(error(500, "server_error", "The server had an error while processing your request."));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isTrue();
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUpstreamTimeout() {
        server.enqueue(new MockResponse.Builder(answer("stop", 1, "late"))
                .headersDelay(2, TimeUnit.SECONDS).build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(adapter("openai", Duration.ofMillis(300)), hello(), new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.beforeFirstByte()).isTrue();
    }

    @Test
    void silenceBetweenChunksIsUpstreamTimeoutAfterOutput() {
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(new ScriptedBody(events(List.of(roleChunk(), contentChunk("Hel"))), Duration.ofSeconds(2),
                        null)).build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(adapter("openai", Duration.ofMillis(300)), hello(), new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.beforeFirstByte()).isFalse();
        assertThat(pieces).containsExactly("Hel");
    }

    @Test
    void malformedChunkIsUpstreamError() {
        server.enqueue(stream(roleChunk(), "{\"choices\":[{\"delta\":{\"content\":\"Hi\"", "[DONE]"));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.getMessage()).contains("malformed");
    }

    @Test
    void streamCutMidwayFailsAfterTheFirstByteWithThePartialTextInTheSink() {
        // Promises more bytes than it sends, then the connection drops: a provider dying mid-answer.
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(new ScriptedBody(events(List.of(roleChunk(), contentChunk("Hel"), contentChunk("lo"))),
                        Duration.ZERO, null) {
                    @Override
                    public long getContentLength() {
                        return 100_000;
                    }
                })
                .onResponseEnd(new mockwebserver3.SocketEffect.CloseSocket())
                .build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isFalse();
        assertThat(String.join("", pieces)).isEqualTo("Hello");
    }

    @Test
    void streamEndingWithoutFinishOrDoneIsAnError() {
        server.enqueue(stream(roleChunk(), contentChunk("Hel")));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(hello()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isFalse();
    }

    @Test
    void cancellingMidStreamClosesTheUpstreamConnectionAndFinishesCancelled() throws Exception {
        CountDownLatch serverWriteFailed = new CountDownLatch(1);
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .body(new ScriptedBody(events(List.of(roleChunk(), contentChunk("Hel"))), Duration.ZERO,
                        serverWriteFailed)).build());
        Cancellation cancellation = new Cancellation();

        GenerationResult result = adapter("openai", Duration.ofSeconds(5)).textGenerator("gpt-4o-mini")
                .generate(hello(), piece -> {
                    pieces.add(piece);
                    cancellation.cancel();
                }, cancellation);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.text()).isEqualTo("Hel");
        // The mock keeps streaming; its writes fail only once the client has closed the socket.
        assertThat(serverWriteFailed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void alreadyCancelledSendsNothing() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();

        GenerationResult result = generate(adapter("openai", Duration.ofSeconds(5)), hello(), cancellation);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void upstreamEchoingTheKeyNeverLeaksItIntoAnyMessage() {
        String echo = "Incorrect API key provided: " + KEY + ". You can find your API key at "
                + "https://platform.openai.com/account/api-keys.";
        String masked = "Incorrect API key provided: sk-proj-********************************dE5fG.";
        server.enqueue(error(401, "invalid_request_error", echo));
        server.enqueue(error(403, "invalid_request_error", masked));
        server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway for key " + KEY + "</html>").build());
        server.enqueue(stream(roleChunk(), contentChunk("Hi"),
                "{\"error\":{\"message\":\"key " + KEY + " revoked\",\"type\":\"server_error\"}}"));

        for (int i = 0; i < 4; i++) {
            Throwable failure = catchThrowableOfType(PlugAiException.Upstream.class, () -> generate(hello()));
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("dE5fG");
                assertThat(t.toString()).doesNotContain(KEY);
            }
        }
    }

    /** A streamed body written by hand: its events, then an optional pause, then (if asked) endless chunks. */
    private static class ScriptedBody implements MockResponseBody {
        private final String events;
        private final Duration pause;
        private final CountDownLatch writeFailed;

        ScriptedBody(String events, Duration pause, CountDownLatch writeFailed) {
            this.events = events;
            this.pause = pause;
            this.writeFailed = writeFailed;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8(events);
            sink.flush();
            try {
                Thread.sleep(pause.toMillis());
                if (writeFailed == null) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    Thread.sleep(20);
                    sink.writeUtf8(events(List.of(contentChunk("lo"))));
                    sink.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                writeFailed.countDown();
                throw e;
            }
        }
    }
}
