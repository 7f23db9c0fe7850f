package dev.plugai.http;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import okio.BufferedSink;

import java.io.IOException;

/**
 * OpenAI Chat Completions streams as the API sends them ({@code data: {chunk}} events, a finish chunk, a usage
 * chunk for {@code stream_options.include_usage}, {@code data: [DONE]}), for MockWebServer upstreams.
 */
final class ChatCompletionsWire {

    private ChatCompletionsWire() {
    }

    /** A whole answer made of {@code pieces}, finishing with {@code stop}; 9 prompt tokens, one per piece. */
    static MockResponse stream(String model, String... pieces) {
        String head = head(model);
        String body = chunks(model, pieces)
                + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":"
                + pieces.length + ",\"total_tokens\":" + (9 + pieces.length) + "}}\n\n"
                + "data: [DONE]\n\n";
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    /** Promises more than it sends, then the connection drops: a provider dying in the middle of an answer. */
    static MockResponse cut(String model, String... pieces) {
        String sent = chunks(model, pieces);
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(new MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return 100_000;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        sink.write(new Buffer().writeUtf8(sent), sent.length());
                        sink.flush();
                    }
                })
                .onResponseEnd(new SocketEffect.CloseSocket())
                .build();
    }

    private static String head(String model) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model + "\",";
    }

    private static String chunks(String model, String... pieces) {
        String head = head(model);
        StringBuilder body = new StringBuilder();
        body.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (String piece : pieces) {
            body.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(piece).append("\"},\"finish_reason\":null}]}\n\n");
        }
        return body.toString();
    }
}
