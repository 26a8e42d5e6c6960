package io.termsledger.version.domain;

import java.time.Instant;

/** The instants of a published version that every status follows from. */
public record PublishedVersion(int version, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt) {

    public boolean withdrawn() {
        return withdrawnAt != null;
    }
}
