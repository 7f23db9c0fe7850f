/*
 * Load generator for the gateway benchmark (bench/gateway.sh). JDK only, raw HTTP/1.1 over keep-alive sockets:
 *   $JAVA_HOME/bin/java bench/gateway/LoadGen.java MODE --url URL --body JSON [--header 'Name: value']...
 *       [--expect TEXT] [--label NAME] [mode options]
 * Modes (each prints one machine-readable "RESULT ..." line, plus human lines on stderr):
 *   c1      closed loop, concurrency 1, one connection: --warmup N, then --rounds R of --requests N;
 *           p50/p99 per round and the median of the rounds' p50 and p99.
 *   rate    open loop at a fixed rate (wrk2-style): request i is due at start + i/rate whatever happened before;
 *           latency is measured from that due time (no coordinated omission); connections come from a pool
 *           (grown on demand up to --max-conns). --rate R[,R...] --duration S [--warmup-seconds S before each
 *           rate, at that rate]; one RESULT line per rate; [--stop-p99-ms M] ends the sweep after a rate whose
 *           p99 exceeds M or whose errors exceed 1%.
 *           Errors: non-2xx, a body without --expect, I/O failures, and requests not done 10 s after the end.
 *   stream  sequential streams on one connection: --warmup N --requests N; time to the first body byte (TTFB)
 *           and to the first body byte that completes --marker (first token), and the whole stream.
 *   hold    memory per stream: reads VmRSS of --pid, opens --count streams at once, waits until each has shown
 *           --marker, waits --settle seconds, reads VmRSS again, then closes all.
 * Times are in milliseconds. Percentiles are exact (sorted samples, nearest-rank).
 */

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

public class LoadGen {

    static String host;
    static int port;
    static byte[] requestBytes;
    static String expect;
    static String marker;
    static String label = "run";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = null;
        String body = "";
        List<String> headers = new ArrayList<>();
        int warmup = 200, rounds = 5, requests = 1000, maxConns = 512, count = 100, preopen = 8;
        double duration = 10, warmupSeconds = 0, settle = 5;
        String rates = "100";
        double stopP99 = Double.MAX_VALUE;
        long pid = 0;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = value;
                case "--body" -> body = value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
                case "--header" -> headers.add(value);
                case "--expect" -> expect = value;
                case "--marker" -> marker = value;
                case "--label" -> label = value;
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--max-conns" -> maxConns = Integer.parseInt(value);
                case "--preopen" -> preopen = Integer.parseInt(value);
                case "--rate" -> rates = value;
                case "--stop-p99-ms" -> stopP99 = Double.parseDouble(value);
                case "--duration" -> duration = Double.parseDouble(value);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
                case "--count" -> count = Integer.parseInt(value);
                case "--pid" -> pid = Long.parseLong(value);
                case "--settle" -> settle = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        URI uri = URI.create(url);
        host = uri.getHost();
        port = uri.getPort();
        StringBuilder head = new StringBuilder();
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        head.append(bodyBytes.length > 0 ? "POST " : "GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Accept: */*\r\n");
        if (bodyBytes.length > 0) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(bodyBytes.length).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        requestBytes = new byte[headBytes.length + bodyBytes.length];
        System.arraycopy(headBytes, 0, requestBytes, 0, headBytes.length);
        System.arraycopy(bodyBytes, 0, requestBytes, headBytes.length, bodyBytes.length);
        switch (mode) {
            case "c1" -> closedLoop(warmup, rounds, requests);
            case "rate" -> openLoop(rates, duration, warmupSeconds, maxConns, preopen, stopP99);
            case "stream" -> streams(warmup, requests);
            case "hold" -> hold(count, pid, settle);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    // ---------------------------------------------------------------- modes

    static void closedLoop(int warmup, int rounds, int requests) throws IOException {
        Connection connection = new Connection();
        for (int i = 0; i < warmup; i++) {
            Outcome outcome = connection.exchange();
            if (!outcome.ok) {
                throw new IOException("warm-up request failed: " + outcome.detail);
            }
        }
        double[] p50s = new double[rounds];
        double[] p99s = new double[rounds];
        int errors = 0;
        for (int round = 0; round < rounds; round++) {
            long[] samples = new long[requests];
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                Outcome outcome = connection.exchange();
                samples[i] = System.nanoTime() - start;
                if (!outcome.ok) {
                    errors++;
                    connection.close();
                    connection = new Connection();
                }
            }
            Arrays.sort(samples);
            p50s[round] = ms(percentile(samples, 50));
            p99s[round] = ms(percentile(samples, 99));
            System.err.printf(Locale.ROOT, "%s c1 round %d: p50 %.3f ms  p99 %.3f ms  max %.3f ms%n", label, round + 1,
                    p50s[round], p99s[round], ms(samples[samples.length - 1]));
        }
        connection.close();
        System.out.printf(Locale.ROOT, "RESULT label=%s mode=c1 rounds=%d requests=%d errors=%d p50_ms=%.3f p99_ms=%.3f"
                        + " round_p50s=%s round_p99s=%s%n", label, rounds, requests, errors, median(p50s), median(p99s),
                join(p50s), join(p99s));
    }

