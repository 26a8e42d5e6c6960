package io.termsledger.version.service;

import io.termsledger.kit.clauses.ClauseDiff;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import io.termsledger.version.domain.Clause;
import io.termsledger.version.domain.ClauseSplitter;
import io.termsledger.version.domain.ContentHash;
import io.termsledger.version.domain.LeadTime;
import io.termsledger.version.domain.PublishedVersion;
import io.termsledger.version.domain.Timeline;
import io.termsledger.version.domain.VersionStatus;
import io.termsledger.version.messaging.VersionEvents;
import io.termsledger.version.messaging.VersionPublishedV1;
import io.termsledger.version.messaging.VersionWithdrawnV1;
import io.termsledger.version.repository.AgreementEntity;
import io.termsledger.version.repository.VersionEntity;
import io.termsledger.version.rest.ApiModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drafts, publication, withdrawal, history import and the questions asked of versions. Every
 * change locks its agreement's row, so versions of one agreement change one at a time.
 */
@ApplicationScoped
@Transactional
public class VersionService {

    @Inject
    AppClock clock;

    @Inject
    Views views;

    @Inject
    VersionEvents events;

    /** A version's text split into clauses, with the author's highlights applied. */
    record Split(String content, String sha256, List<Clause> clauses) {
    }

    public ApiModel.Draft createDraft(String key, ApiModel.CreateDraft r) {
        AgreementEntity a = lock(key);
        Split split = split(r.content(), r.highlightedClauses(), "");
        VersionEntity v = newVersion(a, nextNumber(key), split, r.label(), r.changeSummary());
        v.persist();
        return new ApiModel.Draft(key, v.version, VersionStatus.DRAFT, v.label, v.changeSummary, v.contentSha256,
                Views.clauseViews(split.clauses()));
    }

    public ApiModel.Published publish(String key, int number, ApiModel.Publish r) {
        AgreementEntity a = lock(key);
        VersionEntity v = version(key, number);
        if (v.withdrawnAt != null) {
            throw ApiProblem.conflict("version-withdrawn", "Version " + number + " of " + key + " was withdrawn at "
                    + v.withdrawnAt + "; a withdrawn version cannot be published again. Create a new draft.");
        }
        if (v.published()) {
            throw ApiProblem.conflict("already-published", "Version " + number + " of " + key
                    + " was already published at " + v.noticeAt + " (effective " + v.effectiveAt
                    + "); published versions are immutable and are published once.");
        }
        List<VersionEntity> all = VersionEntity.ofAgreement(key);
        Timeline timeline = Views.timeline(all);
        Instant now = clock.now();
        PublishedVersion latest = timeline.latestLive().orElse(null);
        // versions are published in the order of their numbers, a withdrawn one included: a number
        // below one already announced would read as the older text to everyone who saw that notice
        PublishedVersion highest = timeline.latestPublished().orElse(null);
        if (highest != null && highest.version() > number) {
            throw ApiProblem.conflict("older-than-published", "Version " + number + " of " + key
                    + " is older than version " + highest.version() + ", which is already published ("
                    + timeline.statusOf(highest, now) + (highest.withdrawn() ? "" : ", effective " + highest.effectiveAt())
                    + "). Create a new draft to revise it.").with("latestVersion", highest.version());
        }
        Instant noticeAt = now.truncatedTo(ChronoUnit.MILLIS);
        Instant requested = r == null || r.effectiveAt() == null ? null : r.effectiveAt().truncatedTo(ChronoUnit.MICROS);
        Instant effectiveAt = effectiveAt(a, noticeAt, requested, latest, "effectiveAt", null);
        v.noticeAt = noticeAt;
        v.effectiveAt = effectiveAt;
        v.previousVersion = latest == null ? null : latest.version();
        v.imported = false;
        events.published(publishedEvent(a, v));
        Timeline after = Views.timeline(VersionEntity.ofAgreement(key));
        return new ApiModel.Published(key, number, after.statusOf(Views.published(v), now), v.noticeAt, v.effectiveAt,
                v.previousVersion);
    }

