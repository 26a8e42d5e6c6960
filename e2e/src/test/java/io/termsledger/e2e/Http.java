package io.termsledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain JSON over HTTP with a bearer token (java.net.http). */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status, parsed body (MissingNode when empty or not JSON) and the raw text. */
    record Res(int status, JsonNode body, String raw) {
        Res expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }
    }

    Res get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
    }

    /** POST a JSON body (null: no body); headers as name, value pairs. */
    Res post(String url, String token, Object body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        try {
            b.POST(body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b, token);
    }

    private Res send(HttpRequest.Builder b, String token) {
        b.timeout(Duration.ofSeconds(30)).header("Accept", "application/json, application/problem+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body() == null || r.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(r.body());
            } catch (IOException e) {
                body = MissingNode.getInstance();
            }
            return new Res(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
