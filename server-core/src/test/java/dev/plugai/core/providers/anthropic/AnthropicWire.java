package dev.plugai.core.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;

/** Anthropic's wire format as its Messages API reference shows it, for replaying on MockWebServer. */
final class AnthropicWire {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Events as the streaming reference shows them, one JSON object per data line.
    static final String MESSAGE_START = event("message_start", """
            {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message",\
            "role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,\
            "stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}""");
    static final String BLOCK_START = event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    static final String PING = event("ping", "{\"type\": \"ping\"}");
    static final String BLOCK_STOP = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    private AnthropicWire() {
    }

    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    static String delta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":" + JSON.valueToTree(text) + "}}");
    }

    static String messageDelta(String stopReason, int outputTokens) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    static MockResponse stream(String... events) {
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(String.join("", events)).build();
    }

    static MockResponse errorResponse(int status, String type, String message) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}")
                .build();
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
    }
}
