package dev.plugai.core.providers.anthropic;

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
import dev.plugai.core.backends.TokenSink;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderEndpoint;
import dev.plugai.core.providers.RemoteModel;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.plugai.core.providers.anthropic.AnthropicWire.BLOCK_START;
import static dev.plugai.core.providers.anthropic.AnthropicWire.BLOCK_STOP;
import static dev.plugai.core.providers.anthropic.AnthropicWire.MESSAGE_START;
import static dev.plugai.core.providers.anthropic.AnthropicWire.MESSAGE_STOP;
import static dev.plugai.core.providers.anthropic.AnthropicWire.PING;
import static dev.plugai.core.providers.anthropic.AnthropicWire.delta;
import static dev.plugai.core.providers.anthropic.AnthropicWire.errorResponse;
import static dev.plugai.core.providers.anthropic.AnthropicWire.event;
import static dev.plugai.core.providers.anthropic.AnthropicWire.json;
import static dev.plugai.core.providers.anthropic.AnthropicWire.messageDelta;
import static dev.plugai.core.providers.anthropic.AnthropicWire.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicAdapterTest {

    private static final String KEY = "sk-ant-api03-R2D2C3POr2d2c3poR2D2C3POr2d2c3po-AAAA";
    private static final String MODEL = "claude-sonnet-4-5-20250929";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private OkHttpClient http;
    private AnthropicAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        server.start();
        http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
        adapter = adapterWith(http);
    }

    @AfterEach
    void stop() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void aStreamedMessageYieldsItsTextUsageAndStop() {
        server.enqueue(stream(MESSAGE_START, BLOCK_START, PING, delta("Hello"), delta(", "), PING, delta("world!"),
                BLOCK_STOP, messageDelta("end_turn", 15), MESSAGE_STOP));
        List<String> pieces = new ArrayList<>();

        GenerationResult result = generate(chat(), pieces::add, new Cancellation());

        assertThat(pieces).containsExactly("Hello", ", ", "world!");
        assertThat(result.text()).isEqualTo("Hello, world!");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new GenerationResult.Usage(25, 15));
    }

    @Test
    void timingsComeFromTheInjectedClock() {
        MockResponse response = stream(MESSAGE_START, BLOCK_START, delta("a"), delta("b"), BLOCK_STOP,
                messageDelta("end_turn", 10), MESSAGE_STOP);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                clock.advance(Duration.ofMillis(200)); // the provider thinks before its first token
                return response;
            }
        });

        // Each piece takes the sink 250 ms to pass on, so decoding lasts 500 ms after the first token.
        GenerationResult result = generate(chat(), piece -> clock.advance(Duration.ofMillis(250)),
                new Cancellation());

        assertThat(result.timings().timeToFirstToken()).isEqualTo(Duration.ofMillis(200));
        assertThat(result.timings().total()).isEqualTo(Duration.ofMillis(700));
        assertThat(result.timings().tokensPerSecond()).isEqualTo(20.0);
    }

    @Test
    void stopSequenceIsAStopAndMaxTokensIsLength() {
        server.enqueue(stream(MESSAGE_START, BLOCK_START, delta("one"), BLOCK_STOP,
                messageDelta("stop_sequence", 2), MESSAGE_STOP));
        server.enqueue(stream(MESSAGE_START, BLOCK_START, delta("a long"), BLOCK_STOP,
                messageDelta("max_tokens", 2), MESSAGE_STOP));

        assertThat(generate(chat(), piece -> { }, new Cancellation()).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(generate(chat(), piece -> { }, new Cancellation()).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void theRequestCarriesTheKeyVersionTopLevelSystemAlternatingMessagesAndMappedParameters() throws Exception {
        server.enqueue(stream(MESSAGE_START, MESSAGE_STOP));
        TextRequest request = TextRequest.chat(List.of(
                new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hi."),
                new ChatMessage("system", "Answer in French."),
                new ChatMessage("user", "What is 2+2?"),
                new ChatMessage("assistant", "Quatre.")),
                new SamplingParameters(0.3, 0.9, 40, null, 256, null, List.of("\n\nHuman:"), null));

        generate(request, piece -> { }, new Cancellation());

        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/messages");
        assertThat(recorded.getUrl().toString()).doesNotContain(KEY);
        assertThat(recorded.getHeaders().get("x-api-key")).isEqualTo(KEY);
        assertThat(recorded.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(recorded.getHeaders().get("Authorization")).isNull();
        assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(recorded.getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"claude-sonnet-4-5-20250929",
                 "system":"Be brief.\\n\\nAnswer in French.",
                 "messages":[{"role":"user","content":"Hi.\\n\\nWhat is 2+2?"},
                             {"role":"assistant","content":"Quatre."}],
                 "max_tokens":256,"temperature":0.3,"top_p":0.9,"top_k":40,
                 "stop_sequences":["\\n\\nHuman:"],"stream":true}"""));
    }

    @Test
    void imagesBecomeBase64ImageBlocksBeforeTheTextAndSurviveMergedTurns() throws Exception {
        server.enqueue(stream(MESSAGE_START, MESSAGE_STOP));
        ImageInput first = new ImageInput("image/png", "iVBORw0KGgo=");
        ImageInput second = new ImageInput("image/webp", "UklGRg==");
        TextRequest request = TextRequest.chat(List.of(
                new ChatMessage("user", "Compare", List.of(first)),
                new ChatMessage("user", "these two.", List.of(second))), SamplingParameters.defaults());

        generate(request, piece -> { }, new Cancellation());

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        // Consecutive user turns merge into one (Anthropic needs alternation); both images are kept, in order.
        assertThat(body.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGRg=="}},
                  {"type":"text","text":"Compare\\n\\nthese two."}]}]"""));
    }

    @Test
    void listedClaudeModelsFromVersionThreeOnTakeImages() {
        server.enqueue(json("""
                {"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Claude Sonnet 4.5"},
                         {"type":"model","id":"claude-2.1","display_name":"Claude 2.1"}],
                 "has_more":false}"""));

        assertThat(adapter.listModels()).extracting(RemoteModel::capabilities).containsExactly(
                java.util.Set.of("chat", "vision"), java.util.Set.of("chat"));
    }

    @Test
    void aRawPromptIsOneUserMessageWithTheDefaultMaxTokens() throws Exception {
        server.enqueue(stream(MESSAGE_START, MESSAGE_STOP));

        generate(TextRequest.prompt("Say hi.", SamplingParameters.defaults()), piece -> { }, new Cancellation());

        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body).isEqualTo(JSON.readTree("""
                {"model":"claude-sonnet-4-5-20250929","messages":[{"role":"user","content":"Say hi."}],
                 "max_tokens":1024,"stream":true}"""));
    }

    @Test
    void parametersAnthropicLacksAreRefusedByNameBeforeAnyRequest() {
        TextRequest request = TextRequest.prompt("x", new SamplingParameters(null, null, null, 0.05, null, 42L,
                List.of(), 1.1));

        assertThatThrownBy(() -> generate(request, piece -> { }, new Cancellation()))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("min_p").hasMessageContaining("seed").hasMessageContaining("repeat_penalty");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void onlyAnApiKeyCredentialIsAccepted() {
        assertThatThrownBy(() -> new AnthropicAdapter(endpoint(), new CredentialSecret.BearerToken("token-123"),
                http, clock))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("api_key").hasMessageContaining("bearer_token")
                .hasMessageNotContaining("token-123");
    }

    @Test
    void unauthorizedIsProviderAuth() {
        server.enqueue(errorResponse(401, "authentication_error", "invalid x-api-key"));

        PlugAiException.Upstream failure = failure(chat());

        assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
        assertThat(failure.beforeFirstByte()).isTrue();
        assertThat(failure.getMessage()).contains("401").contains("invalid x-api-key");
    }

    @Test
    void tooManyRequestsIsRateLimitedWithTheRetryAfter() {
        server.enqueue(new MockResponse.Builder(errorResponse(429, "rate_limit_error", "Number of requests has "
                + "exceeded your per-minute rate limit")).setHeader("retry-after", "17").build());

        PlugAiException.Upstream failure = failure(chat());

        assertThat(failure.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(17));
    }

    @Test
    void overloadedAndServerErrorsAreUpstreamErrors() {
        server.enqueue(errorResponse(529, "overloaded_error", "Overloaded"));
        server.enqueue(errorResponse(500, "api_error", "Internal server error"));

        PlugAiException.Upstream overloaded = failure(chat());
        PlugAiException.Upstream internal = failure(chat());

        assertThat(overloaded.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(overloaded.getMessage()).contains("529").contains("overloaded_error");
        assertThat(overloaded.beforeFirstByte()).isTrue();
        assertThat(internal.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    }

    @Test
    void anErrorEventAfterSomeTextIsAnUpstreamErrorAfterTheFirstByte() {
        server.enqueue(stream(MESSAGE_START, BLOCK_START, delta("Half an ans"), event("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        List<String> pieces = new ArrayList<>();

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(chat(), pieces::add, new Cancellation()));

        assertThat(pieces).containsExactly("Half an ans");
        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isFalse();
        assertThat(failure.getMessage()).contains("overloaded_error");
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUpstreamTimeout() {
        OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofMillis(300)).build();
        server.enqueue(new MockResponse.Builder(stream(MESSAGE_START, MESSAGE_STOP))
                .headersDelay(3, TimeUnit.SECONDS).build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapterWith(impatient).textGenerator(MODEL).generate(chat(), piece -> { }, new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.beforeFirstByte()).isTrue();
    }

    @Test
    void anEventThatIsNotJsonIsAnUpstreamError() {
        server.enqueue(stream(MESSAGE_START, BLOCK_START, event("content_block_delta", "{\"type\":\"content_blo")));

        PlugAiException.Upstream failure = failure(chat());

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.getMessage()).contains("malformed");
    }

    @Test
    void aStreamCutAfterSomeTextIsAnUpstreamErrorAfterTheFirstByte() {
        // The socket closes half-way through the body, well after the text and before message_stop.
        server.enqueue(new MockResponse.Builder(stream(MESSAGE_START, BLOCK_START, delta("Once upon"),
                PING.repeat(40), BLOCK_STOP, messageDelta("end_turn", 3), MESSAGE_STOP))
                .onResponseBody(new SocketEffect.CloseSocket()).build());
        List<String> pieces = new ArrayList<>();

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(chat(), pieces::add, new Cancellation()));

        assertThat(pieces).containsExactly("Once upon");
        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isFalse();
    }

    @Test
    void cancellingMidStreamClosesTheConnectionAndFinishesCancelled() throws Exception {
        CountDownLatch clientHungUp = new CountDownLatch(1);
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(new PingingEvents(List.of(MESSAGE_START, BLOCK_START, delta("Once upon")), clientHungUp))
                .build());
        Cancellation cancellation = new Cancellation();

        GenerationResult result = generate(chat(), piece -> cancellation.cancel(), cancellation);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.text()).isEqualTo("Once upon");
        assertThat(clientHungUp.await(5, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
    }

    @Test
    void anErrorBodyEchoingTheKeyDoesNotLeakIt() {
        server.enqueue(errorResponse(401, "authentication_error", "invalid x-api-key " + KEY));
        server.enqueue(stream(MESSAGE_START, delta("x"), event("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"bad key " + KEY + "\"}}")));

        for (PlugAiException.Upstream failure : List.of(failure(chat()), failure(chat()))) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("R2D2C3PO");
                assertThat(t.toString()).doesNotContain(KEY);
            }
            assertThat(failure.getMessage()).contains("[redacted]");
        }
    }

    @Test
    void modelsAreListedAcrossPagesWithTheirDisplayNames() throws Exception {
        server.enqueue(json("""
                {"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Claude Sonnet 4.5",
                          "created_at":"2025-09-29T00:00:00Z"}],
                 "has_more":true,"first_id":"claude-sonnet-4-5-20250929","last_id":"claude-sonnet-4-5-20250929"}"""));
        server.enqueue(json("""
                {"data":[{"type":"model","id":"claude-3-5-haiku-20241022","display_name":"Claude Haiku 3.5",
                          "created_at":"2024-10-22T00:00:00Z"}],
                 "has_more":false,"first_id":"claude-3-5-haiku-20241022","last_id":"claude-3-5-haiku-20241022"}"""));

        List<RemoteModel> models = adapter.listModels();

        assertThat(models).extracting(RemoteModel::upstreamId, RemoteModel::displayName).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
                org.assertj.core.groups.Tuple.tuple("claude-3-5-haiku-20241022", "Claude Haiku 3.5"));
        RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/models");
        assertThat(first.getHeaders().get("x-api-key")).isEqualTo(KEY);
        assertThat(first.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(second.getUrl().queryParameter("after_id")).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void anthropicOffersNoEmbeddings() {
        assertThat(adapter.embedder("claude-sonnet-4-5-20250929")).isEmpty();
    }

    private AnthropicAdapter adapterWith(OkHttpClient client) {
        return new AnthropicAdapter(endpoint(), new CredentialSecret.ApiKey(KEY), client, clock);
    }

    private ProviderEndpoint endpoint() {
        return new ProviderEndpoint("anthropic", "anthropic", URI.create(server.url("/v1").toString()), Map.of());
    }

    private GenerationResult generate(TextRequest request, TokenSink sink, Cancellation cancellation) {
        return adapter.textGenerator(MODEL).generate(request, sink, cancellation);
    }

    private PlugAiException.Upstream failure(TextRequest request) {
        return catchThrowableOfType(PlugAiException.Upstream.class,
                () -> generate(request, piece -> { }, new Cancellation()));
    }

    private static TextRequest chat() {
        return TextRequest.chat(List.of(new ChatMessage("user", "Hello?")), SamplingParameters.defaults());
    }

    /**
     * A body written event by event that then keeps the stream open with pings, as Anthropic does, until the
     * client hangs up, which it reports through {@code hungUp}.
     */
    private record PingingEvents(List<String> events, CountDownLatch hungUp)
            implements MockResponseBody {

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (String event : events) {
                sink.writeUtf8(event).flush();
            }
            try {
                for (int i = 0; i < 500; i++) {
                    Thread.sleep(10);
                    sink.writeUtf8(PING).flush();
                }
            } catch (IOException hangUp) {
                hungUp.countDown();
                throw hangUp;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