    /** One run per rate in the comma-separated list, on one connection pool, each after its own warm-up. */
    static void openLoop(String rates, double duration, double warmupSeconds, int maxConns, int preopen,
                         double stopP99) throws Exception {
        Pool pool = new Pool(maxConns);
        for (int i = 0; i < preopen; i++) {
            pool.idle.add(new Connection());
            pool.opened.incrementAndGet();
        }
        for (String each : rates.split(",")) {
            double rate = Double.parseDouble(each.trim());
            if (warmupSeconds > 0) {
                Run warm = schedule(pool, rate, warmupSeconds);
                System.err.printf(Locale.ROOT, "%s warm-up at %.0f/s: %d errors%n", label, rate,
                        warm.errors.get() + warm.unfinished);
            }
            Run run = schedule(pool, rate, duration);
            long[] samples = run.samples();
            int errors = run.errors.get() + run.unfinished;
            Arrays.sort(samples);
            double seconds = run.elapsedNanos / 1e9;
            System.out.printf(Locale.ROOT, "RESULT label=%s mode=rate rate=%.0f sent=%d ok=%d errors=%d"
                            + " achieved_rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f conns=%d%n",
                    label, rate, run.total, samples.length, errors, samples.length / seconds,
                    ms(percentile(samples, 50)), ms(percentile(samples, 90)), ms(percentile(samples, 99)),
                    ms(percentile(samples, 99.9)), samples.length == 0 ? 0 : ms(samples[samples.length - 1]),
                    pool.opened.get());
            System.out.flush();
            if (ms(percentile(samples, 99)) > stopP99 || errors > run.total / 100) {
                System.err.printf(Locale.ROOT, "%s: stopping the sweep at %.0f/s (p99 over %.0f ms or >1%% errors)%n",
                        label, rate, stopP99);
                break;
            }
            Thread.sleep(1000);
        }
        pool.closeAll();
        System.exit(0);
    }

    static void streams(int warmup, int requests) throws IOException {
        Connection connection = new Connection();
        for (int i = 0; i < warmup; i++) {
            StreamTimes times = connection.stream();
            if (!times.ok) {
                throw new IOException("warm-up stream failed: " + times.detail);
            }
        }
        long[] firstByte = new long[requests];
        long[] firstToken = new long[requests];
        long[] total = new long[requests];
        int errors = 0;
        for (int i = 0; i < requests; i++) {
            StreamTimes times = connection.stream();
            if (!times.ok) {
                errors++;
                System.err.println(label + " stream failed: " + times.detail);
                connection.close();
                connection = new Connection();
            }
            firstByte[i] = times.firstByte;
            firstToken[i] = times.firstToken;
            total[i] = times.total;
        }
        connection.close();
        Arrays.sort(firstByte);
        Arrays.sort(firstToken);
        Arrays.sort(total);
        System.out.printf(Locale.ROOT, "RESULT label=%s mode=stream requests=%d errors=%d ttfb_p50_ms=%.3f"
                        + " ttfb_p90_ms=%.3f ttft_p50_ms=%.3f ttft_p90_ms=%.3f ttft_max_ms=%.3f total_p50_ms=%.3f%n",
                label, requests, errors, ms(percentile(firstByte, 50)), ms(percentile(firstByte, 90)),
                ms(percentile(firstToken, 50)), ms(percentile(firstToken, 90)), ms(firstToken[requests - 1]),
                ms(percentile(total, 50)));
    }

