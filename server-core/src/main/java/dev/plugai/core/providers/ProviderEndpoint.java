package dev.plugai.core.providers;

import java.net.URI;
import java.util.Map;

/**
 * Where an operator-configured provider instance lives: its id (the prefix of its model ids, e.g.
 * {@code openai} in {@code openai/gpt-4o-mini}), the base URL of its API and extra headers the operator
 * set. Clients never supply any of this: a stored key goes only to its provider's configured host.
 *
 * @param id      the provider id
 * @param kind    the adapter kind: {@code openai}, {@code openai-compatible}, {@code anthropic}, {@code gemini}, ...
 * @param baseUrl the API's base URL, e.g. {@code https://api.openai.com/v1}
 * @param headers extra headers for every request (never credentials: those come from the credential)
 */
public record ProviderEndpoint(String id, String kind, URI baseUrl, Map<String, String> headers) {

    public ProviderEndpoint {
        headers = Map.copyOf(headers);
    }
}
