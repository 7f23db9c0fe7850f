package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.GenerationResult.FinishReason;
import dev.plugai.core.backends.ImageInput;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.plugai.core.providers.gemini.GeminiServer.API_KEY;
import static dev.plugai.core.providers.gemini.GeminiServer.chunk;
import static dev.plugai.core.providers.gemini.GeminiServer.event;
import static dev.plugai.core.providers.gemini.GeminiServer.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GeminiStreamingTest {

    private static final TextRequest HELLO = TextRequest.chat(List.of(new ChatMessage("user", "Hello")),
            SamplingParameters.defaults());

    private GeminiServer gemini;
    private final List<String> pieces = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        gemini = new GeminiServer();
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void streamedAnswerInSeveralChunksYieldsItsTextUsageAndStop() {
        gemini.server.enqueue(sse(chunk("The", null, 8, null)
                + chunk(" opposite of hot", null, 8, 4)
                + chunk(" is cold.", "STOP", 8, 7)));

        GenerationResult result = generate(HELLO, new Cancellation());

        assertThat(pieces).containsExactly("The", " opposite of hot", " is cold.");
        assertThat(result.text()).isEqualTo("The opposite of hot is cold.");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new GenerationResult.Usage(8, 7));
    }

    @Test
    void timingsMeasureFirstTokenTotalAndDecodingSpeedOnTheInjectedClock() throws IOException {
        gemini.close();
        // Each reading moves 100 ms on: the call starts, the first text arrives, the call ends.
        Clock ticking = new Clock() {
            private final AtomicLong readings = new AtomicLong();

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.parse("2026-03-01T10:00:00Z").plusMillis(100 * readings.getAndIncrement());
            }
        };
        gemini = new GeminiServer(Duration.ofSeconds(5), ticking);
        gemini.server.enqueue(sse(chunk("The answer", null, 8, 3) + chunk(" is 42.", "STOP", 8, 7)));

        GenerationResult.Timings timings = generate(HELLO, new Cancellation()).timings();

        assertThat(timings.timeToFirstToken()).isEqualTo(Duration.ofMillis(100));
        assertThat(timings.total()).isEqualTo(Duration.ofMillis(200));
        assertThat(timings.tokensPerSecond()).isCloseTo(70.0, within(1e-9));
    }

    @Test
    void maxTokensFinishesWithLength() {
        gemini.server.enqueue(sse(chunk("Once upon", null, 5, 2) + chunk(" a time", "MAX_TOKENS", 5, 4)));

        GenerationResult result = generate(HELLO, new Cancellation());

        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.text()).isEqualTo("Once upon a time");
    }

    @Test
    void requestStreamsFromTheModelWithTheKeyOnlyInItsHeaderAndMapsRolesAndSampling() throws Exception {
        gemini.server.enqueue(sse(chunk("Fine.", "STOP", 20, 2)));
        TextRequest request = TextRequest.chat(List.of(
                        new ChatMessage("system", "Be brief."),
                        new ChatMessage("user", "Hi"),
                        new ChatMessage("assistant", "Hello!"),
                        new ChatMessage("user", "How are you?")),
                new SamplingParameters(0.2, 0.9, 40, null, 128, 42L, List.of("END"), null));

        generate(request, new Cancellation());

        RecordedRequest recorded = gemini.take();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
        assertThat(recorded.getUrl().query()).isEqualTo("alt=sse");
        assertThat(recorded.getRequestLine()).doesNotContain(API_KEY).doesNotContain("key=");
        assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(recorded.getHeaders().get("x-plugai-test")).isEqualTo("1");
        JsonNode body = GeminiServer.body(recorded);
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
        assertThat(body.at("/systemInstruction/role").isMissingNode()).isTrue();
        assertThat(body.get("contents")).hasSize(3);
        assertThat(body.get("contents").findValuesAsText("role")).containsExactly("user", "model", "user");
        assertThat(body.at("/contents/1/parts/0/text").asText()).isEqualTo("Hello!");
        JsonNode config = body.get("generationConfig");
        assertThat(config.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(config.get("topP").asDouble()).isEqualTo(0.9);
        assertThat(config.get("topK").asInt()).isEqualTo(40);
        assertThat(config.get("maxOutputTokens").asInt()).isEqualTo(128);
        assertThat(config.get("seed").asInt()).isEqualTo(42);
        assertThat(config.get("stopSequences").get(0).asText()).isEqualTo("END");
    }

    @Test
    void rawPromptIsSentAsOneUserTurnWithoutConfigOrInstruction() throws Exception {
        gemini.server.enqueue(sse(chunk("4", "STOP", 3, 1)));

        generate(TextRequest.prompt("2+2=", SamplingParameters.defaults()), new Cancellation());

        JsonNode body = GeminiServer.body(gemini.take());
        assertThat(body.get("contents")).hasSize(1);
        assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("2+2=");
        assertThat(body.has("systemInstruction")).isFalse();
        assertThat(body.has("generationConfig")).isFalse();
    }

    @Test
    void imagesBecomeInlineDataPartsAfterTheText() throws Exception {
        gemini.server.enqueue(sse(chunk("A cat.", "STOP", 260, 3)));
        TextRequest request = TextRequest.chat(List.of(new ChatMessage("user", "What is this?",
                List.of(new ImageInput("image/jpeg", "/9j/4AAQ")))), SamplingParameters.defaults());

        generate(request, new Cancellation());

        JsonNode body = GeminiServer.body(gemini.take());
        assertThat(body.get("contents")).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                [{"role":"user","parts":[{"text":"What is this?"},
                                         {"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}}]}]"""));
    }

    @Test
    void parametersGeminiLacksAreRefusedByNameBeforeAnyRequest() {
        TextRequest minP = TextRequest.prompt("x", new SamplingParameters(null, null, null, 0.05, null, null,
                null, null));
        TextRequest repeatPenalty = TextRequest.prompt("x", new SamplingParameters(null, null, null, null, null,
                null, null, 1.1));

        assertThatThrownBy(() -> generate(minP, new Cancellation()))
                .isInstanceOf(PlugAiException.InvalidRequest.class).hasMessageContaining("min_p");
        assertThatThrownBy(() -> generate(repeatPenalty, new Cancellation()))
                .isInstanceOf(PlugAiException.InvalidRequest.class).hasMessageContaining("repeat_penalty");
        assertThat(gemini.server.getRequestCount()).isZero();
    }

    @Test
    void cancellingMidStreamClosesTheConnectionAndFinishesCancelled() throws Exception {
        CompletableFuture<IOException> serverSawClose = new CompletableFuture<>();
        gemini.server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new EndlessStory(serverSawClose)).build());
        Cancellation cancellation = new Cancellation();

        GenerationResult result = gemini.adapter.textGenerator("gemini-2.0-flash").generate(HELLO, text -> {
            pieces.add(text);
            cancellation.cancel();
        }, cancellation);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.text()).isEqualTo("Once");
        assertThat(serverSawClose.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void streamCutAfterTheFirstChunkFailsAsUpstreamErrorAfterTheFirstByte() {
        gemini.server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new CutStream(chunk("Once", null, 5, 1))).onResponseEnd(new SocketEffect.CloseSocket()).build());

        assertThatThrownBy(() -> generate(HELLO, new Cancellation()))
                .isInstanceOfSatisfying(PlugAiException.Upstream.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                    assertThat(e.beforeFirstByte()).isFalse();
                });
        assertThat(pieces).containsExactly("Once");
    }

    @Test
    void streamEndingWithoutAFinishReasonIsTreatedAsCut() {
        gemini.server.enqueue(sse(chunk("Once", null, 5, 1)));

        assertThatThrownBy(() -> generate(HELLO, new Cancellation()))
                .isInstanceOfSatisfying(PlugAiException.Upstream.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                    assertThat(e.beforeFirstByte()).isFalse();
                });
    }

    @Test
    void malformedChunkFailsAsUpstreamError() {
        gemini.server.enqueue(sse(chunk("Once", null, 5, 1) + event("{\"candidates\": [{\"content\": ")));

        assertThatThrownBy(() -> generate(HELLO, new Cancellation()))
                .isInstanceOfSatisfying(PlugAiException.Upstream.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                    assertThat(e.beforeFirstByte()).isFalse();
                });
    }

    @Test
    void errorEventInsideTheStreamIsMappedLikeAnErrorStatus() {
        gemini.server.enqueue(sse(event(GeminiServer.error(429, "Resource has been exhausted", "RESOURCE_EXHAUSTED"))));

        assertThatThrownBy(() -> generate(HELLO, new Cancellation()))
                .isInstanceOfSatisfying(PlugAiException.Upstream.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.beforeFirstByte()).isTrue();
                });
    }

    @Test
    void silentUpstreamTimesOutAsUpstreamTimeout() throws IOException {
        gemini.close();
        gemini = new GeminiServer(Duration.ofMillis(300));
        gemini.server.enqueue(new MockResponse.Builder(sse(chunk("late", "STOP", 1, 1)))
                .headersDelay(3, TimeUnit.SECONDS).build());

        assertThatThrownBy(() -> generate(HELLO, new Cancellation()))
                .isInstanceOfSatisfying(PlugAiException.Upstream.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
                    assertThat(e.beforeFirstByte()).isTrue();
                });
    }

    private GenerationResult generate(TextRequest request, Cancellation cancellation) {
        return gemini.adapter.textGenerator("gemini-2.0-flash").generate(request, pieces::add, cancellation);
    }

    /** Sends one chunk, then keeps writing until the client hangs up, and reports the failed write. */
    private record EndlessStory(CompletableFuture<IOException> serverSawClose) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.writeUtf8(chunk("Once", null, 5, 1)).flush();
                for (int i = 0; i < 200; i++) {
                    Thread.sleep(25);
                    sink.writeUtf8(chunk(" upon a time", null, 5, 4)).flush();
                }
            } catch (IOException e) {
                serverSawClose.complete(e);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Promises more bytes than it sends, then drops the connection, as a proxy that dies mid-answer would. */
    private record CutStream(String firstChunk) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return 10_000;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8(firstChunk).flush();
        }
    }
}
