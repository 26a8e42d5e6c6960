package io.termsledger.version.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.version.domain.AcceptanceMethod;
import io.termsledger.version.domain.Clause;
import io.termsledger.version.domain.PublishedVersion;
import io.termsledger.version.domain.Timeline;
import io.termsledger.version.messaging.AgreementRegisteredV1;
import io.termsledger.version.messaging.ClauseData;
import io.termsledger.version.messaging.PolicyData;
import io.termsledger.version.rest.ApiModel;
import io.termsledger.version.repository.AgreementEntity;
import io.termsledger.version.repository.VersionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Maps entities to API records and event payloads, and clause lists to and from their JSON column. */
@ApplicationScoped
public class Views {

    private static final TypeReference<List<Clause>> CLAUSES = new TypeReference<>() {
    };
    private static final TypeReference<TreeMap<String, Integer>> PERIODS = new TypeReference<>() {
    };

    @Inject
    ObjectMapper json;

    public String clausesJson(List<Clause> clauses) {
        return write(clauses);
    }

    public List<Clause> clauses(VersionEntity v) {
        try {
            return json.readValue(v.clauses, CLAUSES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored clauses of " + v.agreementKey + " v" + v.version + " are unreadable", e);
        }
    }

    public String periodsJson(Map<String, Integer> periods) {
        return write(periods == null ? new TreeMap<>() : new TreeMap<>(periods));
    }

    public SortedMap<String, Integer> periods(AgreementEntity a) {
        try {
            return json.readValue(a.noticePeriods, PERIODS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored notice periods of " + a.key + " are unreadable", e);
        }
    }

    public static List<AcceptanceMethod> methods(AgreementEntity a) {
        return Arrays.stream(a.acceptanceMethods.split(",")).map(AcceptanceMethod::valueOf).toList();
    }

    public static PublishedVersion published(VersionEntity v) {
        return new PublishedVersion(v.version, v.noticeAt, v.effectiveAt, v.withdrawnAt);
    }

    public static Timeline timeline(List<VersionEntity> versions) {
        return new Timeline(versions.stream().filter(VersionEntity::published).map(Views::published).toList());
    }

    public AgreementRegisteredV1 agreementData(AgreementEntity a) {
        return new AgreementRegisteredV1(a.key, a.title, a.provider, a.scope, a.parentKey, a.product, a.timezone,
                new PolicyData(a.noticeDays, a.bindingRule, a.sealPrevails, methods(a), a.noticeMeasuredFrom, periods(a)),
                a.registeredAt);
    }

    public ApiModel.Agreement agreement(AgreementEntity a, List<VersionEntity> versions, Instant now) {
        Timeline timeline = timeline(versions);
        return new ApiModel.Agreement(a.key, a.title, a.provider, a.scope, a.parentKey, a.product, a.timezone,
                new ApiModel.Policy(a.noticeDays, a.bindingRule, a.sealPrevails, methods(a), a.noticeMeasuredFrom,
                        periods(a)),
                a.registeredAt,
                timeline.inEffectAt(now).map(PublishedVersion::version).orElse(null),
                versions.stream().map(v -> summary(v, timeline, now)).toList());
    }

    public static ApiModel.VersionSummary summary(VersionEntity v, Timeline timeline, Instant now) {
        return new ApiModel.VersionSummary(v.version, v.label, timeline.statusOf(v.published() ? published(v) : null, now),
                v.noticeAt, v.effectiveAt, v.withdrawnAt, v.imported, v.contentSha256);
    }

    public ApiModel.Version version(VersionEntity v, Timeline timeline, Instant now) {
        return new ApiModel.Version(v.agreementKey, v.version, v.label, v.changeSummary,
                timeline.statusOf(v.published() ? published(v) : null, now), v.imported, v.contentSha256, v.createdAt,
                v.noticeAt, v.effectiveAt, v.previousVersion, v.withdrawnAt, v.withdrawReason, v.content,
                clauseViews(clauses(v)));
    }

    public static List<ApiModel.ClauseView> clauseViews(List<Clause> clauses) {
        return clauses.stream().map(Views::clauseView).toList();
    }

    public static ApiModel.ClauseView clauseView(Clause c) {
        return new ApiModel.ClauseView(c.id(), c.heading(), c.text(), c.highlighted());
    }

    public static List<ClauseData> clauseData(List<Clause> clauses) {
        return clauses.stream().map(c -> new ClauseData(c.id(), c.heading(), c.text(), c.highlighted())).toList();
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
