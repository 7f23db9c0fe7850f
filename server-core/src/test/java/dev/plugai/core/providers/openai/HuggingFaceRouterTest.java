package dev.plugai.core.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.MutableClock;
import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.ChatMessage;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static dev.plugai.core.providers.openai.OpenAiWire.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@code huggingface} kind: Hugging Face's router (router.huggingface.co/v1), OpenAI-compatible, with a
 * user's HF token — its listing shape, the request it gets, and its "out of credits" answer.
 */
class HuggingFaceRouterTest {

    private static final String HF_TOKEN = "hf_QwErTyUiOpAsDfGhJkLzXcVbNm1234567890";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private OpenAiAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        server.start();
        adapter = new OpenAiAdapter(new ProviderEndpoint("hf", "huggingface", server.url("/v1").uri(), Map.of()),
                new CredentialSecret.ApiKey(HF_TOKEN), new OkHttpClient(),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theRoutersListingIsReadWithTheTokenAsBearer() throws Exception {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body("""
                {"object":"list","data":[
                  {"id":"meta-llama/Llama-3.1-8B-Instruct","object":"model","created":1721606400,"owned_by":"meta-llama",
                   "providers":[{"provider":"novita","status":"live","context_length":16384,
                                 "pricing":{"input":0.02,"output":0.05},"supports_tools":false}]},
                  {"id":"Qwen/Qwen2.5-VL-7B-Instruct","object":"model","created":1737936000,"owned_by":"Qwen",
                   "providers":[{"provider":"hyperbolic","status":"live"}]}]}""").build());

        List<RemoteModel> models = adapter.listModels();

        assertThat(models).extracting(RemoteModel::upstreamId)
                .containsExactly("meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-VL-7B-Instruct");
        assertThat(models.getFirst().contextLength()).isEqualTo(OptionalInt.empty());
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getTarget()).isEqualTo("/v1/models");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + HF_TOKEN);
    }

    @Test
    void chatGoesToTheRoutersCompletionsWithMaxTokensAndTheTokenOnlyInItsHeader() throws Exception {
        server.enqueue(answer("stop", 12, "Bonjour"));
        TextRequest request = TextRequest.chat(List.of(new ChatMessage("user", "Say hello in French")),
                new SamplingParameters(0.7, null, null, null, 32, null, List.of(), null));

        String text = adapter.textGenerator("meta-llama/Llama-3.1-8B-Instruct")
                .generate(request, piece -> { }, new Cancellation()).text();

        assertThat(text).isEqualTo("Bonjour");
        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + HF_TOKEN);
        assertThat(recorded.getUrl().toString()).doesNotContain(HF_TOKEN);
        JsonNode body = JSON.readTree(recorded.getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(32);
        assertThat(body.has("max_completion_tokens")).isFalse();
    }

    @Test
    void outOfCreditsIsRefusedWithTheRoutersMessageAndIsNotAProviderFailure() {
        server.enqueue(new MockResponse.Builder().code(402).addHeader("Content-Type", "application/json")
                .body("{\"error\":\"You have exceeded your monthly included credits for Inference Providers. "
                        + "Subscribe to PRO to get 20x more monthly included credits.\"}").build());

        PlugAiException.Upstream failure = catchThrowableOfType(PlugAiException.Upstream.class, () ->
                adapter.textGenerator("meta-llama/Llama-3.1-8B-Instruct").generate(TextRequest.prompt("Hi",
                        SamplingParameters.defaults()), piece -> { }, new Cancellation()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_REJECTED);
        assertThat(failure.getMessage()).contains("402").contains("monthly included credits");
    }
}
