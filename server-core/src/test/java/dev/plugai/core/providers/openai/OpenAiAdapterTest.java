package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.MutableClock;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderEndpoint;
import dev.plugai.core.providers.RemoteModel;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class OpenAiAdapterTest {

    private static final String TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiAdapter adapter(String basePath) {
        return new OpenAiAdapter(new ProviderEndpoint("hf", "openai-compatible", server.url(basePath).uri(), Map.of()),
                new CredentialSecret.BearerToken(TOKEN), client, clock);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void listsTheModelsOfTheModelsEndpoint() throws Exception {
        server.enqueue(json("""
                {"object":"list","data":[
                  {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},
                  {"id":"meta-llama/Llama-3.1-8B-Instruct","object":"model","created":1721172741,
                   "owned_by":"vllm","max_model_len":131072}]}"""));

        List<RemoteModel> models = adapter("/v1/").listModels();

        assertThat(models).extracting(RemoteModel::upstreamId)
                .containsExactly("gpt-4o-mini", "meta-llama/Llama-3.1-8B-Instruct");
        assertThat(models.get(1).contextLength()).isEqualTo(OptionalInt.of(131072));
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/v1/models");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void openRoutersModalitiesSayWhichModelsTakeImages() {
        server.enqueue(json("""
                {"data":[
                  {"id":"google/gemma-3-27b-it:free","name":"Gemma 3 27B (free)","context_length":96000,
                   "architecture":{"modality":"text+image->text","input_modalities":["text","image"],
                                   "output_modalities":["text"],"tokenizer":"Gemini"}},
                  {"id":"deepseek/deepseek-r1:free","name":"DeepSeek R1 (free)","context_length":163840,
                   "architecture":{"modality":"text->text","input_modalities":["text"],
                                   "output_modalities":["text"],"tokenizer":"DeepSeek"}},
                  {"id":"gpt-4o-mini","object":"model","owned_by":"system"}]}"""));

        List<RemoteModel> models = adapter("/v1/").listModels();

        // Listings that do not say (the last, OpenAI's shape) leave it to the registry's guess by name.
        assertThat(models).extracting(RemoteModel::capabilities).containsExactly(
                java.util.Set.of("chat", "vision"), java.util.Set.of("chat"), java.util.Set.of());
    }

    @Test
    void listingRefusedByTheProviderIsProviderAuth() {
        server.enqueue(OpenAiWire.error(403, "invalid_request_error", "Project does not have access"));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter("/v1").listModels());

        assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
    }

    @Test
    void embeddingsFollowTheirIndexAndCarryPromptTokens() throws Exception {
        // Out of order on purpose: data[].index, not position, ties a vector to its input.
        server.enqueue(json("""
                {"object":"list","data":[
                  {"object":"embedding","index":1,"embedding":[0.0,2.0,0.0]},
                  {"object":"embedding","index":0,"embedding":[3.0,0.0,4.0]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":7,"total_tokens":7}}"""));

        Embedder embedder = adapter("/v1").embedder("text-embedding-3-small").orElseThrow();
        Embedder.Embeddings embeddings = embedder.embed(List.of("first", "second"), false);

        assertThat(embeddings.vectors().get(0)).containsExactly(3f, 0f, 4f);
        assertThat(embeddings.vectors().get(1)).containsExactly(0f, 2f, 0f);
        assertThat(embeddings.dimensions()).isEqualTo(3);
        assertThat(embeddings.promptTokens()).isEqualTo(7);
        JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body).isEqualTo(JSON.readTree("""
                {"model":"text-embedding-3-small","input":["first","second"],"encoding_format":"float"}"""));
    }

    @Test
    void embeddingsAreScaledToUnitLengthWhenAsked() {
        server.enqueue(json("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[3.0,0.0,4.0]}],
                 "model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}"""));

        float[] vector = adapter("/v1").embedder("m").orElseThrow().embed(List.of("x"), true).vectors().get(0);

        assertThat(vector[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(vector[2]).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void embeddingAnswerWithTooFewVectorsIsUpstreamError() {
        server.enqueue(json("{\"object\":\"list\",\"data\":[],\"usage\":{\"prompt_tokens\":1}}"));

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter("/v1").embedder("m").orElseThrow().embed(List.of("x"), false));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    }

    @Test
    void credentialsOtherThanKeysOrBearerTokensAreRefused() {
        CredentialSecret azure = new CredentialSecret.AzureOpenAI("azure-key-123", "https://x.openai.azure.com",
                "gpt4o", "2024-10-21");

        assertThatThrownBy(() -> new OpenAiAdapter(new ProviderEndpoint("hf", "openai-compatible",
                server.url("/v1").uri(), Map.of()), azure, client, clock))
                .isInstanceOf(PlugAiException.InvalidRequest.class)
                .hasMessageContaining("azure_openai")
                .hasMessageNotContaining("azure-key-123");
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredAgainstTheClock() {
        server.enqueue(new MockResponse.Builder(OpenAiWire.error(429, "rate_limit", "slow down"))
                .setHeader("Retry-After", "Thu, 01 Jan 2026 00:01:30 GMT").build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter("/v1").listModels());

        assertThat(failure.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(90));
    }

    @Test
    void openAisRetryAfterMillisecondsIsPreferred() {
        server.enqueue(new MockResponse.Builder(OpenAiWire.error(429, "tokens", "Rate limit reached"))
                .setHeader("retry-after-ms", "1500").setHeader("Retry-After", "2").build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter("/v1").listModels());

        assertThat(failure.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void answerThatIsNotAnEventStreamIsUpstreamError() {
        server.enqueue(json("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"));
        TextRequest request = TextRequest.chat(List.of(new ChatMessage("user", "Hi")), SamplingParameters.defaults());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter("/v1").textGenerator("m").generate(request, piece -> { }, new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isTrue();
    }

    @Test
    void refusedConnectionIsUpstreamErrorBeforeTheFirstByte() {
        OpenAiAdapter adapter = adapter("/v1");
        server.close();
        TextRequest request = TextRequest.chat(List.of(new ChatMessage("user", "Hi")), SamplingParameters.defaults());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> adapter.textGenerator("m").generate(request, piece -> { }, new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isTrue();
    }
}
