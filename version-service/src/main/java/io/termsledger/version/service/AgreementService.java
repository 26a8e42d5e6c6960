package io.termsledger.version.service;

import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.problem.Causes;
import io.termsledger.kit.time.AppClock;
import io.termsledger.version.domain.AcceptanceMethod;
import io.termsledger.version.domain.NoticeMeasuredFrom;
import io.termsledger.version.domain.Scope;
import io.termsledger.version.messaging.VersionEvents;
import io.termsledger.version.repository.AgreementEntity;
import io.termsledger.version.repository.VersionEntity;
import io.termsledger.version.rest.ApiModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Registers agreements and answers questions about them. */
@ApplicationScoped
@Transactional
public class AgreementService {

    public static final String DEFAULT_TIMEZONE = "Asia/Shanghai";
    private static final Pattern NOTICE_TYPE = Pattern.compile("^[A-Z][A-Z0-9_]{0,63}$");
    private static final int MAX_PERIOD_DAYS = 3650;

    @Inject
    AppClock clock;

    @Inject
    Views views;

    @Inject
    VersionEvents events;

    public ApiModel.Agreement register(ApiModel.RegisterAgreement r) {
        String timezone = r.timezone() == null || r.timezone().isBlank() ? DEFAULT_TIMEZONE : r.timezone().strip();
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw ApiProblem.unprocessable("invalid-timezone", "timezone '" + timezone
                    + "' is not an IANA time zone; use a region name such as Asia/Shanghai or Europe/Berlin")
                    .with("field", "timezone");
        }
        checkScope(r);
        Map<String, Integer> periods = r.policy().noticePeriods() == null ? Map.of() : r.policy().noticePeriods();
        periods.forEach((type, days) -> {
            if (type == null || !NOTICE_TYPE.matcher(type).matches()) {
                throw ApiProblem.unprocessable("invalid-notice-period", "policy.noticePeriods: notice type '" + type
                        + "' must be UPPER_SNAKE_CASE, such as DATA_CENTRE_MIGRATION").with("field", "policy.noticePeriods");
            }
            if (days == null || days < 0 || days > MAX_PERIOD_DAYS) {
                throw ApiProblem.unprocessable("invalid-notice-period", "policy.noticePeriods." + type
                        + " must be a number of days between 0 and " + MAX_PERIOD_DAYS).with("field", "policy.noticePeriods." + type);
            }
        });
        if (AgreementEntity.byKey(r.key()).isPresent()) {
            throw ApiProblem.conflict("agreement-exists", "An agreement with key '" + r.key()
                    + "' is already registered; keys are unique and permanent, choose another").with("field", "key");
        }
        if (r.scope() == Scope.PRODUCT) {
            // a usage signal names a product: two sets of product terms for one would bind its users to both
            AgreementEntity.lockProduct(r.product()).ifPresent(covering -> {
                throw ApiProblem.conflict("product-exists", "Product '" + r.product() + "' is covered by the PRODUCT"
                        + " terms '" + covering.key + "' already; usage of a product must name one set of terms."
                        + " Publish a new version of '" + covering.key + "', or name another product")
                        .with("field", "product").with("agreementKey", covering.key);
            });
        }
        Set<AcceptanceMethod> methods = new LinkedHashSet<>(r.policy().acceptanceMethods());
        AgreementEntity a = new AgreementEntity();
        a.key = r.key();
        a.title = r.title().strip();
        a.provider = r.provider().strip();
        a.scope = r.scope();
        a.parentKey = r.parentKey();
        a.product = r.product();
        a.timezone = timezone;
        a.noticeDays = r.policy().noticeDays();
        a.bindingRule = r.policy().bindingRule();
        a.sealPrevails = Boolean.TRUE.equals(r.policy().sealPrevails());
        a.acceptanceMethods = methods.stream().map(Enum::name).collect(Collectors.joining(","));
        a.noticeMeasuredFrom = r.policy().noticeMeasuredFrom() == null ? NoticeMeasuredFrom.ANNOUNCEMENT
                : r.policy().noticeMeasuredFrom();
        a.noticePeriods = views.periodsJson(periods);
        a.registeredAt = clock.now().truncatedTo(ChronoUnit.MILLIS);
        try {
            a.persistAndFlush();
        } catch (jakarta.persistence.PersistenceException e) {
            if (!Causes.sqlState(e, "23505")) {
                throw e;
            }
            // lost a race with another registration of the same key
            throw ApiProblem.conflict("agreement-exists", "An agreement with key '" + r.key()
                    + "' is already registered; keys are unique and permanent, choose another").with("field", "key");
        }
        events.registered(views.agreementData(a));
        return views.agreement(a, List.of(), clock.now());
    }

    private void checkScope(ApiModel.RegisterAgreement r) {
        if (r.scope() == Scope.GENERAL) {
            if (r.parentKey() != null) {
                throw ApiProblem.unprocessable("invalid-scope", "parentKey is only for PRODUCT terms; remove it or"
                        + " register the agreement with scope PRODUCT").with("field", "parentKey");
            }
            if (r.product() != null) {
                throw ApiProblem.unprocessable("invalid-scope", "product is only for PRODUCT terms; remove it or"
                        + " register the agreement with scope PRODUCT").with("field", "product");
            }
            return;
        }
        if (r.parentKey() == null || r.parentKey().isBlank()) {
            throw ApiProblem.unprocessable("parent-required", "PRODUCT terms need parentKey: the key of the GENERAL"
                    + " agreement they belong to").with("field", "parentKey");
        }
        if (r.product() == null || r.product().isBlank()) {
            throw ApiProblem.unprocessable("product-required", "PRODUCT terms need product: the product they cover,"
                    + " such as ecs").with("field", "product");
        }
        AgreementEntity parent = AgreementEntity.byKey(r.parentKey()).orElseThrow(() -> ApiProblem.unprocessable(
                "unknown-parent", "parentKey '" + r.parentKey() + "' is not a registered agreement; register the"
                        + " GENERAL terms first").with("field", "parentKey"));
        if (parent.scope != Scope.GENERAL) {
            throw ApiProblem.unprocessable("parent-not-general", "parentKey '" + r.parentKey()
                    + "' is PRODUCT terms; the parent must be a GENERAL agreement").with("field", "parentKey");
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApiModel.Agreement> list() {
        Instant now = clock.now();
        List<AgreementEntity> all = AgreementEntity.allByKey();
        if (all.isEmpty()) {
            return List.of();
        }
        Map<String, List<VersionEntity>> versions = VersionEntity.ofAgreements(all.stream().map(a -> a.key).toList())
                .stream().collect(Collectors.groupingBy(v -> v.agreementKey));
        return all.stream().map(a -> views.agreement(a, versions.getOrDefault(a.key, List.of()), now)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApiModel.Agreement> get(String key) {
        return AgreementEntity.byKey(key).map(a -> views.agreement(a, VersionEntity.ofAgreement(key), clock.now()));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean exists(String key) {
        return AgreementEntity.byKey(key).isPresent();
    }
}