    static void hold(int count, long pid, double settle) throws Exception {
        long before = rssKiB(pid);
        CountDownLatch started = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<Connection> open = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) {
            Thread.startVirtualThread(() -> {
                try {
                    Connection connection = new Connection();
                    open.add(connection);
                    if (!connection.holdStream(started)) {
                        failed.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed by us at the end, or failed
                    if (started.getCount() > 0) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        boolean all = started.await(120, TimeUnit.SECONDS);
        Thread.sleep((long) (settle * 1000));
        long during = rssKiB(pid);
        int streaming = count - (int) started.getCount();
        for (Connection connection : open) {
            connection.close();
        }
        System.out.printf(Locale.ROOT, "RESULT label=%s mode=hold count=%d streaming=%d failed=%d all_started=%s"
                        + " rss0_kib=%d rssk_kib=%d per_stream_kib=%.1f%n", label, count, streaming, failed.get(), all,
                before, during, (during - before) / (double) count);
        System.exit(0);
    }

    // ---------------------------------------------------------------- open-loop machinery

    static final class Pool {
        final LinkedBlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
        final AtomicInteger opened = new AtomicInteger();
        final int max;

        Pool(int max) {
            this.max = max;
        }

        Connection take() throws IOException, InterruptedException {
            Connection connection = idle.poll();
            if (connection != null) {
                return connection;
            }
            if (opened.incrementAndGet() <= max) {
                try {
                    return new Connection();
                } catch (IOException e) {
                    opened.decrementAndGet();
                    throw e;
                }
            }
            opened.decrementAndGet();
            return idle.take();
        }

        void give(Connection connection) {
            idle.add(connection);
        }

        void discard(Connection connection) {
            connection.close();
            opened.decrementAndGet();
        }

        void closeAll() {
            Connection connection;
            while ((connection = idle.poll()) != null) {
                connection.close();
            }
        }
    }

    static final class Run {
        final int total;
        final long[] latencies;
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final CountDownLatch finished;
        volatile long elapsedNanos;
        int unfinished;

        Run(int total) {
            this.total = total;
            this.latencies = new long[total];
            Arrays.fill(latencies, -1);
            this.finished = new CountDownLatch(total);
        }

        long[] samples() {
            return Arrays.stream(latencies).filter(value -> value >= 0).toArray();
        }
    }

    static Run schedule(Pool pool, double rate, double seconds) throws InterruptedException {
        int total = (int) Math.round(rate * seconds);
        Run run = new Run(total);
        double interval = 1e9 / rate;
        long start = System.nanoTime() + 5_000_000;
        int next = 0;
        while (next < total) {
            long now = System.nanoTime();
            long due = start + (long) (next * interval);
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            // Everything due by now is sent now, each with its own due time.
            while (next < total && start + (long) (next * interval) <= now) {
                int index = next++;
                long dueTime = start + (long) (index * interval);
                Thread.startVirtualThread(() -> fire(pool, run, index, dueTime));
            }
        }
        if (!run.finished.await(10, TimeUnit.SECONDS)) {
            run.unfinished = (int) run.finished.getCount();
        }
        run.elapsedNanos = System.nanoTime() - start;
        return run;
    }

    static void fire(Pool pool, Run run, int index, long due) {
        Connection connection = null;
        try {
            connection = pool.take();
            Outcome outcome = connection.exchange();
            long end = System.nanoTime();
            if (outcome.ok) {
                run.latencies[index] = end - due;
                pool.give(connection);
            } else {
                run.errors.incrementAndGet();
                if (run.errors.get() <= 3) {
                    System.err.println(label + " error: " + outcome.detail);
                }
                pool.discard(connection);
            }
        } catch (IOException | InterruptedException e) {
            run.errors.incrementAndGet();
            if (run.errors.get() <= 3) {
                System.err.println(label + " error: " + e);
            }
            if (connection != null) {
                pool.discard(connection);
            }
        } finally {
            run.finished.countDown();
        }
    }

    // ---------------------------------------------------------------- HTTP/1.1 client

    record Outcome(boolean ok, String detail) {
    }

    static final class StreamTimes {
        boolean ok;
        String detail = "";
        long firstByte = -1;
        long firstToken = -1;
        long total;
    }

    static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Connection() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        /** Sends the request and reads the whole answer. */
        Outcome exchange() throws IOException {
            out.write(requestBytes);
            out.flush();
            Reply reply = Reply.read(in, null, 0);
            if (reply.status / 100 != 2) {
                return new Outcome(false, "HTTP " + reply.status + ": " + reply.bodyText());
            }
            if (expect != null && !reply.bodyText().contains(expect)) {
                return new Outcome(false, "unexpected body: " + reply.bodyText());
            }
            if (reply.close) {
                return new Outcome(false, "server closed the connection");
            }
            return new Outcome(true, "");
        }

        StreamTimes stream() throws IOException {
            StreamTimes times = new StreamTimes();
            long start = System.nanoTime();
            out.write(requestBytes);
            out.flush();
            Reply reply = Reply.read(in, times, start);
            times.total = System.nanoTime() - start;
            String text = reply.bodyText();
            times.ok = reply.status / 100 == 2 && times.firstToken >= 0 && !text.contains("event: error")
                    && (expect == null || text.contains(expect));
            if (!times.ok) {
                times.detail = "HTTP " + reply.status + ": " + (text.length() > 400 ? text.substring(0, 400) : text);
            }
            return times;
        }

        /** Sends the request, counts down when the marker shows, then reads until the stream ends or is closed. */
        boolean holdStream(CountDownLatch started) throws IOException {
            socket.setSoTimeout(0);
            out.write(requestBytes);
            out.flush();
            StreamTimes times = new StreamTimes();
            Reply reply = Reply.read(in, times, System.nanoTime(), started);
            if (times.firstToken < 0) {
                System.err.println(label + " hold stream failed: HTTP " + reply.status + " " + reply.bodyText());
            }
            return times.firstToken >= 0;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** A response: status, whether the server will close, and the body (decoded from chunks). */
    static final class Reply {
        int status;
        boolean close;
        final StringBuilder body = new StringBuilder();

        String bodyText() {
            return body.toString();
        }

        static Reply read(InputStream in, StreamTimes times, long start) throws IOException {
            return read(in, times, start, null);
        }

        static Reply read(InputStream in, StreamTimes times, long start, CountDownLatch onMarker) throws IOException {
            Reply reply = new Reply();
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ");
            reply.status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> reply.close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] buffer = new byte[8192];
            if (chunked) {
                while (true) {
                    String size = line(in);
                    if (size == null) {
                        throw new IOException("truncated chunked body");
                    }
                    int semicolon = size.indexOf(';');
                    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (n == 0) {
                        while ((size = line(in)) != null && !size.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    while (n > 0) {
                        int got = in.read(buffer, 0, Math.min(n, buffer.length));
                        if (got < 0) {
                            throw new IOException("truncated chunk");
                        }
                        reply.append(buffer, got, times, start, onMarker);
                        n -= got;
                    }
                    line(in);
                }
            } else if (length >= 0) {
                long left = length;
                while (left > 0) {
                    int got = in.read(buffer, 0, (int) Math.min(left, buffer.length));
                    if (got < 0) {
                        throw new IOException("truncated body");
                    }
                    reply.append(buffer, got, times, start, onMarker);
                    left -= got;
                }
            } else {
                int got;
                while ((got = in.read(buffer)) >= 0) {
                    reply.append(buffer, got, times, start, onMarker);
                }
                reply.close = true;
            }
            return reply;
        }

        void append(byte[] bytes, int n, StreamTimes times, long start, CountDownLatch onMarker) {
            if (times != null && times.firstByte < 0 && n > 0) {
                times.firstByte = System.nanoTime() - start;
            }
            if (onMarker != null && times.firstToken >= 0) {
                return; // holding: keep no body, the marker was seen
            }
            body.append(new String(bytes, 0, n, StandardCharsets.ISO_8859_1));
            if (times != null && times.firstToken < 0 && marker != null && body.indexOf(marker) >= 0) {
                times.firstToken = System.nanoTime() - start;
                if (onMarker != null) {
                    onMarker.countDown();
                    body.setLength(0);
                }
            }
        }

        static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
            return line.isEmpty() ? null : line.toString();
        }
    }

    // ---------------------------------------------------------------- numbers

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        int n = copy.length;
        return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String join(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.3f", value));
        }
        return out.toString();
    }
}
