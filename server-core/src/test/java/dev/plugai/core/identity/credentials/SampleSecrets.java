package dev.plugai.core.identity.credentials;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugai.core.identity.credentials.CredentialSecret.ApiKey;
import dev.plugai.core.identity.credentials.CredentialSecret.AzureOpenAI;
import dev.plugai.core.identity.credentials.CredentialSecret.BasicAuth;
import dev.plugai.core.identity.credentials.CredentialSecret.BearerToken;
import dev.plugai.core.identity.credentials.CredentialSecret.GoogleServiceAccount;
import dev.plugai.core.identity.credentials.CredentialSecret.OAuth2ClientCredentials;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One realistic secret of every type, plus the raw secret strings that must never leak. */
final class SampleSecrets {

    static final String API_KEY = "sk-proj-Zq8vN3kLr5tYw2XcB7mD4fGh9JpA1b2";
    static final String BEARER = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWJlYXJlci10b2tlbg.Xk29sdfLKJ3";
    static final String PASSWORD = "correct horse battery staple";
    static final String CLIENT_SECRET = "cs_live_9f8e7d6c5b4a3f2e1d0c9b8a7f6e";
    static final String AZURE_KEY = "azk-4b8c1d9e2f7a3b6c5d0e8f1a2b3c4d5e";

    private static final KeyPair SERVICE_ACCOUNT_KEYS = rsaKeyPair();

    private SampleSecrets() {
    }

    static KeyPair serviceAccountKeys() {
        return SERVICE_ACCOUNT_KEYS;
    }

    static String privateKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(SERVICE_ACCOUNT_KEYS.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** A service account key file shaped like the one the Google Cloud console downloads. */
    static GoogleServiceAccount serviceAccount(String tokenUri) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "plugai-test");
        json.put("private_key_id", "3f1c9e7a2b4d6f8e0a1c3e5f7a9b1d3f5e7a9c1b");
        json.put("private_key", privateKeyPem());
        json.put("client_email", "gateway@plugai-test.iam.gserviceaccount.com");
        json.put("client_id", "112233445566778899");
        json.put("token_uri", tokenUri);
        try {
            return new GoogleServiceAccount(new ObjectMapper().writeValueAsString(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, CredentialSecret> everyType() {
        Map<String, CredentialSecret> secrets = new LinkedHashMap<>();
        secrets.put("openai", new ApiKey(API_KEY));
        secrets.put("custom-bearer", new BearerToken(BEARER));
        secrets.put("ollama-proxy", new BasicAuth("gateway", PASSWORD));
        secrets.put("corp-llm", new OAuth2ClientCredentials("https://login.example.com/oauth2/token", "plugai-client",
                CLIENT_SECRET, List.of("llm.read", "llm.invoke")));
        secrets.put("vertex", serviceAccount("https://oauth2.googleapis.com/token"));
        secrets.put("azure", new AzureOpenAI(AZURE_KEY, "https://plugai.openai.azure.com", "gpt-4o-prod",
                "2024-10-21"));
        return secrets;
    }

    /** The strings that must never appear in a masked view, a log line, a message or the database file. */
    static List<String> rawSecrets() {
        String pemBody = privateKeyPem().lines().skip(1).findFirst().orElseThrow();
        return List.of(API_KEY, BEARER, PASSWORD, CLIENT_SECRET, AZURE_KEY, pemBody);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
