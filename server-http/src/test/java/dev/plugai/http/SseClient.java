package dev.plugai.http;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a server-sent event stream with OkHttp's SSE parser, recording each event and when it arrived. */
final class SseClient implements AutoCloseable {

    /** One received event. */
    record Event(String name, String data, Instant receivedAt) {
    }

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60)).build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    private final EventSource source;
    volatile int status;

    private SseClient(Request request) {
        source = EventSources.createFactory(CLIENT).newEventSource(request, new EventSourceListener() {
            @Override
            public void onOpen(EventSource eventSource, Response response) {
                status = response.code();
            }

            @Override
            public void onEvent(EventSource eventSource, String id, String type, String data) {
                Event event = new Event(type, data, Instant.now());
                all.add(event);
                events.add(event);
            }

            @Override
            public void onClosed(EventSource eventSource) {
                closed.countDown();
            }

            @Override
            public void onFailure(EventSource eventSource, Throwable error, Response response) {
                if (response != null) {
                    status = response.code();
                }
                closed.countDown();
            }
        });
    }

    static SseClient post(TestServer server, String token, String json) {
        return new SseClient(new Request.Builder().url(server.uri("/v1/generate").toString())
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build());
    }

    /** Waits for the first event matching {@code test}; fails with what arrived when it does not come. */
    Event await(Predicate<Event> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(50, TimeUnit.MILLISECONDS);
            if (event != null && test.test(event)) {
                return event;
            }
        }
        throw new AssertionError("No matching event within " + timeout + "; got " + all);
    }

    Event await(String name, Duration timeout) throws InterruptedException {
        return await(event -> event.name().equals(name), timeout);
    }

    /** Waits until the stream ends, then returns every event. */
    List<Event> finish(Duration timeout) throws InterruptedException {
        if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The stream did not end within " + timeout + "; got " + all);
        }
        return List.copyOf(all);
    }

    List<Event> received() {
        return List.copyOf(all);
    }

    /** Drops the connection, as a client that goes away. */
    @Override
    public void close() {
        source.cancel();
    }
}
