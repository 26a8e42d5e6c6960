package io.termsledger.kit.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The configured body limit, for {@link BodyLimitFilter}. */
@ApplicationScoped
public class BodyLimit {

    @Inject
    HttpLimits limits;

    public long maxBytes() {
        return limits.maxBodyBytes();
    }
}
