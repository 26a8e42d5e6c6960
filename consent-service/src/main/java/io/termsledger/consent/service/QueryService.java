package io.termsledger.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsledger.consent.config.ConsentConfig;
import io.termsledger.consent.domain.Status;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Read side: status, terms, history and population. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class QueryService {

    @Inject
    AgreementRepository agreements;

    @Inject
    LedgerRepository ledger;

    @Inject
    ProjectionService projection;

    @Inject
    AppClock clock;

    @Inject
    Db db;

    @Inject
    ObjectMapper json;

    @Inject
    ConsentConfig config;

    public Agreement agreement(String key) {
        return agreements.find(key).orElseThrow(() -> unknownAgreement(key));
    }

    static ApiProblem unknownAgreement(String key) {
        return ApiProblem.notFound("No agreement '" + key + "' is known.");
    }

    /**
     * The engine's answer for (user, agreement, at) as the JSON document the API returns: from the
     * projection when it is current (without re-serialising it), else from the ledger.
     */
    public String statusJson(String userId, String key, Instant at) {
        Agreement a = agreement(key);
        if (at == null) {
            Optional<String> current = projection.currentStatusJson(userId, key, clock.now());
            if (current.isPresent()) {
                return current.get();
            }
        }
        return ledgerStatusJson(userId, a, at);
    }

    /** {@link #statusJson} computed from the ledger, for a caller that has found the projection row not current. */
    public String ledgerStatusJson(String userId, String key, Instant at) {
        return ledgerStatusJson(userId, agreement(key), at);
    }

    private String ledgerStatusJson(String userId, Agreement a, Instant at) {
        try {
            return json.writeValueAsString(fromLedger(userId, a, at));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The engine's answer computed from the ledger with the facts that occurred at or before {@code at} (null: now). */
    private StatusView fromLedger(String userId, Agreement a, Instant at) {
        Instant t = at == null ? clock.now() : at;
        Status s = projection.status(projection.inputs(userId, a, agreements.versions(a.key())), t);
        return StatusView.of(userId, a.key(), t, s);
    }

    public record TermsEntry(int precedence, String agreementKey, String title, String scope, String product,
                             String parentKey, Integer governingVersion, StatusView.Basis basis, String contentSha256) {
    }

    public record Terms(String userId, String product, Instant at, List<TermsEntry> terms) {
    }

    /**
     * The governing general and product terms in order of precedence (product terms
     * first, then the general terms: 002 preamble and 12.1). With {@code product}, the
     * product's terms and their parent general terms; without, every agreement the user
     * has facts for.
     */
    public Terms terms(String userId, String product, Instant at) {
        Instant t = at == null ? clock.now() : at;
        List<Agreement> list = new ArrayList<>();
        if (product != null && !product.isBlank()) {
            List<Agreement> products = agreements.byProduct(product);
            if (products.isEmpty()) {
                throw ApiProblem.notFound("No product terms name product '" + product + "'.");
            }
            for (Agreement p : products) {
                list.add(p);
                if (p.parentKey() != null) {
                    agreements.find(p.parentKey()).filter(g -> !list.contains(g)).ifPresent(list::add);
                }
            }
        } else {
            for (String key : ledger.agreementsOf(userId)) {
                agreements.find(key).ifPresent(list::add);
            }
        }
        list.sort((x, y) -> {
            int sx = "PRODUCT".equals(x.scope()) ? 0 : 1;
            int sy = "PRODUCT".equals(y.scope()) ? 0 : 1;
            return sx != sy ? Integer.compare(sx, sy) : x.key().compareTo(y.key());
        });
        List<TermsEntry> out = new ArrayList<>();
        int precedence = 1;
        for (Agreement a : list) {
            List<Version> versions = agreements.versions(a.key());
            Status s = projection.status(projection.inputs(userId, a, versions), t);
            String sha = s.governingVersion() == null ? null : versions.stream()
                    .filter(v -> v.version() == s.governingVersion()).map(Version::contentSha256).findFirst().orElse(null);
            out.add(new TermsEntry(precedence++, a.key(), a.title(), a.scope(), a.product(), a.parentKey(),
                    s.governingVersion(), s.basis() == null ? null
                    : new StatusView.Basis(s.basis().method(), s.basis().eventId(), s.basis().since()), sha));
        }
        return new Terms(userId, product, t, out);
    }

    public record FactView(long seq, String eventId, String kind, String agreementKey, int version, String method,
                           Instant occurredAt, Instant recordedAt, boolean imported, JsonNode evidence, String reason,
                           String prevHash, String hash, String canonical) {
    }

    public record History(String userId, String genesis, String head, int length, List<FactView> facts) {
    }

    public History history(String userId) {
        List<FactView> facts = ledger.facts(userId).stream().map(this::view).toList();
        return new History(userId, Canonical.GENESIS, facts.isEmpty() ? Canonical.GENESIS : facts.get(facts.size() - 1).hash(),
                facts.size(), facts);
    }

    public Optional<FactView> fact(UUID eventId) {
        return ledger.fact(eventId).map(this::view);
    }

    FactView view(StoredFact f) {
        JsonNode c;
        try {
            c = json.readTree(f.canonical());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new FactView(f.seq(), f.eventId().toString(), f.kind(), f.agreementKey(), f.version(), f.method(),
                f.occurredAt(), f.recordedAt(), f.imported(), c.get("evidence"),
                c.hasNonNull("reason") ? c.get("reason").asText() : null, f.prevHash(), f.hash(), f.canonical());
    }

    public record VersionCount(Integer version, long users) {
    }

    public record StateCount(int version, String state, long users) {
    }

    public record Population(String agreementKey, Instant at, String source, long users, List<VersionCount> governing,
                             List<StateCount> pending) {
    }

    /**
     * Users per governing version and per pending state. At (about) now it reads the
     * projection (two grouped index scans); for another instant it evaluates every user
     * of the agreement from the ledger, refused above {@code ledger.population.max-scan} users.
     */
    public Population population(String key, Instant at) {
        agreement(key);
        Instant now = clock.now();
        if (at == null || Duration.between(at, now).abs().compareTo(config.population().nowTolerance()) <= 0) {
            // the counters kept with the projection: a few rows per agreement, whatever the number of users
            List<VersionCount> gov = new ArrayList<>();
            List<StateCount> pend = new ArrayList<>();
            db.list("select bucket, sum(users) from population_counter where agreement_key = ? group by bucket"
                    + " having sum(users) <> 0", rs -> {
                        String bucket = rs.getString(1);
                        long n = rs.getLong(2);
                        String[] parts = bucket.split(":", 3);
                        if (parts[0].equals("G")) {
                            gov.add(new VersionCount(parts[1].equals("none") ? null : Integer.valueOf(parts[1]), n));
                        } else {
                            pend.add(new StateCount(Integer.parseInt(parts[1]), parts[2], n));
                        }
                        return 1;
                    }, key);
            gov.sort((x, y) -> x.version() == null ? -1 : y.version() == null ? 1 : x.version().compareTo(y.version()));
            pend.sort(Comparator.comparing(StateCount::version).thenComparing(StateCount::state));
            return new Population(key, at == null ? now : at, "projection",
                    gov.stream().mapToLong(VersionCount::users).sum(), gov, pend);
        }
        long users = db.one("select count(*) from user_agreement_status where agreement_key = ?", rs -> rs.getLong(1), key)
                .orElse(0L);
        if (users > config.population().maxScan()) {
            throw ApiProblem.unprocessable("population-too-large", "Agreement " + key + " has " + users
                    + " users; a population at an instant other than now is computed from the ledger for at most "
                    + config.population().maxScan() + " users. Ask without 'at' for the current figures.");
        }
        Agreement a = agreement(key);
        List<Version> versions = agreements.versions(key);
        Map<Integer, Long> gov = new TreeMap<>((x, y) -> x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y));
        Map<String, StateCount> pend = new TreeMap<>();
        long counted = 0;
        for (String user : db.list("select user_id from user_agreement_status where agreement_key = ? order by user_id",
                rs -> rs.getString(1), key)) {
            ProjectionService.Inputs in = projection.inputs(user, a, versions);
            // a user counts from their first fact on, governed by a version or by none, as in the
            // projection's counters that answer for now
            if (in.facts().stream().allMatch(f -> f.occurredAt().isAfter(at))) {
                continue;
            }
            Status s = projection.status(in, at);
            counted++;
            gov.merge(s.governingVersion(), 1L, Long::sum);
            if (s.pending() != null) {
                for (Status.Pending p : s.pending()) {
                    String k = String.format("%010d/%s", p.version(), p.state().name());
                    StateCount old = pend.get(k);
                    pend.put(k, new StateCount(p.version(), p.state().name(), old == null ? 1 : old.users() + 1));
                }
            }
        }
        List<VersionCount> govList = new ArrayList<>();
        gov.forEach((v, n) -> govList.add(new VersionCount(v, n)));
        return new Population(key, at, "ledger", counted, govList, new ArrayList<>(pend.values()));
    }

    /** The projection row of (user, agreement), for operators and tests. */
    public Optional<Map<String, Object>> projectionRow(String userId, String key) {
        return db.one("select governing_version, basis_method, since, next_check_at from user_agreement_status where"
                + " user_id = ? and agreement_key = ?", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("governingVersion", Db.integer(rs, "governing_version"));
                    m.put("basisMethod", rs.getString("basis_method"));
                    m.put("since", Db.instant(rs, "since"));
                    m.put("nextCheckAt", Db.instant(rs, "next_check_at"));
                    return m;
                }, userId, key);
    }
}
