package dev.plugai.core.identity.credentials;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.json.JsonMappers;
import okhttp3.HttpUrl;

import java.security.PrivateKey;
import java.util.List;
import java.util.Map;

/**
 * The secret part of a provider credential, one record per kind of authentication. Each validates itself
 * on construction, knows its masked display form, and never shows a secret in {@code toString()}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CredentialSecret.ApiKey.class, name = CredentialSecret.ApiKey.TYPE),
        @JsonSubTypes.Type(value = CredentialSecret.BearerToken.class, name = CredentialSecret.BearerToken.TYPE),
        @JsonSubTypes.Type(value = CredentialSecret.BasicAuth.class, name = CredentialSecret.BasicAuth.TYPE),
        @JsonSubTypes.Type(value = CredentialSecret.OAuth2ClientCredentials.class,
                name = CredentialSecret.OAuth2ClientCredentials.TYPE),
        @JsonSubTypes.Type(value = CredentialSecret.GoogleServiceAccount.class,
                name = CredentialSecret.GoogleServiceAccount.TYPE),
        @JsonSubTypes.Type(value = CredentialSecret.AzureOpenAI.class, name = CredentialSecret.AzureOpenAI.TYPE)})
public sealed interface CredentialSecret
        permits CredentialSecret.ApiKey, CredentialSecret.BearerToken, CredentialSecret.BasicAuth,
        CredentialSecret.OAuth2ClientCredentials, CredentialSecret.GoogleServiceAccount, CredentialSecret.AzureOpenAI {

    /** The stable type name stored beside the ciphertext and used as the JSON discriminator. */
    @JsonIgnore
    String type();

    /** Display values: identifiers and URLs in clear, secrets masked. */
    @JsonIgnore
    Map<String, String> masked();

    /** A provider API key sent as a header, e.g. OpenAI's {@code sk-...}. */
    record ApiKey(String key) implements CredentialSecret {
        public static final String TYPE = "api_key";

        public ApiKey {
            key = required(key, "An API key");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            return Masks.view("key", Masks.hint(key));
        }

        @Override
        public String toString() {
            return "ApiKey" + masked();
        }
    }

    /** A ready-made bearer token sent as {@code Authorization: Bearer ...}. */
    record BearerToken(String token) implements CredentialSecret {
        public static final String TYPE = "bearer_token";

        public BearerToken {
            token = required(token, "A bearer token");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            return Masks.view("token", Masks.hint(token));
        }

        @Override
        public String toString() {
            return "BearerToken" + masked();
        }
    }

    /** HTTP Basic authentication; the password is human-chosen, so none of it is ever shown. */
    record BasicAuth(String username, String password) implements CredentialSecret {
        public static final String TYPE = "basic_auth";

        public BasicAuth {
            username = required(username, "A username");
            if (username.contains(":")) {
                throw new PlugAiException.InvalidRequest("A Basic auth username must not contain ':'.");
            }
            password = required(password, "A password");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            return Masks.view("username", username, "password", Masks.ELLIPSIS);
        }

        @Override
        public String toString() {
            return "BasicAuth" + masked();
        }
    }

    /** An OAuth 2.0 client (RFC 6749 §4.4) that trades its id and secret for short-lived access tokens. */
    record OAuth2ClientCredentials(String tokenUrl, String clientId, String clientSecret, List<String> scopes)
            implements CredentialSecret {
        public static final String TYPE = "oauth2_client_credentials";

        public OAuth2ClientCredentials {
            tokenUrl = httpUrl(tokenUrl, "The token URL");
            clientId = required(clientId, "A client id");
            clientSecret = required(clientSecret, "A client secret");
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            for (String scope : scopes) {
                if (scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)) {
                    throw new PlugAiException.InvalidRequest("Each OAuth2 scope must be one non-blank word.");
                }
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            return Masks.view("tokenUrl", tokenUrl, "clientId", clientId, "clientSecret", Masks.hint(clientSecret),
                    "scopes", String.join(" ", scopes));
        }

        @Override
        public String toString() {
            return "OAuth2ClientCredentials" + masked();
        }
    }

    /**
     * A Google Cloud service account key file (the JSON downloaded from the console), exchanged for access
     * tokens with a signed JWT (RFC 7523).
     */
    record GoogleServiceAccount(String json) implements CredentialSecret {
        public static final String TYPE = "google_service_account";

        private static final ObjectMapper JSON = JsonMappers.create();

        public GoogleServiceAccount {
            JsonNode parsed = parse(required(json, "The service account JSON"));
            text(parsed, "client_email");
            httpUrl(text(parsed, "token_uri"), "The service account token_uri");
            PemKeys.rsaPrivateKey(text(parsed, "private_key"));
        }

        public String clientEmail() {
            return text(parse(json), "client_email");
        }

        public String tokenUri() {
            return text(parse(json), "token_uri");
        }

        /** The signing key; parsed on each call so the record holds nothing but its JSON. */
        public PrivateKey privateKey() {
            return PemKeys.rsaPrivateKey(text(parse(json), "private_key"));
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            JsonNode parsed = parse(json);
            return Masks.view("clientEmail", text(parsed, "client_email"),
                    "projectId", parsed.path("project_id").asText(""),
                    "privateKeyId", Masks.hint(parsed.path("private_key_id").asText("")),
                    "privateKey", Masks.ELLIPSIS,
                    "tokenUri", text(parsed, "token_uri"));
        }

        @Override
        public String toString() {
            return "GoogleServiceAccount" + masked();
        }

        private static JsonNode parse(String json) {
            try {
                JsonNode node = JSON.readTree(json);
                if (node == null || !node.isObject()) {
                    throw new PlugAiException.InvalidRequest("The service account JSON must be an object.");
                }
                return node;
            } catch (JsonProcessingException e) {
                // Jackson's message quotes the input, which holds the private key: report without it.
                throw new PlugAiException.InvalidRequest("The service account JSON is not valid JSON.");
            }
        }

        private static String text(JsonNode parsed, String field) {
            JsonNode value = parsed.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new PlugAiException.InvalidRequest("The service account JSON has no " + field + ".");
            }
            return value.asText();
        }
    }

    /** An Azure OpenAI resource: its API key plus where the deployment lives. */
    record AzureOpenAI(String apiKey, String endpoint, String deployment, String apiVersion)
            implements CredentialSecret {
        public static final String TYPE = "azure_openai";

        public AzureOpenAI {
            apiKey = required(apiKey, "An Azure OpenAI API key");
            endpoint = httpUrl(endpoint, "The Azure OpenAI endpoint");
            deployment = required(deployment, "A deployment name");
            apiVersion = required(apiVersion, "An API version");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, String> masked() {
            return Masks.view("apiKey", Masks.hint(apiKey), "endpoint", endpoint, "deployment", deployment,
                    "apiVersion", apiVersion);
        }

        @Override
        public String toString() {
            return "AzureOpenAI" + masked();
        }
    }

    /** {@code value} trimmed; a clear error naming the field (never its value) when it is missing. */
    static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new PlugAiException.InvalidRequest(what + " is required.");
        }
        return value.strip();
    }

    /** {@code value} when it is an absolute http(s) URL; the error does not echo it (it may embed a password). */
    static String httpUrl(String value, String what) {
        String url = required(value, what);
        if (HttpUrl.parse(url) == null) {
            throw new PlugAiException.InvalidRequest(what + " must be an absolute http or https URL.");
        }
        return url;
    }
}
