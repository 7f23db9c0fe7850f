package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.providers.ProviderEndpoint;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MockWebServer that answers like generativelanguage.googleapis.com/v1beta, plus the adapter pointed at it.
 * The JSON samples follow the shapes in Google's Gemini API reference.
 */
final class GeminiServer implements AutoCloseable {

    /** Shaped like a real key (AIza + 35 characters) so the pattern-based redaction is exercised too. */
    static final String API_KEY = "AIzaSyD-plugaiTestKey0123456789abcdefgh";
    static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final OkHttpClient client;
    final GeminiAdapter adapter;

    GeminiServer(Duration readTimeout) throws IOException {
        this(readTimeout, Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));
    }

    GeminiServer(Duration readTimeout, Clock clock) throws IOException {
        server.start();
        client = new OkHttpClient.Builder().readTimeout(readTimeout).build();
        ProviderEndpoint endpoint = new ProviderEndpoint("gemini", "gemini", server.url("/v1beta").uri(),
                Map.of("x-plugai-test", "1"));
        adapter = new GeminiAdapter(endpoint, new CredentialSecret.ApiKey(API_KEY), client, clock);
    }

    GeminiServer() throws IOException {
        this(Duration.ofSeconds(5));
    }

    /** One {@code data:} event as Gemini frames it (CRLF line ends). */
    static String event(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    /** A chunk with text and, when {@code finishReason} is not null, the candidate's last chunk. */
    static String chunk(String text, String finishReason, int promptTokens, Integer candidateTokens) {
        String finish = finishReason == null ? "" : ",\"finishReason\": \"" + finishReason + "\"";
        String candidates = candidateTokens == null ? "" : ",\"candidatesTokenCount\": " + candidateTokens;
        int total = promptTokens + (candidateTokens == null ? 0 : candidateTokens);
        return event("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": " + quote(text)
                + "}],\"role\": \"model\"}" + finish + ",\"index\": 0}],"
                + "\"usageMetadata\": {\"promptTokenCount\": " + promptTokens + candidates
                + ",\"totalTokenCount\": " + total + ",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": "
                + promptTokens + "}]},\"modelVersion\": \"gemini-2.0-flash\",\"responseId\": \"mcJqaPyHLqGxz7IPq5-o4Aw\"}");
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .addHeader("Content-Disposition", "attachment").chunkedBody(body, 64).build();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=UTF-8")
                .body(body).build();
    }

    /** Google's error envelope. */
    static String error(int code, String message, String status) {
        return "{\"error\": {\"code\": " + code + ", \"message\": " + quote(message) + ", \"status\": \"" + status
                + "\"}}";
    }

    RecordedRequest take() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().utf8());
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
