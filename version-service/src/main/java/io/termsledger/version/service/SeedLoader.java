package io.termsledger.version.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.termsledger.kit.problem.ProblemMappers;
import io.termsledger.version.config.VersionServiceConfig;
import io.termsledger.version.domain.Scope;
import io.termsledger.version.repository.VersionEntity;
import io.termsledger.version.rest.ApiModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the sample agreements of {@code seeds/manifest.json} at start-up: registers each agreement that
 * is missing and publishes its text as version 1 when it has no version yet. Running it again adds
 * nothing and emits no event. An entry may take part of a file: {@code until} (the text before the first
 * line equal to it) or {@code from} (the text from that line on).
 */
@ApplicationScoped
public class SeedLoader {

    private static final Logger LOG = Logger.getLogger(SeedLoader.class);
    private static final long SEED_LOCK = 0x7365656473L; // "seeds"

    @Inject
    VersionServiceConfig config;

    @Inject
    AgreementService agreements;

    @Inject
    VersionService versions;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    public record Manifest(String description, List<Entry> agreements) {
    }

    public record Entry(String key, String file, String until, String from, String title, String provider, Scope scope,
                        String parentKey, String product, String timezone, ApiModel.PolicyInput policy,
                        List<String> highlightedClauses, String label) {
    }

    /** What one run did. */
    public record Report(List<String> registered, List<String> published, List<String> skipped) {
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.seeds().enabled() || config.seeds().dir().isEmpty() || config.seeds().dir().get().isBlank()) {
            return;
        }
        Path dir = Path.of(config.seeds().dir().get());
        Report r = load(dir);
        LOG.infof("seeds from %s: registered %s, published version 1 of %s, already present %s", dir,
                r.registered(), r.published(), r.skipped());
    }

    /** Loads a seed folder; safe to call any number of times, from any number of instances at once. */
    @Transactional
    public Report load(Path dir) {
        Manifest manifest = manifest(dir);
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, SEED_LOCK).getSingleResult();
        List<Entry> entries = new ArrayList<>(manifest.agreements());
        // parents first: GENERAL before PRODUCT, manifest order otherwise
        entries.sort(Comparator.comparing(e -> e.scope() == Scope.PRODUCT));
        List<String> registered = new ArrayList<>();
        List<String> published = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Entry e : entries) {
            boolean changed = false;
            if (!agreements.exists(e.key())) {
                agreements.register(registration(e));
                registered.add(e.key());
                changed = true;
            }
            if (VersionEntity.count("agreementKey", e.key()) == 0) {
                ApiModel.Draft draft = versions.createDraft(e.key(), draft(dir, e));
                versions.publish(e.key(), draft.version(), null);
                published.add(e.key());
                changed = true;
            }
            if (!changed) {
                skipped.add(e.key());
            }
        }
        return new Report(List.copyOf(registered), List.copyOf(published), List.copyOf(skipped));
    }

    private Manifest manifest(Path dir) {
        Path file = dir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("ledger.seeds.dir is " + dir.toAbsolutePath() + " but it has no manifest.json;"
                    + " point LEDGER_SEEDS_DIR at the seeds folder or unset it");
        }
        Manifest m;
        try {
            // as strictly as the REST API reads a body: a misspelt field ("sealPrevail") is an error, not a default
            m = json.readValue(file.toFile(), Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + ": " + ProblemMappers.describe(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (m.agreements() == null) {
            throw new IllegalStateException(file + " lists no agreements");
        }
        for (Entry e : m.agreements()) {
            if (e.key() == null || e.file() == null || e.policy() == null || e.scope() == null) {
                throw new IllegalStateException(file + ": every agreement needs key, file, scope and policy");
            }
            // every entry checked before anything is stored, by the rules POST /agreements and POST .../versions apply
            check(file, e, registration(e));
            check(file, e, draft(dir, e));
        }
        return m;
    }

    private static ApiModel.RegisterAgreement registration(Entry e) {
        return new ApiModel.RegisterAgreement(e.key(), e.title(), e.provider(), e.scope(), e.parentKey(), e.product(),
                e.timezone(), e.policy());
    }

    private static ApiModel.CreateDraft draft(Path dir, Entry e) {
        return new ApiModel.CreateDraft(content(dir, e), e.label() != null ? e.label() : "seed: " + e.file(),
                "Loaded from seeds/" + e.file(), e.highlightedClauses());
    }

    private <T> void check(Path file, Entry e, T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new IllegalStateException(file + ": agreement " + e.key() + ": " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
    }

    /** The entry's text: the whole file, or the part before {@code until} / from {@code from}. */
    static String content(Path dir, Entry e) {
        String text;
        try {
            text = Files.readString(dir.resolve(e.file()), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read seed file " + dir.resolve(e.file()) + ": " + ex.getMessage(), ex);
        }
        if (e.until() != null) {
            text = text.substring(0, markerOffset(text, e.until(), e));
        }
        if (e.from() != null) {
            text = text.substring(markerOffset(text, e.from(), e));
        }
        return text;
    }

    private static int markerOffset(String text, String marker, Entry e) {
        int offset = 0;
        for (String line : text.split("\n", -1)) {
            if (line.strip().equals(marker.strip())) {
                return offset;
            }
            offset += line.length() + 1;
        }
        throw new IllegalStateException("seed " + e.key() + ": no line '" + marker + "' in " + e.file());
    }
}
