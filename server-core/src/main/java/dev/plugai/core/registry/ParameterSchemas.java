package dev.plugai.core.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugai.core.json.JsonMappers;

import java.util.Map;
import java.util.OptionalInt;

/**
 * JSON Schemas of the parameters each kind of model takes, under the unified names every backend
 * understands, with a description and usage guidance per parameter. Defaults come from the model's
 * recommended sampling where the file has it.
 */
public final class ParameterSchemas {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private ParameterSchemas() {
    }

    /** Parameters of a text generation model with the given context length and recommended sampling. */
    public static ObjectNode forTextModel(OptionalInt contextLength, Map<String, Object> recommended) {
        int context = contextLength.orElse(4096);
        ObjectNode schema = base();
        ObjectNode properties = schema.putObject("properties");
        number(properties, "temperature", 0, 2, doubleOr(recommended.get("temperature"), 0.8),
                "Randomness of the choice of each next token.",
                "0 always picks the most likely token (repeatable, focused; good for extraction, code, facts); "
                        + "0.7-1.0 suits conversation and writing; above 1.2 the text drifts into nonsense.");
        number(properties, "top_p", 0, 1, doubleOr(recommended.get("top_p"), 0.95),
                "Nucleus sampling: only the most likely tokens whose probabilities add up to top_p are considered.",
                "0.9-0.95 is a good default; lower it (0.5-0.8) for safer, more predictable wording. "
                        + "Change temperature or top_p, rarely both.");
        integer(properties, "top_k", 0, 1000, intOr(recommended.get("top_k"), 40),
                "Only the k most likely tokens are considered; 0 turns the limit off.",
                "20-100 is typical; lower values make the text more conservative.");
        number(properties, "min_p", 0, 1, doubleOr(recommended.get("min_p"), 0.05),
                "Tokens less likely than min_p times the most likely token are dropped.",
                "0.05-0.1 removes junk tokens while keeping variety; works well with higher temperatures.");
        integer(properties, "max_tokens", 1, context, Math.min(1024, context),
                "The most tokens to generate (the answer stops earlier when the model ends it).",
                "A token is about 3/4 of an English word. Prompt plus answer must fit the context of "
                        + context + " tokens.");
        ObjectNode seed = properties.putObject("seed");
        seed.put("type", "integer").put("minimum", -1).put("maximum", 4_294_967_295L).put("default", -1)
                .put("description", "Random seed; the same seed, prompt and parameters give the same answer.")
                .put("x-guidance", "-1 picks a new seed each time. Set one to make an answer repeatable.");
        ObjectNode stop = properties.putObject("stop");
        stop.put("type", "array").put("maxItems", 8)
                .put("description", "Sequences that end the answer when generated (not included in it).")
                .put("x-guidance", "E.g. [\"\\n\\n\"] to stop after one paragraph. At most 8.");
        stop.putObject("items").put("type", "string").put("minLength", 1).put("maxLength", 100);
        number(properties, "repeat_penalty", 0, 2, doubleOr(recommended.get("repeat_penalty"), 1.1),
                "Penalises tokens that appeared recently; above 1 discourages repetition.",
                "1.0 turns it off; 1.05-1.2 curbs loops in small models; higher values distort the text.");
        return schema;
    }

    /**
     * Parameters of a provider's model: the unified text parameters the provider supports, with its
     * temperature range. Anything else is refused as unknown, so nothing is dropped silently.
     */
    public static ObjectNode forRemoteModel(OptionalInt contextLength, java.util.Set<String> supported,
                                            double maxTemperature) {
        ObjectNode schema = forTextModel(contextLength, Map.of());
        ObjectNode properties = (ObjectNode) schema.get("properties");
        java.util.List<String> names = new java.util.ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        names.stream().filter(name -> !supported.contains(name)).forEach(properties::remove);
        if (properties.has("temperature")) {
            ObjectNode temperature = (ObjectNode) properties.get("temperature");
            temperature.put("maximum", maxTemperature).put("default", Math.min(maxTemperature, 1.0));
        }
        if (properties.has("seed")) {
            ((ObjectNode) properties.get("seed")).put("minimum", 0).remove("default");
        }
        return schema;
    }

    /** Parameters of an embedding model. */
    public static ObjectNode forEmbeddingModel() {
        ObjectNode schema = base();
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("normalize").put("type", "boolean").put("default", true)
                .put("description", "Scale each vector to unit length.")
                .put("x-guidance", "Keep true for cosine similarity (then a dot product is the cosine).");
        return schema;
    }

    private static ObjectNode base() {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", DIALECT).put("type", "object").put("additionalProperties", false);
        return schema;
    }

    private static void number(ObjectNode properties, String name, double min, double max, double fallback,
                               String description, String guidance) {
        properties.putObject(name).put("type", "number").put("minimum", min).put("maximum", max)
                .put("default", Math.max(min, Math.min(max, fallback)))
                .put("description", description).put("x-guidance", guidance);
    }

    private static void integer(ObjectNode properties, String name, int min, int max, int fallback,
                                String description, String guidance) {
        properties.putObject(name).put("type", "integer").put("minimum", min).put("maximum", max)
                .put("default", Math.max(min, Math.min(max, fallback)))
                .put("description", description).put("x-guidance", guidance);
    }

    private static double doubleOr(Object value, double fallback) {
        return value instanceof Number number ? number.doubleValue() : fallback;
    }

    private static int intOr(Object value, int fallback) {
        return value instanceof Number number ? number.intValue() : fallback;
    }
}
