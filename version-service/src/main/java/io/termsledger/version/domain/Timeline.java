package io.termsledger.version.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The published versions of one agreement, and what each of them is at any instant. Statuses are
 * computed from the instants, never stored, so they are right whether or not any job has run.
 */
public final class Timeline {

    private final List<PublishedVersion> published;

    public Timeline(List<PublishedVersion> published) {
        this.published = published.stream().sorted(Comparator.comparingInt(PublishedVersion::version)).toList();
    }

    /** The version in effect at {@code at}: the highest non-withdrawn one whose effective instant has come. */
    public Optional<PublishedVersion> inEffectAt(Instant at) {
        return published.stream()
                .filter(v -> !v.withdrawn() && !v.effectiveAt().isAfter(at))
                .max(Comparator.comparingInt(PublishedVersion::version));
    }

    /** The highest published version that was not withdrawn, scheduled or in effect. */
    public Optional<PublishedVersion> latestLive() {
        return published.stream().filter(v -> !v.withdrawn()).max(Comparator.comparingInt(PublishedVersion::version));
    }

    /** The highest published version, withdrawn or not. */
    public Optional<PublishedVersion> latestPublished() {
        return published.stream().max(Comparator.comparingInt(PublishedVersion::version));
    }

    /** The highest published, non-withdrawn version below {@code version}. */
    public Optional<PublishedVersion> previousLive(int version) {
        return published.stream().filter(v -> !v.withdrawn() && v.version() < version)
                .max(Comparator.comparingInt(PublishedVersion::version));
    }

    /** Status of a version at {@code at}; {@code version} null means a draft. */
    public VersionStatus statusOf(PublishedVersion version, Instant at) {
        if (version == null || version.noticeAt() == null) {
            return VersionStatus.DRAFT;
        }
        if (version.withdrawn()) {
            return VersionStatus.WITHDRAWN;
        }
        if (at.isBefore(version.effectiveAt())) {
            return VersionStatus.SCHEDULED;
        }
        int current = inEffectAt(at).map(PublishedVersion::version).orElse(version.version());
        return current > version.version() ? VersionStatus.SUPERSEDED : VersionStatus.EFFECTIVE;
    }
}
