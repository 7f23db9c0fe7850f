package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plugai.http.resources.OpenApiResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/api/README.md} is rendered from the OpenAPI document; this test fails when it is stale.
 * Regenerate with {@code ./run-tests -pl server-http -Dplugai.docs.update=true}.
 */
class ApiReferenceDocTest {

    private static final Path DOC = Path.of("..", "docs", "api", "README.md");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void theApiReferenceIsRenderedFromTheOpenApiDocument() throws IOException {
        String rendered = render(new ObjectMapper(new YAMLFactory()).readTree(OpenApiResource.load()));
        if (Boolean.getBoolean("plugai.docs.update")) {
            Files.writeString(DOC, rendered);
        }
        assertThat(Files.readString(DOC))
                .as("docs/api/README.md is stale; regenerate: ./run-tests -pl server-http -Dplugai.docs.update=true")
                .isEqualTo(rendered);
    }

    static String render(JsonNode api) {
        StringBuilder doc = new StringBuilder();
        doc.append("# ").append(api.at("/info/title").asText()).append(" reference (version ")
                .append(api.at("/info/version").asText()).append(")\n\n")
                .append("<!-- Generated from openapi.yaml by ApiReferenceDocTest; do not edit by hand. -->\n\n")
                .append("The machine-readable contract is [openapi.yaml](openapi.yaml), also served by every ")
                .append("server at `GET /openapi`.\n\n")
                .append(api.at("/info/description").asText().strip()).append("\n\n## Endpoints\n\n")
                .append("| method | path | summary |\n|---|---|---|\n");
        forEachOperation(api, (method, path, operation) -> doc.append("| ").append(method).append(" | `")
                .append(path).append("` | [").append(operation.path("summary").asText()).append("](#")
                .append(anchor(method + " " + path)).append(") |\n"));
        forEachOperation(api, (method, path, operation) -> {
            doc.append("\n### ").append(method).append(' ').append(path).append("\n\n");
            doc.append("**").append(operation.path("summary").asText()).append("**");
            if (operation.has("security") && operation.get("security").isEmpty()) {
                doc.append(" · public (no credentials)");
            }
            doc.append("\n\n");
            if (operation.has("description")) {
                doc.append(operation.get("description").asText().strip()).append("\n\n");
            }
            if (operation.has("parameters")) {
                doc.append("| parameter | in | required | schema | description |\n|---|---|---|---|---|\n");
                for (JsonNode parameter : operation.get("parameters")) {
                    doc.append("| `").append(parameter.path("name").asText()).append("` | ")
                            .append(parameter.path("in").asText()).append(" | ")
                            .append(parameter.path("required").asBoolean(false) ? "yes" : "no").append(" | ")
                            .append(schemaText(parameter.path("schema"))).append(" | ")
                            .append(parameter.path("description").asText("")).append(" |\n");
                }
                doc.append('\n');
            }
            if (operation.has("requestBody")) {
                doc.append("Request body: ").append(contentText(operation.at("/requestBody/content"))).append("\n\n");
            }
            doc.append("| status | meaning | body |\n|---|---|---|\n");
            Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").properties().iterator();
            while (responses.hasNext()) {
                Map.Entry<String, JsonNode> response = responses.next();
                JsonNode body = response.getValue();
                if (body.has("$ref")) {
                    body = api.at(body.get("$ref").asText().substring(1));
                }
                doc.append("| ").append(response.getKey()).append(" | ").append(body.path("description").asText())
                        .append(" | ").append(contentText(body.path("content"))).append(" |\n");
            }
        });
        doc.append("\n## Schemas\n");
        Iterator<Map.Entry<String, JsonNode>> schemas = api.at("/components/schemas").properties().iterator();
        while (schemas.hasNext()) {
            Map.Entry<String, JsonNode> schema = schemas.next();
            doc.append("\n### ").append(schema.getKey()).append("\n\n");
            if (schema.getValue().has("description")) {
                doc.append(schema.getValue().get("description").asText().strip()).append("\n\n");
            }
            doc.append("| field | type | required | description |\n|---|---|---|---|\n");
            Set<String> required = new java.util.HashSet<>();
            schema.getValue().path("required").forEach(name -> required.add(name.asText()));
            Iterator<Map.Entry<String, JsonNode>> fields = schema.getValue().path("properties").properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                doc.append("| `").append(field.getKey()).append("` | ").append(schemaText(field.getValue()))
                        .append(" | ").append(required.contains(field.getKey()) ? "yes" : "no").append(" | ")
                        .append(field.getValue().path("description").asText("").replace("\n", " ").strip())
                        .append(" |\n");
            }
        }
        return doc.toString();
    }

    private interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    private static void forEachOperation(JsonNode api, OperationVisitor visitor) {
        Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").properties().iterator();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().properties().iterator();
            while (operations.hasNext()) {
                Map.Entry<String, JsonNode> operation = operations.next();
                if (METHODS.contains(operation.getKey())) {
                    visitor.visit(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), operation.getValue());
                }
            }
        }
    }

    private static String schemaText(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replaceAll(".*/", "");
            return "[" + name + "](#" + name.toLowerCase(Locale.ROOT) + ")";
        }
        String type = schema.path("type").asText("any");
        if (schema.has("enum")) {
            StringBuilder values = new StringBuilder();
            schema.get("enum").forEach(value -> values.append(values.isEmpty() ? "" : ", ").append(value.asText()));
            return type + " (" + values + ")";
        }
        if (type.equals("array")) {
            return "array of " + schemaText(schema.path("items"));
        }
        return schema.has("format") ? type + " (" + schema.get("format").asText() + ")" : type;
    }

    private static String contentText(JsonNode content) {
        if (content.isMissingNode() || content.isEmpty()) {
            return "—";
        }
        StringBuilder text = new StringBuilder();
        Iterator<Map.Entry<String, JsonNode>> types = content.properties().iterator();
        while (types.hasNext()) {
            Map.Entry<String, JsonNode> type = types.next();
            text.append(text.isEmpty() ? "" : ", ").append('`').append(type.getKey()).append("` ")
                    .append(schemaText(type.getValue().path("schema")));
        }
        return text.toString();
    }

    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
