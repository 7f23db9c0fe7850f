/*
 * A zero-delay OpenAI-compatible upstream for the gateway benchmark (bench/gateway.sh). JDK only:
 *   $JAVA_HOME/bin/java bench/gateway/MockUpstream.java [--port 0] [--host 127.0.0.1]
 * Prints "mock listening on http://127.0.0.1:PORT/" once it accepts connections.
 *
 * A raw HTTP/1.1 server (keep-alive, Content-Length or chunked request bodies), one virtual thread per
 * connection, answers built from pre-encoded bytes, so it does almost no work per request:
 *   GET  /v1/models             lists bench-model and the stream-NxD models below
 *   POST /v1/chat/completions   non-streaming: a fixed small completion with usage, at once;
 *                               "stream": true: SSE chunks in OpenAI's format. The model name says how many
 *                               and how far apart: "stream-64x20" = 64 content chunks 20 ms apart (the first
 *                               at once); any other name = 1 chunk ("Hello from the mock.", as the non-streaming answer), no delay (all
 *                               written in one flush). Then a
 *                               finish chunk, a usage chunk when "include_usage": true, and "data: [DONE]".
 * Everything else answers 404. Models are named, not configured by headers, because gateways do not forward
 * arbitrary client headers.
 */

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class MockUpstream {

    static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    static final Pattern USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
    static final Pattern SHAPE = Pattern.compile("stream-(\\d+)x(\\d+)");
    static final AtomicLong REQUESTS = new AtomicLong();

    static final byte[] MODELS = ("{\"object\":\"list\",\"data\":["
            + model("bench-model") + "," + model("stream-64x20") + "," + model("stream-600x500") + "]}")
            .getBytes(StandardCharsets.UTF_8);

    static String model(String id) {
        return "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"bench\"}";
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        String host = "127.0.0.1";
        boolean virtual = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--virtual-threads" -> virtual = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 4096);
        System.out.println("mock listening on http://" + host + ":" + server.getLocalPort() + "/");
        System.out.flush();
        while (true) {
            Socket socket = server.accept();
            (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon().stackSize(256 * 1024))
                    .start(() -> serve(socket));
        }
    }

    static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                REQUESTS.incrementAndGet();
                boolean keepAlive = !request.close;
                if (request.method.equals("GET") && request.path.startsWith("/v1/models")) {
                    out.write(response(200, "application/json", MODELS, keepAlive));
                    out.flush();
                } else if (request.method.equals("POST") && request.path.startsWith("/v1/chat/completions")) {
                    chat(request, out, keepAlive);
                } else {
                    out.write(response(404, "application/json",
                            "{\"error\":{\"message\":\"not found\"}}".getBytes(StandardCharsets.UTF_8), keepAlive));
                    out.flush();
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the client closed the connection (a cancelled stream, or the end of a run)
        }
    }

    static void chat(Request request, OutputStream out, boolean keepAlive) throws IOException, InterruptedException {
        String body = new String(request.body, StandardCharsets.UTF_8);
        Matcher modelMatch = MODEL.matcher(body);
        String model = modelMatch.find() ? modelMatch.group(1) : "bench-model";
        if (!STREAM.matcher(body).find()) {
            String json = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hello from the mock.\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}";
            out.write(response(200, "application/json", json.getBytes(StandardCharsets.UTF_8), keepAlive));
            out.flush();
            return;
        }
        int chunks = 1;
        long gapMillis = 0;
        Matcher shape = SHAPE.matcher(model);
        if (shape.matches()) {
            chunks = Integer.parseInt(shape.group(1));
            gapMillis = Long.parseLong(shape.group(2));
        }
        boolean usage = USAGE.matcher(body).find();
        String prefix = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":";
        ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
        pending.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < chunks; i++) {
            if (i > 0 && gapMillis > 0) {
                out.write(pending.toByteArray());
                out.flush();
                pending.reset();
                Thread.sleep(gapMillis);
            }
            // Unshaped models stream the same text as the non-streaming answer, in one chunk.
            String text = shape.matches() ? "tok" + i + " " : "Hello from the mock.";
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"" + text + "\"}"
                    : "{\"content\":\"" + text + "\"}";
            chunk(pending, "data: " + prefix + delta + ",\"finish_reason\":null}]}\n\n");
        }
        chunk(pending, "data: " + prefix + "{},\"finish_reason\":\"stop\"}]}\n\n");
        if (usage) {
            chunk(pending, "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":"
                    + chunks + ",\"total_tokens\":" + (5 + chunks) + "}}\n\n");
        }
        chunk(pending, "data: [DONE]\n\n");
        pending.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(pending.toByteArray());
        out.flush();
    }

    static void chunk(ByteArrayOutputStream to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        to.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        to.write(bytes);
        to.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] response(int status, String type, byte[] body, boolean keepAlive) {
        String reason = status == 200 ? "OK" : "Not Found";
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** One parsed request: method, path, whether the client asked to close, and the body. */
    record Request(String method, String path, boolean close, byte[] body) {

        /** Reads one request, or null at a clean end of the connection. */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in);
            while (line != null && line.isEmpty()) {
                line = readLine(in);
            }
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ");
            if (parts.length < 3) {
                throw new IOException("bad request line");
            }
            long length = 0;
            boolean chunked = false;
            boolean close = parts[2].equals("HTTP/1.0");
            String header;
            while ((header = readLine(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (header == null) {
                return null;
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine(in);
                    if (size == null) {
                        throw new IOException("truncated chunked body");
                    }
                    int semicolon = size.indexOf(';');
                    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (n == 0) {
                        while ((size = readLine(in)) != null && !size.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    all.write(in.readNBytes(n));
                    readLine(in);
                }
                body = all.toByteArray();
            } else {
                body = in.readNBytes((int) length);
            }
            return new Request(parts[0], parts[1], close, body);
        }

        static String readLine(InputStream in) throws IOException {
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
}
