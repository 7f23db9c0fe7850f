package dev.plugai.desktop.cli;

import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;

import java.util.List;

/**
 * The real launcher with one extra, deliberately slow route ({@code GET /test/slow}, 2 s), run as a
 * separate process by {@link GracefulShutdownTest} so that a real SIGTERM can arrive mid-request.
 * Arguments: the data folder.
 */
public final class SlowServerMain {

    private SlowServerMain() {
    }

    public static void main(String[] args) {
        ServerOptions options = new ServerOptions();
        options.port = "0";
        options.data.dataDir = args[0];
        options.data.settings.put("server.shutdown-grace-period", "20s");
        ApiResource slow = routes -> routes.get("/test/slow", Access.PUBLIC, (request, response) -> {
            System.out.println("SLOW-STARTED");
            System.out.flush();
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.send("interrupted");
                return;
            }
            response.send("done");
        });
        int exitCode = new ServerLauncher(options, List.of(slow), System.out, System.err).run();
        System.exit(exitCode);
    }
}
