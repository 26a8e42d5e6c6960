package io.termsledger.kit.problem;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body limit for a body sent without {@code Content-Length} (chunked), which {@link BodyLimitFilter} cannot
 * see before it is read: its reader gets at most {@code ledger.http.max-body-bytes} bytes, and one more is the
 * same 413 problem, and reading stops there.
 */
@Provider
public class ChunkedBodyLimit implements ReaderInterceptor {

    @Inject
    BodyLimit limits;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext ctx) throws IOException {
        if (ctx.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null) {
            ctx.setInputStream(new Limited(ctx.getInputStream(), limits.maxBytes()));
        }
        return ctx.proceed();
    }

    /** The 413 of a body longer than the limit, whether or not it said its length. */
    static ApiProblem tooLarge(String size, long limit) {
        return new ApiProblem(413, "payload-too-large", "Payload too large",
                "The body has " + size + " bytes; the limit is " + limit + " bytes.")
                .with("limitBytes", limit);
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw tooLarge("more than " + limit, limit);
            }
        }
    }
}
