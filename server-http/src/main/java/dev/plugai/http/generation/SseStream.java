package dev.plugai.http.generation;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent event stream on a Helidon response: {@code event:} name plus one JSON {@code data:}
 * line per event, each flushed at once. Written by hand because helidon-webserver-sse 4.3.4 is not
 * published; the format is three lines. A client that went away shows up as an
 * {@link UncheckedIOException} from {@link #send} or {@link #heartbeat}.
 *
 * <p>Not thread-safe: one handler thread writes.
 */
final class SseStream implements AutoCloseable {

    private final OutputStream out;

    /** Sets status and headers (they cannot change later) and opens the stream with a comment. */
    SseStream(ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-cache, no-store");
        // Reverse proxies (nginx) must not buffer the stream.
        response.header(HeaderNames.create("X-Accel-Buffering"), "no");
        this.out = response.outputStream();
        write(": stream open\n\n");
    }

    /** Sends one event. */
    void send(String event, byte[] json) {
        StringBuilder frame = new StringBuilder(json.length + event.length() + 16)
                .append("event: ").append(event).append("\ndata: ")
                .append(new String(json, StandardCharsets.UTF_8)).append("\n\n");
        write(frame.toString());
    }

    /** A comment line that keeps proxies from timing out and reveals a client that left. */
    void heartbeat() {
        write(": ping\n\n");
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException | UncheckedIOException ignored) {
            // the client is gone already
        }
    }
}
