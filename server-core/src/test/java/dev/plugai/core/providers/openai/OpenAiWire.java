package dev.plugai.core.providers.openai;

import mockwebserver3.MockResponse;

import java.util.List;

/** OpenAI's streaming wire format, chunk by chunk as the Chat Completions reference shows it. */
final class OpenAiWire {

    private static final String HEAD = "{\"id\":\"chatcmpl-AbC123\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1727000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_f85bea6784\",";

    private OpenAiWire() {
    }

    static String roleChunk() {
        return HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
    }

    static String contentChunk(String content) {
        return HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
    }

    static String finishChunk(String reason) {
        return HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + reason
                + "\"}],\"usage\":null}";
    }

    static String usageChunk(int prompt, int completion) {
        return HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":0,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}";
    }

    /** Server-sent events: each payload as a {@code data:} line and a blank line. */
    static String events(List<String> payloads) {
        StringBuilder body = new StringBuilder();
        payloads.forEach(payload -> body.append("data: ").append(payload).append("\n\n"));
        return body.toString();
    }

    static MockResponse stream(String... payloads) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(events(List.of(payloads)))
                .build();
    }

    /** A complete answer: role chunk, the pieces, the finish chunk, the usage chunk and [DONE]. */
    static MockResponse answer(String finishReason, int promptTokens, String... pieces) {
        List<String> payloads = new java.util.ArrayList<>();
        payloads.add(roleChunk());
        for (String piece : pieces) {
            payloads.add(contentChunk(piece));
        }
        payloads.add(finishChunk(finishReason));
        payloads.add(usageChunk(promptTokens, pieces.length));
        payloads.add("[DONE]");
        return stream(payloads.toArray(String[]::new));
    }

    static MockResponse error(int code, String type, String message) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
                        + "\",\"param\":null,\"code\":null}}")
                .build();
    }
}
