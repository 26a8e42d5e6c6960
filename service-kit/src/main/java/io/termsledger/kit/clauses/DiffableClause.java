package io.termsledger.kit.clauses;

/**
 * What {@link ClauseDiff} reads of a clause: version-service's clauses (split from the text) and
 * notice-service's copies of them (from {@code agreement.version.published.v1}) both provide it.
 */
public interface DiffableClause {

    /** The printed number; a number repeated within a version carries {@link ClauseDiff#DUPLICATE_SEPARATOR} and a count. */
    String id();

    /** The clause's title when the text prints one, else null. */
    String heading();

    String text();

    /** Whether the clause is emphasised (a liability limit or exclusion, printed bold). */
    boolean highlighted();
}
