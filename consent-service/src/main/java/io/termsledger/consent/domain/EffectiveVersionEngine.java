package io.termsledger.consent.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The rules of DOMAIN.md §5: which version of an agreement governs a user at an
 * instant, and why. Pure and deterministic: the answer at {@code at} depends only on
 * the policy, the versions and the facts with {@code occurredAt <= at}, never on the
 * order of {@code facts}.
 */
public interface EffectiveVersionEngine {

    Status status(Policy policy, List<VersionInfo> versions, Collection<Fact> facts, Instant at);
}
