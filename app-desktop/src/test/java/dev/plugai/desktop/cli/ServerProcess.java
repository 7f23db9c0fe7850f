package dev.plugai.desktop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PlugAI server in a child process, with its output collected line by line for the test to wait on. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+)/)");

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final CountDownLatch outputEnded = new CountDownLatch(1);

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                outputEnded.countDown();
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(ProcessBuilder builder) throws IOException {
        return new ServerProcess(builder.redirectErrorStream(true).start());
    }

    /** Waits for a line containing {@code text}; fails with the output so far when it does not come. */
    String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
            if (line == null && outputEnded.getCount() == 0 && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("No line with '" + text + "' within " + timeout
                + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")") + ". Output:\n" + output());
    }

    /** The base URL the server printed. */
    String awaitBaseUrl(Duration timeout) throws InterruptedException {
        Matcher matcher = LISTENING.matcher(await("listening on http://", timeout));
        if (!matcher.find()) {
            throw new AssertionError("Unexpected listening line. Output:\n" + output());
        }
        return matcher.group(1);
    }

    String output() {
        return String.join("\n", all);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
