package io.termsledger.kit.problem;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before it is routed, a request whose path or query holds text no key, id or parameter
 * can be: the NUL character ({@code %00}: PostgreSQL cannot compare text that holds it), and
 * percent-encoded bytes that are not UTF-8 (decoded anyway, each would become U+FFFD, and the
 * request would be answered about a user or key the caller did not name). Both are a 400 problem.
 * (A NUL inside a JSON body is refused where it meets the database, by {@link ProblemMappers}; text
 * a JSON body cannot hold, by {@code StrictJson}.)
 */
@Singleton
public class UrlTextFilter {

    @ServerRequestFilter(preMatching = true)
    public void refuseBadText(HttpServerRequest request) {
        // the request line as sent (path and query, still percent-encoded)
        String uri = request.uri();
        if (uri.indexOf('%') < 0) {
            return;
        }
        if (uri.contains("%00")) {
            throw new ApiProblem(400, "nul-character", "Bad request",
                    "The request's path or query holds the NUL character (%00), which no key, id or parameter accepts;"
                            + " remove it.");
        }
        String bad = firstNonUtf8Run(uri);
        if (bad != null) {
            throw new ApiProblem(400, "invalid-encoding", "Bad request", "The request's path or query holds "
                    + bad + ", percent-encoded bytes that are not UTF-8; encode its text as UTF-8.");
        }
    }

    /**
     * The first run of consecutive percent-encoded bytes ({@code %E4%B8%AD}) that is not UTF-8, as
     * sent, or null. A character's bytes are always encoded side by side, so each run is decoded on
     * its own; a {@code %} not followed by two hex digits is left to the framework.
     */
    static String firstNonUtf8Run(String uri) {
        int i = 0;
        while ((i = uri.indexOf('%', i)) >= 0) {
            int start = i;
            ByteBuffer bytes = ByteBuffer.allocate((uri.length() - i) / 3 + 1);
            while (i + 2 < uri.length() && uri.charAt(i) == '%' && hex(uri.charAt(i + 1)) >= 0 && hex(uri.charAt(i + 2)) >= 0) {
                bytes.put((byte) (hex(uri.charAt(i + 1)) * 16 + hex(uri.charAt(i + 2))));
                i += 3;
            }
            if (i == start) {
                i++;
                continue;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip());
            } catch (CharacterCodingException e) {
                return uri.substring(start, i);
            }
        }
        return null;
    }

    private static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
