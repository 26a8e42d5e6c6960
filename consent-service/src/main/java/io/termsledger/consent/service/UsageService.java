package io.termsledger.consent.service;

import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.domain.NoticeMeasuredFrom;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.rest.UsageRequest;
import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Usage signals, stored bounded. The effective dates of an agreement's versions (and,
 * under INDIVIDUAL_DELIVERY, the user's own dates E_u) cut time into intervals; a
 * signal is stored only when no stored signal of its interval is earlier or equal. So
 * per user and agreement at most one row per interval is ever needed, and "the first
 * use at or after E" stays exact: it is the earliest stored signal at or after E.
 * (Limit: an effective date introduced later inside an interval that already dropped
 * signals sees the interval's earliest signal, not the first one after that date: a version
 * imported with a back-dated effective date, a delivery reported more than the notice days
 * after it happened, a 0-day revision whose publication arrives after signals of its first
 * moments. consent-service/README.md, "Limits and choices".)
 */
@ApplicationScoped
@Transactional(dontRollbackOn = ApiProblem.class) // refusals happen before any write
public class UsageService {

    @Inject
    AgreementRepository agreements;

    @Inject
    LedgerRepository ledger;

    @Inject
    ProjectionService projection;

    @Inject
    AppClock clock;

    @Inject
    Outbox outbox;

    @Inject
    ConsentConfig config;

    /** The event that names a product's new user: the first usage signal stored for its terms. */
    public static final String PRODUCT_USED = "consent.product-used.v1";

    /** {@link #PRODUCT_USED}'s data; {@code firstUsedAt} is the signal's instant (an earlier one may arrive later). */
    public record ProductUsed(String userId, String agreementKey, String product, Instant firstUsedAt) {
    }

    public record UsageResult(String userId, Instant occurredAt, List<String> agreements, int stored) {
    }

    public UsageResult record(UsageRequest r, String source) {
        return record(r, source, false);
    }

    /** With {@code deferEvaluation} (imports) the sweep re-evaluates the user instead of this transaction. */
    public UsageResult record(UsageRequest r, String source, boolean deferEvaluation) {
        boolean hasKey = r.agreementKey() != null && !r.agreementKey().isBlank();
        boolean hasProduct = r.product() != null && !r.product().isBlank();
        if (hasKey == hasProduct) {
            throw ApiProblem.badRequest("Name exactly one of agreementKey or product.");
        }
        Instant now = clock.now();
        Instant occurred = (r.occurredAt() == null ? now : r.occurredAt()).truncatedTo(ChronoUnit.MICROS);
        if (occurred.isAfter(now.plus(config.clockSkew()))) {
            throw ApiProblem.unprocessable("occurred-in-future", "occurredAt " + occurred + " lies in the future (now is "
                    + now + ", allowed skew " + config.clockSkew() + ")");
        }
        Set<Agreement> targets = new LinkedHashSet<>();
        if (hasKey) {
            targets.add(agreements.find(r.agreementKey()).orElseThrow(() -> ApiProblem.unprocessable("unknown-agreement",
                    "No agreement '" + r.agreementKey() + "' is known.")));
        } else {
            List<Agreement> products = agreements.byProduct(r.product());
            if (products.isEmpty()) {
                throw ApiProblem.unprocessable("unknown-product", "No product terms name product '" + r.product() + "'.");
            }
            for (Agreement p : products) {
                targets.add(p);
                if (p.parentKey() != null) {
                    agreements.find(p.parentKey()).ifPresent(targets::add);
                }
            }
        }
        ledger.lockUser(r.userId());
        // the interval boundaries come from the catalog at its locked revision, not from the cache
        Map<String, AgreementRepository.Catalog> catalogs =
                agreements.lockCatalogs(targets.stream().map(Agreement::key).toList());
        int stored = 0;
        List<String> keys = targets.stream().map(Agreement::key).toList();
        // in the order of their keys, as the fact writer updates the projection's counters: two transactions that
        // took them in opposite orders could deadlock
        for (Agreement a : targets.stream().sorted(Comparator.comparing(Agreement::key)).toList()) {
            Instant start = intervalStart(r.userId(), a, catalogs.get(a.key()).versions(), occurred);
            if (!ledger.usageWithin(r.userId(), a.key(), start, occurred)) {
                boolean firstUse = "PRODUCT".equals(a.scope()) && !ledger.hasUsage(r.userId(), a.key());
                ledger.insertUsage(r.userId(), a.key(), occurred, start, now, source);
                if (firstUse) {
                    // the product's users are its terms' audience, bound to them or not (DOMAIN.md §6)
                    outbox.append(Topics.CONSENT_EVENTS, r.userId(), PRODUCT_USED, r.userId() + "/" + a.key(),
                            new ProductUsed(r.userId(), a.key(), a.product(), occurred));
                }
                if (deferEvaluation) {
                    projection.markDue(r.userId(), a.key());
                } else {
                    projection.refresh(r.userId(), a.key());
                }
                stored++;
            }
        }
        return new UsageResult(r.userId(), occurred, keys, stored);
    }

    /** The latest boundary (effective date, or E_u under INDIVIDUAL_DELIVERY) at or before {@code t}. */
    Instant intervalStart(String userId, Agreement a, List<Version> versions, Instant t) {
        TreeSet<Instant> bounds = new TreeSet<>();
        for (Version v : versions) {
            bounds.add(v.effectiveAt());
            bounds.add(v.noticeAt());
        }
        if (a.policy().noticeMeasuredFrom() == NoticeMeasuredFrom.INDIVIDUAL_DELIVERY) {
            for (LedgerRepository.DeliveryRow d : ledger.deliveries(userId, a.key())) {
                Instant personal = d.deliveredAt().atZone(a.policy().zone()).plusDays(a.policy().noticeDays()).toInstant();
                versions.stream().filter(v -> v.version() == d.version()).findFirst()
                        .ifPresent(v -> bounds.add(personal.isAfter(v.effectiveAt()) ? personal : v.effectiveAt()));
            }
        }
        Instant floor = bounds.floor(t);
        return floor == null ? LedgerRepository.BEGINNING : floor;
    }
}
