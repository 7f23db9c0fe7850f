package dev.plugai.core.providers;

import dev.plugai.core.backends.Embedder;
import dev.plugai.core.backends.TextGenerator;
import dev.plugai.core.errors.ErrorKind;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.credentials.CredentialOwner;
import dev.plugai.core.identity.credentials.CredentialSecret;
import dev.plugai.core.identity.credentials.CredentialVault;
import dev.plugai.core.registry.ModelRecord;
import dev.plugai.core.registry.ModelRegistry;
import dev.plugai.core.registry.ParameterSchemas;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote providers at work: lists their models into the registry, and hands out a generator for a
 * caller and a provider's model with the right credential — the caller's own first, otherwise the
 * operator's if the operator shares it, otherwise a 403 {@code no-credential} so the UI can ask for one.
 * A stored key only ever goes to its own provider's configured host.
 *
 * <p>Thread-safe.
 */
public final class ProviderService {

    private static final int MAX_MODEL_NAME = 200;
    private static final Set<String> HAND_CAPABILITIES = Set.of("chat", "vision", "embeddings");
    private static final int MAX_CACHED_ADAPTERS = 10_000;

    private final ProviderDirectory providers;
    private final ProviderKinds kinds;
    private final CredentialVault vault;
    private final ModelRegistry registry;
    private final OkHttpClient http;
    private final Clock clock;
    private final Map<String, CachedAdapter> adapters = new ConcurrentHashMap<>();

    public ProviderService(ProviderDirectory providers, ProviderKinds kinds, CredentialVault vault,
                           ModelRegistry registry, OkHttpClient http, Clock clock) {
        this.providers = providers;
        this.kinds = kinds;
        this.vault = vault;
        this.registry = registry;
        this.http = http;
        this.clock = clock;
    }

    public ProviderDirectory directory() {
        return providers;
    }

    /**
     * Lists the provider's models with the operator's credential (or, failing that, {@code userId}'s own)
     * and brings the registry up to date; returns the registered models.
     */
    public List<ModelRecord> refresh(String providerId, String userId) {
        ProviderDirectory.Provider provider = providers.find(providerId)
                .orElseThrow(() -> new PlugAiException.NotFound("No provider " + providerId + "."));
        CredentialSecret credential = vault.reveal(CredentialOwner.operator(), providerId)
                .or(() -> vault.reveal(CredentialOwner.user(userId), providerId))
                .orElseThrow(() -> noCredential(providerId));
        ProviderKinds.Kind kind = kind(provider);
        ProviderAdapter adapter = kind.factory().create(provider.endpoint(), credential, http, clock);
        Set<String> listed = new HashSet<>();
        List<ModelRecord> registered = adapter.listModels().stream()
                .filter(model -> provider.allows(model.upstreamId()))
                // The operator's own entry wins over the listing's guess.
                .filter(model -> registry.find(providerId + "/" + model.upstreamId())
                        .filter(ModelRecord::registeredByHand).isEmpty())
                .map(model -> {
                    // Listings that say nothing about capabilities (OpenAI's) are read by the model's name.
                    Set<String> capabilities = !model.capabilities().isEmpty() ? model.capabilities()
                            : CapabilityGuess.forName(model.upstreamId());
                    ModelRecord record = registry.putRemote(providerId, model, capabilities,
                            ParameterSchemas.forRemoteModel(model.contextLength(), kind.parameters(),
                                    kind.maxTemperature()), false);
                    listed.add(record.id());
                    return record;
                }).toList();
        registry.markRemoteMissing(providerId, listed);
        return registered;
    }

    /**
     * Registers a provider's model by hand, as {@code <provider>/<upstream id>}: for endpoints that list no
     * models, or to say what a listed model can do (a refresh keeps this entry as it is).
     *
     * @param capabilities what it can do: {@code chat}, {@code vision} (with chat) and/or {@code embeddings}
     * @throws PlugAiException.NotFound       when there is no such provider
     * @throws PlugAiException.InvalidRequest when the name or capabilities are not valid, or the provider's
     *                                        allow-list excludes the model
     */
    public ModelRecord registerByHand(String providerId, String upstreamId, Set<String> capabilities,
                                      OptionalInt contextLength, Optional<String> displayName) {
        ProviderDirectory.Provider provider = providers.find(providerId)
                .orElseThrow(() -> new PlugAiException.NotFound("No provider " + providerId + "."));
        if (upstreamId == null || upstreamId.isBlank() || upstreamId.length() > MAX_MODEL_NAME
                || upstreamId.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new PlugAiException.InvalidRequest("A model name is 1 to " + MAX_MODEL_NAME
                    + " characters without spaces or control characters.");
        }
        if (capabilities.isEmpty() || !HAND_CAPABILITIES.containsAll(capabilities)) {
            throw new PlugAiException.InvalidRequest("capabilities are one or more of chat, vision, embeddings.");
        }
        if (capabilities.contains("vision") && !capabilities.contains("chat")) {
            throw new PlugAiException.InvalidRequest("vision goes with chat: a model that takes images answers in text.");
        }
        if (contextLength.isPresent() && (contextLength.getAsInt() < 1 || contextLength.getAsInt() > 100_000_000)) {
            throw new PlugAiException.InvalidRequest("context_length must be between 1 and 100000000.");
        }
        if (!provider.allows(upstreamId)) {
            throw new PlugAiException.InvalidRequest("Provider " + providerId + " allows only the models "
                    + provider.allowedModels().orElse(List.of()) + "; add " + upstreamId + " to its allow-list first.");
        }
        ProviderKinds.Kind kind = kind(provider);
        RemoteModel model = new RemoteModel(upstreamId, displayName.filter(name -> !name.isBlank()).orElse(upstreamId),
                contextLength, capabilities);
        return registry.putRemote(providerId, model, capabilities,
                ParameterSchemas.forRemoteModel(contextLength, kind.parameters(), kind.maxTemperature()), true);
    }

