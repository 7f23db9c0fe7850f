package dev.plugai.http.generation;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.generation.EmbeddingService;
import dev.plugai.core.identity.Scope;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import dev.plugai.model.generation.GenerationApi;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/embeddings}: one vector per input text. */
public final class EmbeddingsResource implements ApiResource {

    private final EmbeddingService embeddings;
    private final Json json;

    public EmbeddingsResource(EmbeddingService embeddings, Json json) {
        this.embeddings = embeddings;
        this.json = json;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.post("/v1/embeddings", Access.scope(Scope.GENERATE), this::embed);
    }

    private void embed(ServerRequest request, ServerResponse response) {
        GenerationApi.EmbeddingsRequest body = json.read(request, GenerationApi.EmbeddingsRequest.class);
        List<String> inputs = inputs(body.input());
        EmbeddingService.Result result = embeddings.embed(Callers.of(request), body.model(), inputs,
                body.normalize() == null || body.normalize());
        List<GenerationApi.Embedding> data = new ArrayList<>();
        for (int index = 0; index < result.embeddings().vectors().size(); index++) {
            data.add(new GenerationApi.Embedding(index, result.embeddings().vectors().get(index)));
        }
        int tokens = result.embeddings().promptTokens();
        json.write(response, Status.OK_200, new GenerationApi.EmbeddingsResponse(result.model(), data,
                result.embeddings().dimensions(), new GenerationApi.Usage(tokens, 0, tokens)));
    }

    private static List<String> inputs(Object input) {
        if (input instanceof String text) {
            return List.of(text);
        }
        if (input instanceof List<?> list && list.stream().allMatch(item -> item instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new PlugAiException.InvalidRequest("input must be a text or a list of texts.");
    }
}