    public ApiModel.Withdrawn withdraw(String key, int number, ApiModel.Withdraw r) {
        lock(key);
        VersionEntity v = version(key, number);
        Instant now = clock.now();
        if (!v.published()) {
            throw ApiProblem.conflict("not-published", "Version " + number + " of " + key
                    + " is a draft; only a SCHEDULED version can be withdrawn (a draft is simply never published).");
        }
        if (v.withdrawnAt != null) {
            throw ApiProblem.conflict("already-withdrawn", "Version " + number + " of " + key
                    + " was already withdrawn at " + v.withdrawnAt + ".");
        }
        if (!now.isBefore(v.effectiveAt)) {
            throw ApiProblem.conflict("already-effective", "Version " + number + " of " + key + " took effect at "
                    + v.effectiveAt + "; a version can be withdrawn only before it takes effect. Publish a new"
                    + " revision instead.").with("effectiveAt", v.effectiveAt);
        }
        // a later live version was announced as a change from this one: withdrawn underneath it, this
        // version's changes would take effect with that one, although only this one's notice named them
        PublishedVersion later = Views.timeline(VersionEntity.ofAgreement(key)).latestLive()
                .filter(p -> p.version() > number).orElse(null);
        if (later != null) {
            throw ApiProblem.conflict("later-version-published", "Version " + later.version() + " of " + key
                    + " was published after version " + number + " and announced as a change from it (notice at "
                    + later.noticeAt() + "); withdraw version " + later.version() + " first, or publish a new"
                    + " revision that reverses this one's changes.").with("laterVersion", later.version());
        }
        v.withdrawnAt = now.truncatedTo(ChronoUnit.MILLIS);
        v.withdrawReason = r.reason().strip();
        events.withdrawn(new VersionWithdrawnV1(key, number, v.withdrawReason, v.withdrawnAt, v.noticeAt,
                v.effectiveAt));
        return new ApiModel.Withdrawn(key, number, VersionStatus.WITHDRAWN, v.withdrawnAt, v.withdrawReason,
                v.noticeAt, v.effectiveAt);
    }