    /**
     * Removes a model registered by hand.
     *
     * @throws PlugAiException.NotFound when the provider has no model of that name registered by hand
     */
    public void unregisterByHand(String providerId, String upstreamId) {
        if (!registry.deleteByHand(providerId + "/" + upstreamId)) {
            throw new PlugAiException.NotFound("Provider " + providerId + " has no model " + upstreamId
                    + " registered by hand.");
        }
    }

    /** A generator for {@code caller} and a provider's model. */
    public TextGenerator generator(Caller caller, ModelRecord model) {
        return adapter(caller, model).textGenerator(upstreamId(model));
    }

    /** An embedder for {@code caller} and a provider's model, if the provider offers embeddings. */
    public Optional<Embedder> embedder(Caller caller, ModelRecord model) {
        return adapter(caller, model).embedder(upstreamId(model));
    }

    /**
     * The provider's client with the caller's credential. Made once per provider and user and kept while no
     * provider or credential changes: it saves the provider and two credential reads, a decryption and a new
     * client on every request.
     */
    private ProviderAdapter adapter(Caller caller, ModelRecord model) {
        String key = model.source() + '\u0000' + caller.user().id();
        long providerChanges = providers.changes();
        long credentialChanges = vault.changes();
        CachedAdapter cached = adapters.get(key);
        if (cached != null && cached.providerChanges() == providerChanges
                && cached.credentialChanges() == credentialChanges) {
            return cached.adapter();
        }
        ProviderDirectory.Provider provider = providers.find(model.source())
                .orElseThrow(() -> new PlugAiException.NotFound("No model with id " + model.id() + "."));
        CredentialSecret credential = vault.revealForUser(caller.user().id(), provider.id())
                .orElseThrow(() -> noCredential(provider.id()));
        ProviderAdapter adapter = kind(provider).factory().create(provider.endpoint(), credential, http, clock);
        if (adapters.size() >= MAX_CACHED_ADAPTERS) {
            adapters.clear();
        }
        // Stamped with the counts read before the reads above: a change in between makes it stale at once.
        adapters.put(key, new CachedAdapter(adapter, providerChanges, credentialChanges));
        return adapter;
    }

    /**
     * Removes a provider and its models from the catalogue.
     *
     * @throws PlugAiException.Conflict when the config file defines it
     * @throws PlugAiException.NotFound when there is none
     */
    public void delete(String providerId) {
        if (providers.find(providerId).isEmpty()) {
            throw new PlugAiException.NotFound("No provider " + providerId + ".");
        }
        providers.requireEditable(providerId);
        // Models first: a crash in between leaves a provider without models, which a refresh lists again.
        registry.deleteBySource(providerId);
        providers.delete(providerId);
    }

    private record CachedAdapter(ProviderAdapter adapter, long providerChanges, long credentialChanges) {
    }

    private ProviderKinds.Kind kind(ProviderDirectory.Provider provider) {
        return kinds.find(provider.endpoint().kind()).orElseThrow(() -> new PlugAiException.Unavailable(
                ErrorKind.UNAVAILABLE, "Provider kind " + provider.endpoint().kind() + " is not in this build.", null));
    }

    private static String upstreamId(ModelRecord model) {
        Object upstream = model.details().get("upstream_model");
        return upstream != null ? upstream.toString() : model.id().substring(model.source().length() + 1);
    }

    private static PlugAiException noCredential(String providerId) {
        return new PlugAiException.Unavailable(ErrorKind.NO_CREDENTIAL, "No credential for provider " + providerId
                + ": store one with PUT /v1/me/credentials/" + providerId + ".", null);
    }
}
