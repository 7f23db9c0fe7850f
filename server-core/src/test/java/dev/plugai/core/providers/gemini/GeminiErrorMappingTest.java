package dev.plugai.core.providers.gemini;

import dev.plugai.core.backends.Cancellation;
import dev.plugai.core.backends.SamplingParameters;
import dev.plugai.core.backends.TextRequest;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static dev.plugai.core.providers.gemini.GeminiServer.API_KEY;
import static dev.plugai.core.providers.gemini.GeminiServer.error;
import static dev.plugai.core.providers.gemini.GeminiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GeminiErrorMappingTest {

    private GeminiServer gemini;

    @BeforeEach
    void start() throws IOException {
        gemini = new GeminiServer();
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void unauthorisedAndForbiddenAreProviderAuth() {
        gemini.server.enqueue(json(401, error(401, "Request had invalid authentication credentials.",
                "UNAUTHENTICATED")));
        gemini.server.enqueue(json(403, error(403, "Method doesn't allow unregistered callers.",
                "PERMISSION_DENIED")));

        assertThat(generateFailure().kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
        PlugAiException.Upstream forbidden = generateFailure();
        assertThat(forbidden.kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
        assertThat(forbidden.beforeFirstByte()).isTrue();
        assertThat(forbidden.getMessage()).contains("403", "PERMISSION_DENIED");
    }

    @Test
    void invalidKeyReportedAs400WithApiKeyInvalidReasonIsProviderAuth() {
        gemini.server.enqueue(json(400, """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                  "metadata": {"service": "generativelanguage.googleapis.com"}}]}}"""));

        assertThat(generateFailure().kind()).isEqualTo(ErrorKind.PROVIDER_AUTH);
    }

    @Test
    void resourceExhaustedIsRateLimitedWithGooglesRetryDelay() {
        gemini.server.enqueue(json(429, """
                {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
                  "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                              {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}]}}"""));

        PlugAiException.Upstream failure = generateFailure();

        assertThat(failure.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(37));
    }

    @Test
    void serverErrorIsUpstreamErrorBeforeTheFirstByte() {
        gemini.server.enqueue(json(500, error(500, "An internal error has occurred.", "INTERNAL")));

        PlugAiException.Upstream failure = generateFailure();

        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(failure.beforeFirstByte()).isTrue();
        assertThat(failure.retryAfter()).isEmpty();
    }

    @Test
    void errorBodyEchoingTheKeyNeverShowsItInTheMessage() {
        gemini.server.enqueue(json(400, error(400, "Invalid value at 'key' (" + API_KEY + "): rejected",
                "INVALID_ARGUMENT")));

        PlugAiException.Upstream failure = generateFailure();

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(API_KEY).doesNotContain("plugaiTestKey");
        assertThat(failure.getMessage()).contains("[redacted]");
    }

    @Test
    void listingAndEmbeddingFailuresAreMappedTheSameWay() {
        gemini.server.enqueue(json(503, error(503, "The model is overloaded.", "UNAVAILABLE")));
        gemini.server.enqueue(json(429, error(429, "Quota exceeded.", "RESOURCE_EXHAUSTED")));

        PlugAiException.Upstream listing = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> gemini.adapter.listModels());
        PlugAiException.Upstream embedding = catchThrowableOfType(PlugAiException.Upstream.class,
                () -> gemini.adapter.embedder("gemini-embedding-001").orElseThrow().embed(List.of("x"), false));

        assertThat(listing.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(embedding.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    }

    private PlugAiException.Upstream generateFailure() {
        return catchThrowableOfType(PlugAiException.Upstream.class,
                () -> gemini.adapter.textGenerator("gemini-2.0-flash").generate(
                        TextRequest.prompt("Hello", SamplingParameters.defaults()), text -> { }, new Cancellation()));
    }
}
