package dev.plugai.core.providers;

import java.util.OptionalInt;
import java.util.Set;

/**
 * A model a provider offers, as its model listing describes it.
 *
 * @param upstreamId    the provider's own model name, e.g. {@code gpt-4o-mini}
 * @param displayName   a human name
 * @param contextLength the context window, when the provider says
 * @param capabilities  chat, vision, embeddings, ... (as far as the listing tells)
 */
public record RemoteModel(String upstreamId, String displayName, OptionalInt contextLength, Set<String> capabilities) {

    public RemoteModel {
        capabilities = Set.copyOf(capabilities);
    }
}
