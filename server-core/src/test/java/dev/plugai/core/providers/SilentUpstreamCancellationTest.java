package dev.plugai.core.providers;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.GenerationResult;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.identity.credentials.AccessTokens;
import dev.plugai.core.identity.credentials.CredentialSecret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling a job whose provider has sent nothing yet closes the upstream call at once, for every kind. */
class SilentUpstreamCancellationTest {

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini"})
    void aCancelledJobDoesNotWaitForASilentUpstream(String kind) throws Exception {
        try (MockWebServer upstream = new MockWebServer()) {
            upstream.start();
            // Answers only after 30 s: the model is "thinking".
            upstream.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body("").build());
            OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(1)).build();
            ProviderKinds kinds = ProviderKinds.builtIn(new AccessTokens(client, Clock.systemUTC()));
            ProviderEndpoint endpoint = new ProviderEndpoint("p", kind, upstream.url("/v1").uri(), Map.of());
            TextGenerator generator = kinds.find(kind).orElseThrow().factory()
                    .create(endpoint, new CredentialSecret.ApiKey("sk-test-key-123456"), client, Clock.systemUTC())
                    .textGenerator("some-model");
            Cancellation cancellation = new Cancellation();

            CompletableFuture<GenerationResult> result = CompletableFuture.supplyAsync(() -> generator.generate(
                    TextRequest.prompt("hello", SamplingParameters.defaults()), text -> { }, cancellation));
            assertThat(upstream.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            long cancelledAt = System.nanoTime();
            cancellation.cancel();

            GenerationResult outcome = result.get(10, TimeUnit.SECONDS);
            assertThat(outcome.finishReason()).isEqualTo(GenerationResult.FinishReason.CANCELLED);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(5));
            client.dispatcher().executorService().shutdown();
        }
    }
}
