package dev.plugai.http.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document, the repository's {@code docs/api/openapi.yaml}
 * as built into the server. YAML by default; JSON when the caller prefers {@code application/json}
 * or asks {@code ?format=json}.
 */
public final class OpenApiResource implements ApiResource {

    /** Where the build puts {@code docs/api/openapi.yaml} on the classpath. */
    public static final String CLASSPATH_LOCATION = "/dev/plugai/http/openapi.yaml";

    private final byte[] yaml;
    private final Json jsonSupport;
    /** The JSON rendering, made on first request: parsing the document at start-up cost every start. */
    private volatile byte[] json;

    public OpenApiResource(Json jsonSupport) {
        this.yaml = load();
        this.jsonSupport = jsonSupport;
    }

    private byte[] json() {
        byte[] rendered = json;
        if (rendered == null) {
            try {
                Object document = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
                rendered = jsonSupport.mapper().copy()
                        .setPropertyNamingStrategy(null)
                        .writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
            } catch (IOException e) {
                throw new UncheckedIOException("The bundled OpenAPI document is not valid YAML", e);
            }
            json = rendered;
        }
        return rendered;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/openapi", Access.PUBLIC, this::document);
    }

    private void document(ServerRequest request, ServerResponse response) {
        String accept = request.headers().first(HeaderNames.ACCEPT).orElse("");
        boolean wantsJson = request.query().first("format").map("json"::equals).orElse(false)
                || accept.contains("application/json") && !accept.contains("yaml");
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        if (wantsJson) {
            response.header(HeaderNames.CONTENT_TYPE, "application/json");
            response.send(json());
        } else {
            response.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
            response.send(yaml);
        }
    }

    /** The bundled document's bytes. */
    public static byte[] load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("The OpenAPI document is missing from the build: " + CLASSPATH_LOCATION);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
