package io.termsledger.notice.domain;

import io.termsledger.kit.clauses.DiffableClause;

/** One numbered clause of a published version, as carried in agreement.version.published.v1. */
public record Clause(String id, String heading, String text, boolean highlighted) implements DiffableClause {
}
