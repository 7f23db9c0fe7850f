package dev.plugai.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plugai.core.errors.PlugAiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks request parameters against a model's JSON Schema (networknt json-schema-validator) and turns
 * the first violation into a 400 that names the parameter and what it accepts.
 *
 * <p>Thread-safe; compiled schemas are cached by their JSON text.
 */
public final class ParameterValidator {

    /** Made on first use: the validator's dialect set-up is not free, and start-up should not pay it. */
    private volatile SchemaRegistry registry;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** Throws {@link PlugAiException.InvalidRequest} when {@code parameters} do not fit {@code schema}. */
    public void validate(String modelId, ObjectNode schema, JsonNode parameters) {
        if (parameters == null || parameters.isNull()) {
            return;
        }
        if (!parameters.isObject()) {
            throw new PlugAiException.InvalidRequest("params must be an object of parameter names to values.");
        }
        Schema compiledSchema = compiled.computeIfAbsent(schema.toString(),
                text -> registry().getSchema(withoutAnnotations(schema)));
        List<Error> errors = compiledSchema.validate(parameters);
        if (!errors.isEmpty()) {
            throw new PlugAiException.InvalidRequest(describe(modelId, schema, parameters, errors.getFirst()));
        }
    }

    private SchemaRegistry registry() {
        SchemaRegistry current = registry;
        if (current == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
                }
                current = registry;
            }
        }
        return current;
    }

    /** The schema without our {@code x-} guidance keywords, which are for people, not for validation. */
    private static JsonNode withoutAnnotations(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> annotations = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (name.startsWith("x-")) {
                    annotations.add(name);
                }
            });
            object.remove(annotations);
            object.forEach(ParameterValidator::strip);
        } else if (node.isArray()) {
            node.forEach(ParameterValidator::strip);
        }
    }

    private static String describe(String modelId, ObjectNode schema, JsonNode parameters, Error error) {
        JsonNode properties = schema.path("properties");
        String name = parameterName(error, properties, parameters);
        if (error.getKeyword().equals("additionalProperties") || !properties.has(name)) {
            return "Unknown parameter '" + name + "' for model " + modelId + ". It takes: "
                    + String.join(", ", names(properties)) + ".";
        }
        JsonNode property = properties.get(name);
        StringBuilder allowed = new StringBuilder();
        String type = property.path("type").asText();
        allowed.append(type.equals("integer") ? "a whole number" : type.equals("number") ? "a number"
                : type.equals("array") ? "a list" : "a " + type);
        if (property.has("minimum") && property.has("maximum")) {
            allowed.append(" from ").append(property.get("minimum").asText()).append(" to ")
                    .append(property.get("maximum").asText());
        }
        if (property.has("maxItems")) {
            allowed.append(" of at most ").append(property.get("maxItems").asText()).append(" strings");
        }
        return "Parameter '" + name + "' must be " + allowed + " (got " + parameters.path(name) + ").";
    }

    private static String parameterName(Error error, JsonNode properties, JsonNode parameters) {
        if (error.getProperty() != null && !error.getProperty().isEmpty()) {
            return error.getProperty();
        }
        String location = String.valueOf(error.getInstanceLocation());
        for (String name : names(parameters)) {
            if (location.equals("$." + name) || location.startsWith("$." + name + "[") || location.startsWith("$." + name + ".")
                    || location.equals("/" + name) || location.startsWith("/" + name + "/")) {
                return name;
            }
        }
        for (String name : names(parameters)) {
            if (!properties.has(name)) {
                return name;
            }
        }
        return location;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> fields = node.fieldNames();
        fields.forEachRemaining(names::add);
        return names;
    }
}