    /** Imports history, oldest first, all-or-nothing: any refusal rolls the whole request back. */
    public ApiModel.Imported importHistory(String key, ApiModel.ImportHistory r) {
        AgreementEntity a = lock(key);
        List<VersionEntity> existing = VersionEntity.ofAgreement(key);
        // history is imported once, before anything else is published: a later import could date a
        // revision's notice and effect into the past, skip the notice its users are owed, and change
        // what governed at instants already answered for
        VersionEntity live = existing.stream().filter(VersionEntity::published).findFirst().orElse(null);
        if (live != null) {
            String how = live.imported ? " was imported with its history at " + live.createdAt + "; history is imported"
                    + " once, in one request (up to 200 versions within the request body limit)"
                    : " was published through the service at " + live.noticeAt + "; history can be imported only"
                    + " before the first publication";
            throw ApiProblem.conflict("history-closed", "Version " + live.version + " of " + key + how
                    + ". Publish later versions with POST /agreements/" + key + "/versions/{n}/publish.")
                    .with("publishedVersion", live.version);
        }
        // nothing is published yet (history-closed above): each imported version follows the one before it
        PublishedVersion latest = null;
        int number = nextNumber(key);
        Instant now = clock.now();
        List<VersionEntity> created = new ArrayList<>();
        for (int i = 0; i < r.versions().size(); i++) {
            ApiModel.ImportedVersion in = r.versions().get(i);
            String at = "versions[" + i + "]";
            Instant noticeAt = in.noticeAt().truncatedTo(ChronoUnit.MICROS);
            if (noticeAt.isAfter(now)) {
                throw ApiProblem.unprocessable("future-notice", at + ".noticeAt " + noticeAt + " lies in the future;"
                        + " import history only, and publish upcoming versions with POST .../publish")
                        .with("field", at + ".noticeAt").with("index", i);
            }
            if (latest != null && noticeAt.isBefore(latest.noticeAt())) {
                throw ApiProblem.unprocessable("out-of-order", at + ".noticeAt " + noticeAt + " is before the notice of"
                        + " version " + latest.version() + " (" + latest.noticeAt() + "); import versions oldest first,"
                        + " after the versions already published").with("field", at + ".noticeAt").with("index", i);
            }
            Instant effectiveAt = effectiveAt(a, noticeAt, in.effectiveAt().truncatedTo(ChronoUnit.MICROS), latest,
                    at + ".effectiveAt", i);
            Split split = split(in.content(), in.highlightedClauses(), at + ".");
            VersionEntity v = newVersion(a, number++, split, in.label(), in.changeSummary());
            v.noticeAt = noticeAt;
            v.effectiveAt = effectiveAt;
            v.previousVersion = latest == null ? null : latest.version();
            v.imported = true;
            v.persist();
            events.published(publishedEvent(a, v, split.clauses()));
            created.add(v);
            latest = Views.published(v);
        }
        List<VersionEntity> all = new ArrayList<>(existing);
        all.addAll(created);
        Timeline timeline = Views.timeline(all);
        return new ApiModel.Imported(key, created.stream().map(v -> Views.summary(v, timeline, now)).toList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ApiModel.Version get(String key, int number) {
        agreement(key);
        VersionEntity v = version(key, number);
        return views.version(v, Views.timeline(VersionEntity.ofAgreement(key)), clock.now());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApiModel.VersionSummary> list(String key) {
        agreement(key);
        List<VersionEntity> all = VersionEntity.ofAgreement(key);
        Timeline timeline = Views.timeline(all);
        Instant now = clock.now();
        return all.stream().map(v -> Views.summary(v, timeline, now)).toList();
    }

    /** The version in effect at {@code at}: the highest non-withdrawn one with effectiveAt ≤ at. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApiModel.Version> current(String key, Instant at) {
        agreement(key);
        List<VersionEntity> all = VersionEntity.ofAgreement(key);
        Timeline timeline = Views.timeline(all);
        Instant now = clock.now();
        return timeline.inEffectAt(at)
                .flatMap(p -> all.stream().filter(v -> v.version == p.version()).findFirst())
                .map(v -> views.version(v, timeline, now));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ApiModel.Diff diff(String key, int from, int to) {
        agreement(key);
        VersionEntity a = version(key, from);
        VersionEntity b = version(key, to);
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(views.clauses(a), views.clauses(b));
        return new ApiModel.Diff(key, from, to, Views.clauseViews(d.added()), Views.clauseViews(d.removed()),
                d.modified().stream().map(m -> new ApiModel.ModifiedClause(m.id(), m.previousId(), m.heading(),
                        m.previousHeading(), m.before(), m.after(), m.highlighted(), m.highlightChanged())).toList(),
                d.highlighted(), d.unchanged());
    }

    // ---- helpers ----

    private Instant effectiveAt(AgreementEntity a, Instant noticeAt, Instant requested, PublishedVersion previous,
                                String field, Integer index) {
        LeadTime.Earliest earliest = LeadTime.earliestEffectiveAt(noticeAt, a.noticeDays, ZoneId.of(a.timezone), previous);
        if (requested == null) {
            return earliest.instant();
        }
        if (requested.isBefore(earliest.instant())) {
            String why = switch (earliest.reason()) {
                case FIRST_VERSION -> "a version cannot take effect before its notice (" + noticeAt + ")";
                case NOTICE_PERIOD -> a.key + " requires " + a.noticeDays + " calendar days of notice in "
                        + a.timezone + " after the notice at " + noticeAt;
                case PREVIOUS_VERSION -> "version " + previous.version() + " takes effect only at "
                        + previous.effectiveAt() + " and a later version cannot take effect before it";
            };
            ApiProblem p = ApiProblem.unprocessable("lead-time-too-short", field + " " + requested
                    + " is too early: " + why + ". The earliest allowed instant is " + earliest.instant() + ".")
                    .with("field", field)
                    .with("earliestEffectiveAt", earliest.instant())
                    .with("noticeAt", noticeAt)
                    .with("noticeDays", a.noticeDays);
            if (index != null) {
                p.with("index", index);
            }
            throw p;
        }
        return requested;
    }

    /**
     * The most a version's content may take as JSON text, in bytes. Its published event carries every
     * clause, and a revision notice's event the changed clauses before and after: 2 × 400 KiB stays
     * under Kafka's default record limit of 1 MiB, so no event of it can be too large to send (the
     * relay would retry it for ever and hold back every later event of its service).
     */
    static final int MAX_CONTENT_JSON_BYTES = 400 * 1024;

    /** Splits and checks a version's content; {@code prefix} leads the fields a refusal names ("" or "versions[i]."). */
    private Split split(String content, List<String> highlighted, String prefix) {
        String contentField = prefix + "content";
        String field = prefix + "highlightedClauses";
        long size = jsonBytes(content);
        if (size > MAX_CONTENT_JSON_BYTES) {
            throw ApiProblem.unprocessable("content-too-large", contentField + " takes " + size + " bytes as JSON text;"
                    + " a version may take at most " + MAX_CONTENT_JSON_BYTES + " (its events carry every clause, and a"
                    + " revision notice the changed text before and after).")
                    .with("field", contentField).with("maxBytes", MAX_CONTENT_JSON_BYTES);
        }
        List<Clause> clauses = ClauseSplitter.split(content);
        if (clauses.size() > ClauseDiff.MAX_CLAUSES) {
            // every diff and every revision notice compares clauses pair by pair
            throw ApiProblem.unprocessable("too-many-clauses", contentField + " splits into " + clauses.size()
                    + " clauses; a version may have at most " + ClauseDiff.MAX_CLAUSES
                    + ". Numbered lines start clauses: join lines that belong to one clause.")
                    .with("field", contentField).with("maxClauses", ClauseDiff.MAX_CLAUSES);
        }
        if (highlighted != null && !highlighted.isEmpty()) {
            Set<String> ids = new HashSet<>();
            clauses.forEach(c -> ids.add(c.id()));
            Set<String> unknown = new LinkedHashSet<>(highlighted);
            unknown.removeAll(ids);
            if (!unknown.isEmpty()) {
                throw ApiProblem.unprocessable("unknown-clause", field + " names clauses the content does not have: "
                        + unknown + ". Clause ids found: " + ids.stream().limit(40).toList()
                        + (ids.size() > 40 ? "…" : "")).with("field", field).with("unknownClauses", unknown);
            }
            Set<String> marked = new HashSet<>(highlighted);
            clauses = clauses.stream().map(c -> marked.contains(c.id()) ? c.withHighlighted(true) : c).toList();
        }
        return new Split(content, ContentHash.sha256(content), clauses);
    }

    /** The length of {@code s} as a JSON string's UTF-8 bytes, escapes included (quotes excluded). */
    static long jsonBytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                n += 2;
            } else if (c < 0x20) {
                n += 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 2; // a pair takes four bytes
            } else {
                n += 3;
            }
        }
        return n;
    }

