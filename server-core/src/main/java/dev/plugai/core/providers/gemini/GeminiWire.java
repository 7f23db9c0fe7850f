package dev.plugai.core.providers.gemini;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.json.JsonMappers;

import java.util.List;

/**
 * The Gemini API's wire types (v1beta), only the fields PlugAI reads or writes; unknown fields are ignored
 * because Google adds fields to responses without notice. Field names are Google's.
 */
final class GeminiWire {

    static final ObjectMapper JSON = JsonMappers.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.USE_DEFAULTS))
            .build();

    private GeminiWire() {
    }

    /** The body of {@code generateContent} and {@code streamGenerateContent}. */
    record GenerateContentRequest(List<Content> contents, Content systemInstruction,
                                  GenerationConfig generationConfig) {
    }

    /** One turn: {@code role} is {@code user} or {@code model}; absent for a system instruction. */
    record Content(String role, List<Part> parts) {

        static Content text(String role, String text) {
            return new Content(role, List.of(Part.text(text)));
        }
    }

    /**
     * A text part, or an image given inline; {@code thought} marks a thinking model's thought summary, which is
     * not answer text.
     */
    record Part(String text, Boolean thought, InlineData inlineData) {

        static Part text(String text) {
            return new Part(text, null, null);
        }

        static Part image(String mimeType, String base64) {
            return new Part(null, null, new InlineData(mimeType, base64));
        }
    }

    /** Bytes sent inside the request: {@code data} is base64. */
    record InlineData(String mimeType, String data) {
    }

    /** Sampling settings; a null field is left out and means Google's default for the model. */
    record GenerationConfig(Double temperature, Double topP, Integer topK, Integer maxOutputTokens,
                            List<String> stopSequences, Integer seed) {
    }

    /** One SSE chunk, or the whole answer of a non-streamed call. */
    record GenerateContentResponse(List<Candidate> candidates, UsageMetadata usageMetadata,
                                   PromptFeedback promptFeedback, ErrorStatus error) {
    }

    /** {@code finishReason} is set on a candidate's last chunk: STOP, MAX_TOKENS, SAFETY, RECITATION, ... */
    record Candidate(Content content, String finishReason) {
    }

    /** Token counts; Google omits a count that is zero. */
    record UsageMetadata(Integer promptTokenCount, Integer candidatesTokenCount, Integer thoughtsTokenCount) {
    }

    /** Set instead of candidates when the prompt itself was blocked. */
    record PromptFeedback(String blockReason) {
    }

    /** Google's error envelope: {@code {"error": {"code", "message", "status", "details"}}}. */
    record ErrorBody(ErrorStatus error) {
    }

    /** {@code status} is the gRPC code name, e.g. RESOURCE_EXHAUSTED; {@code details} are typed by {@code @type}. */
    record ErrorStatus(Integer code, String message, String status, List<JsonNode> details) {
    }

    /** A page of {@code GET /models}. */
    record ModelList(List<Model> models, String nextPageToken) {
    }

    /** {@code name} is {@code models/<id>}. */
    record Model(String name, String displayName, Integer inputTokenLimit, List<String> supportedGenerationMethods) {
    }

    /** The body of {@code batchEmbedContents}; each request names its model as {@code models/<id>}. */
    record BatchEmbedRequest(List<EmbedContentRequest> requests) {
    }

    record EmbedContentRequest(String model, Content content) {
    }

    /** One embedding per request, in request order. */
    record BatchEmbedResponse(List<ContentEmbedding> embeddings) {
    }

    record ContentEmbedding(float[] values) {
    }
}
