package dev.plugai.http;

import dev.plugai.core.PlugAiCore;
import dev.plugai.http.json.Json;
import dev.plugai.http.problems.Problems;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the HTTP layer's resources are built from: the domain and the shared HTTP helpers.
 *
 * @param core       the domain
 * @param prometheus the meter registry that {@code /metrics} scrapes (the same one the core records in)
 * @param json       JSON reading and writing
 * @param problems   error rendering
 */
public record ServerContext(PlugAiCore core, PrometheusMeterRegistry prometheus, Json json, Problems problems) {

    /** The context for {@code core}, whose meters must be {@code prometheus}. */
    public static ServerContext of(PlugAiCore core, PrometheusMeterRegistry prometheus) {
        Json json = new Json();
        return new ServerContext(core, prometheus, json, new Problems(json));
    }
}
