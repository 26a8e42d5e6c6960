package io.termsledger.kit.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A POST whose body is sent chunked, without Content-Length (RestAssured always sends one). */
public final class Chunked {

    private Chunked() {
    }

    public static HttpResponse<String> post(URI uri, String contentType, String token, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .header("Authorization", "Bearer " + token)
                // a stream of unknown length is sent with Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }
}
