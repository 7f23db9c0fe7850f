package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plugai.http.resources.OpenApiResource;
import dev.plugai.http.routing.RouteTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is the contract: every documented operation must be routed, and every routed
 * operation must be documented. Later features keep this green by documenting what they add.
 */
class OpenApiAgreementTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Set<String> documentedOperations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        Iterator<String> paths = document.get("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            Iterator<String> keys = document.get("paths").get(path).fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (METHODS.contains(key)) {
                    operations.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        return operations;
    }

    static Set<String> routedOperations(RouteTable table) {
        return table.routes().stream()
                .map(route -> route.method() + " " + route.template())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode bundledDocument() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(OpenApiResource.load());
    }

    @Test
    void theBundledDocumentIsTheRepositoryFile() throws IOException {
        byte[] inRepository = Files.readAllBytes(Path.of("..", "docs", "api", "openapi.yaml"));

        assertThat(OpenApiResource.load()).isEqualTo(inRepository);
    }

    @Test
    void everyDocumentedOperationIsRoutedAndEveryRoutedOneDocumented() throws IOException {
        Set<String> documented = documentedOperations(bundledDocument());
        Set<String> routed = routedOperations(server.server.routes());

        assertThat(routed).as("routed but not in docs/api/openapi.yaml").isSubsetOf(documented);
        assertThat(documented).as("documented but not routed").isSubsetOf(routed);
        assertThat(routed).as("the /v1 API is routed").anyMatch(operation -> operation.contains(" /v1/"));
    }

    @Test
    void publicOperationsAreDocumentedAsPublicAndNoOthers() throws IOException {
        JsonNode document = bundledDocument();
        for (RouteTable.Route route : server.server.routes().routes()) {
            JsonNode operation = document.get("paths").get(route.template()).get(route.method().toLowerCase(Locale.ROOT));
            boolean documentedPublic = operation.has("security") && operation.get("security").isEmpty();
            assertThat(documentedPublic)
                    .as(route.method() + " " + route.template() + " is public in code iff 'security: []' in the document")
                    .isEqualTo(!route.access().authenticated());
        }
    }

    @Test
    void everyDocumentedOperationAnswersOverHttp() throws IOException {
        // The table could in theory drift from Helidon's routing: ask the real server too.
        for (String operation : documentedOperations(bundledDocument())) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "probe-id");
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            boolean problem = response.headers().firstValue("Content-Type")
                    .map(type -> type.startsWith("application/problem+json")).orElse(false);
            String type = problem ? new ObjectMapper().readTree(response.body()).get("type").asText() : "";
            assertThat(type)
                    .as(operation + " must reach a handler")
                    .doesNotEndWith("/route-not-found")
                    .doesNotEndWith("/method-not-allowed");
        }
    }

    @Test
    void theCheckCatchesAnUndocumentedRoute() throws IOException {
        JsonNode document = bundledDocument();
        Set<String> routed = new TreeSet<>(routedOperations(server.server.routes()));
        routed.add("POST /v1/undocumented");

        assertThat(documentedOperations(document)).doesNotContain("POST /v1/undocumented");
        assertThat(routed).isNotEqualTo(documentedOperations(document));
    }
}
