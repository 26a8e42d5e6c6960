package io.termsledger.consent.service;

import io.termsledger.consent.domain.BindingRule;
import io.termsledger.consent.domain.Fact;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.domain.PendingState;
import io.termsledger.consent.domain.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Derives from an engine answer the bindings a user went through up to {@code now}: the
 * version they first bound to, every revision that began to bind them (EFFECTIVE or
 * ACCEPTED_EARLY with an {@code effectiveForUser} not after now) and the governing
 * version, each with how and since when it bound. The basis of a revision is read from
 * the engine's answer at the instant it began to bind.
 */
public final class Bindings {

    private Bindings() {
    }

    public record Binding(int version, String basis, Instant since, Integer previousVersion) {
    }

    private record Raw(int version, String basis, Instant since) {
    }

    public static List<Binding> derive(Status s, BindingRule rule, Collection<Fact> facts, Instant now,
                                       Function<Instant, Status> statusAt) {
        List<Raw> raw = new ArrayList<>();
        if (s.governingVersion() != null && s.basis() != null && s.basis().since() != null
                && !s.basis().since().isAfter(now)) {
            raw.add(new Raw(s.governingVersion(), s.basis().method(), s.basis().since()));
        }
        Instant firstRevision = null;
        if (s.pending() != null) {
            for (Status.Pending p : s.pending()) {
                if ((p.state() == PendingState.EFFECTIVE || p.state() == PendingState.ACCEPTED_EARLY)
                        && p.effectiveForUser() != null && !p.effectiveForUser().isAfter(now)) {
                    if (firstRevision == null || p.effectiveForUser().isBefore(firstRevision)) {
                        firstRevision = p.effectiveForUser();
                    }
                    if (s.governingVersion() != null && p.version() == s.governingVersion()) {
                        continue;
                    }
                    raw.add(new Raw(p.version(), basisOf(p, rule, facts, statusAt), p.effectiveForUser()));
                }
            }
        }
        if (firstRevision != null) {
            // the version the user was bound to before the first revision reached them
            Status before = statusAt.apply(firstRevision.minusNanos(1000));
            if (before.governingVersion() != null && before.basis() != null && before.basis().since() != null
                    && raw.stream().noneMatch(r -> r.version() == before.governingVersion())) {
                raw.add(new Raw(before.governingVersion(), before.basis().method(), before.basis().since()));
            }
        }
        raw.sort(Comparator.comparing(Raw::version));
        List<Binding> out = new ArrayList<>();
        for (Raw r : raw) {
            Integer previous = null;
            for (Raw q : raw) {
                if (q.version() < r.version() && !q.since().isAfter(r.since())) {
                    previous = q.version();
                }
            }
            out.add(new Binding(r.version(), r.basis(), r.since(), previous));
        }
        return out;
    }

    private static String basisOf(Status.Pending p, BindingRule rule, Collection<Fact> facts,
                                  Function<Instant, Status> statusAt) {
        Status then = statusAt.apply(p.effectiveForUser());
        // the act that bound the governing version at that instant bound this revision: itself, or a later
        // revision that carried the user past it (a click of v3 straight from v1 passes v2 by that click)
        if (then.governingVersion() != null && then.governingVersion() >= p.version() && then.basis() != null
                && p.effectiveForUser().equals(then.basis().since())) {
            return then.basis().method();
        }
        for (Fact f : facts) {
            if (f instanceof Fact.Acceptance a && a.version() == p.version() && a.occurredAt().equals(p.effectiveForUser())
                    && a.method() != Method.USE) {
                return a.method().name();
            }
        }
        if (rule == BindingRule.ON_EFFECTIVE_DATE && p.effectiveForUser().equals(p.effectiveAt())) {
            return "EFFECTIVE_DATE";
        }
        return "USE";
    }
}
