package dev.plugai.http.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * JSON in and out of the API: snake_case field names, ISO-8601 instants, absent values left out,
 * unknown request fields refused. Reading checks the content type (415 for anything but JSON, so a cross-site form or
 * {@code text/plain} post never reaches a handler) and turns parse failures into a 400 that says
 * where, without echoing Java types.
 *
 * <p>Thread-safe.
 */
public final class Json {

    public static final String MEDIA_TYPE = "application/json";

    private final ObjectMapper mapper;

    public Json() {
        this.mapper = JsonMappers.create()
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The configured mapper, for bodies that are not request/response records (e.g. YAML to JSON). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads the request body as {@code type}, or fails with a problem the caller can act on. */
    public <T> T read(ServerRequest request, Class<T> type) {
        String contentType = request.headers().contentType()
                .map(mediaType -> mediaType.mediaType().text().toLowerCase(Locale.ROOT))
                .orElse("");
        if (!contentType.equals(MEDIA_TYPE) && !contentType.endsWith("+json")) {
            throw new PlugAiException.InvalidRequest(ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json" + (contentType.isEmpty() ? "." : ", not " + contentType + "."));
        }
        try (InputStream body = request.content().inputStream()) {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new PlugAiException.InvalidRequest(ErrorKind.MALFORMED_JSON, "The body must be a JSON object, not null.");
            }
            return value;
        } catch (ValueInstantiationException e) {
            // A record refused its values in its constructor: pass its own, caller-safe, message on.
            if (e.getCause() instanceof PlugAiException domain) {
                throw domain;
            }
            throw new PlugAiException.InvalidRequest(ErrorKind.MALFORMED_JSON,
                    "The body has values that are not accepted" + where(e.getLocation()) + ".");
        } catch (UnrecognizedPropertyException e) {
            throw new PlugAiException.InvalidRequest("Unknown field '" + path(e) + "'. Known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")) + ".");
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw new PlugAiException.InvalidRequest(ErrorKind.MALFORMED_JSON, path.isEmpty()
                    ? "The body does not have the expected shape" + where(e.getLocation()) + "."
                    : "Field '" + path + "' has the wrong type" + where(e.getLocation()) + ".");
        } catch (JacksonException e) {
            throw new PlugAiException.InvalidRequest(ErrorKind.MALFORMED_JSON,
                    "The body is not valid JSON" + where(e.getLocation()) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code body} as JSON with the given status. */
    public void write(ServerResponse response, Status status, Object body) {
        byte[] bytes = bytes(body);
        response.status(status);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(bytes);
    }

    /** {@code body} as JSON bytes. */
    public byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
