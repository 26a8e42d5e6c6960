package io.termsledger.kit.problem;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@code application/problem+json} responses. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:terms-ledger:problem:";

    private Problems() {
    }

    public static Response response(int status, String slug, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (extra != null) {
            body.putAll(extra);
        }
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(body).build();
    }

    public static Response of(ApiProblem p) {
        Response r = response(p.status(), p.slug(), p.title(), p.getMessage(), p.extensions());
        p.headers().forEach((name, value) -> r.getHeaders().putSingle(name, value));
        return r;
    }
}
