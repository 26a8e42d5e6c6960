package io.termsledger.consent.domain;

import java.time.Instant;

/**
 * A published version of an agreement. {@code withdrawnAt} is null unless the version
 * was withdrawn (only ever before its effective date).
 */
public record VersionInfo(int version, Instant noticeAt, Instant effectiveAt, Instant withdrawnAt, String contentSha256) {

    public boolean withdrawnBy(Instant t) {
        return withdrawnAt != null && !withdrawnAt.isAfter(t);
    }
}
