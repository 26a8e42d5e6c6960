package io.termsledger.consent.service;

import io.termsledger.consent.domain.BindingRule;
import io.termsledger.consent.domain.Fact;
import io.termsledger.consent.domain.PendingState;
import io.termsledger.consent.domain.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Derives from an engine answer the bindings a user went through: the governing
 * version and every revision that began to bind the user (EFFECTIVE or ACCEPTED_EARLY
 * with an {@code effectiveForUser} not after {@code now}), with how it bound.
 */
public final class Bindings {

    private Bindings() {
    }

    public record Binding(int version, String basis, Instant since, Integer previousVersion) {
    }

    public static List<Binding> derive(Status s, BindingRule rule, Collection<Fact> facts, Instant now) {
        record Raw(int version, String basis, Instant since) {
        }
        List<Raw> raw = new ArrayList<>();
        if (s.governingVersion() != null && s.basis() != null && s.basis().since() != null
                && !s.basis().since().isAfter(now)) {
            raw.add(new Raw(s.governingVersion(), s.basis().method(), s.basis().since()));
        }
        if (s.pending() != null) {
            for (Status.Pending p : s.pending()) {
                if (s.governingVersion() != null && p.version() == s.governingVersion()) {
                    continue;
                }
                if ((p.state() == PendingState.EFFECTIVE || p.state() == PendingState.ACCEPTED_EARLY)
                        && p.effectiveForUser() != null && !p.effectiveForUser().isAfter(now)) {
                    raw.add(new Raw(p.version(), basisOf(p, rule, facts), p.effectiveForUser()));
                }
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

    private static String basisOf(Status.Pending p, BindingRule rule, Collection<Fact> facts) {
        for (Fact f : facts) {
            if (f instanceof Fact.Acceptance a && a.version() == p.version() && a.occurredAt().equals(p.effectiveForUser())
                    && a.method() != io.termsledger.consent.domain.Method.USE) {
                return a.method().name();
            }
        }
        if (rule == BindingRule.ON_EFFECTIVE_DATE && p.effectiveForUser().equals(p.effectiveAt())) {
            return "EFFECTIVE_DATE";
        }
        return "USE";
    }
}
