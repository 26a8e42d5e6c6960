package io.termsledger.consent.domain;

import java.time.Instant;

/**
 * A published version of an agreement. {@code withdrawnAt} is null unless the version
 * was withdrawn (only ever before its effective date). {@code imported}: history brought in
 * from another system, whose notices were given there (no delivery records come with it).
 */
public record VersionInfo(int version, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt, String contentSha256,
                          boolean imported) {

    /** A version published through the service. */
    public VersionInfo(int version, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt, String contentSha256) {
        this(version, noticeAt, effectiveAt, withdrawnAt, contentSha256, false);
    }

    public boolean withdrawnBy(Instant t) {
        return withdrawnAt != null && !withdrawnAt.isAfter(t);
    }
}
