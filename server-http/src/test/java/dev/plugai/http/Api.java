package dev.plugai.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small API client for tests: JSON bodies, and a caller that is nobody, a token, or a browser session. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SESSION_COOKIE = Pattern.compile("((?:__Host-)?plugai_session)=([^;]*)");

    private final TestServer server;
    private final Map<String, String> headers = new LinkedHashMap<>();
    String csrfToken;
    String cookie;

    private Api(TestServer server) {
        this.server = server;
    }

    static Api anonymous(TestServer server) {
        return new Api(server);
    }

    static Api token(TestServer server, String token) {
        Api api = new Api(server);
        api.headers.put("Authorization", "Bearer " + token);
        return api;
    }

    /** Logs in and keeps the session cookie and CSRF token, as a browser would. */
    static Api session(TestServer server, String username, String password) {
        Api api = new Api(server);
        HttpResponse<String> response = api.post("/v1/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("login failed: " + response.statusCode() + " " + response.body());
        }
        api.adoptSession(response);
        return api;
    }

    /** Takes the session cookie and CSRF token from a login or registration answer. */
    void adoptSession(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher matcher = SESSION_COOKIE.matcher(setCookie);
        if (!matcher.find()) {
            throw new AssertionError("no session cookie in " + setCookie);
        }
        cookie = matcher.group(1) + "=" + matcher.group(2);
        csrfToken = json(response).get("csrf_token").asText();
        headers.put("Cookie", cookie);
    }

    Api header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Api withoutHeader(String name) {
        headers.remove(name);
        return this;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, "application/json");
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body, "application/json");
    }

    HttpResponse<String> put(String path, String body) {
        return send("PUT", path, body, "application/json");
    }

    HttpResponse<String> patch(String path, String body) {
        return send("PATCH", path, body, "application/json");
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        if (csrfToken != null && !method.equals("GET") && !headers.containsKey("X-PlugAI-CSRF")) {
            request.header("X-PlugAI-CSRF", csrfToken);
        }
        return server.send(request.build());
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