    private VersionEntity newVersion(AgreementEntity a, int number, Split split, String label, String changeSummary) {
        VersionEntity v = new VersionEntity();
        v.agreementKey = a.key;
        v.version = number;
        v.label = label;
        v.changeSummary = changeSummary;
        v.content = split.content();
        v.contentSha256 = split.sha256();
        v.clauses = views.clausesJson(split.clauses());
        v.createdAt = clock.now().truncatedTo(ChronoUnit.MILLIS);
        return v;
    }

    private VersionPublishedV1 publishedEvent(AgreementEntity a, VersionEntity v) {
        return publishedEvent(a, v, views.clauses(v));
    }

    private VersionPublishedV1 publishedEvent(AgreementEntity a, VersionEntity v, List<Clause> clauses) {
        return new VersionPublishedV1(a.key, v.version, v.label, v.changeSummary, v.imported, views.agreementData(a),
                v.noticeAt, v.effectiveAt, v.contentSha256, v.previousVersion, Views.clauseData(clauses));
    }

    private static int nextNumber(String key) {
        Integer max = VersionEntity.getEntityManager()
                .createQuery("select max(v.version) from VersionEntity v where v.agreementKey = ?1", Integer.class)
                .setParameter(1, key).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    private static AgreementEntity lock(String key) {
        return AgreementEntity.lockByKey(key).orElseThrow(() -> unknownAgreement(key));
    }

    private static AgreementEntity agreement(String key) {
        return AgreementEntity.byKey(key).orElseThrow(() -> unknownAgreement(key));
    }

    private static VersionEntity version(String key, int number) {
        return VersionEntity.find(key, number).orElseThrow(() -> ApiProblem.notFound("Agreement " + key
                + " has no version " + number + "; GET /agreements/" + key + " lists its versions."));
    }

    private static ApiProblem unknownAgreement(String key) {
        return ApiProblem.notFound("No agreement with key '" + key + "'; GET /agreements lists the registered ones.");
    }
}
