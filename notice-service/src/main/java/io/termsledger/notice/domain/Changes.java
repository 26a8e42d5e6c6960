package io.termsledger.notice.domain;

import io.termsledger.kit.clauses.ClauseDiff;
import java.util.List;

/**
 * What a revision changed, clause by clause. {@code highlighted} lists the ids of the
 * changed clauses that are highlighted (liability limits and exclusions) in either version,
 * so that a notice can call them out.
 */
public record Changes(List<ClauseChange> added, List<ClauseChange> removed, List<ModifiedClause> modified,
                      List<String> highlighted) {

    /**
     * What changed from {@code before} to {@code after}: the diff version-service answers its diff
     * endpoint with ({@link ClauseDiff}), run on this service's copies of the two versions' clauses,
     * so a notice lists the same changes as {@code GET …/diff/…} shows.
     */
    public static Changes between(List<Clause> before, List<Clause> after) {
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(before, after);
        return new Changes(d.added().stream().map(ClauseChange::of).toList(),
                d.removed().stream().map(ClauseChange::of).toList(),
                d.modified().stream().map(m -> new ModifiedClause(m.id(), m.previousId(), m.heading(),
                        m.previousHeading(), m.before(), m.after(), m.highlighted())).toList(),
                d.highlighted());
    }

    public static Changes none() {
        return new Changes(List.of(), List.of(), List.of(), List.of());
    }

    public boolean nothingChanged() {
        return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
    }

    /** A clause present in only one of the versions. */
    public record ClauseChange(String id, String heading, String text, boolean highlighted) {
        static ClauseChange of(Clause c) {
            return new ClauseChange(c.id(), c.heading(), c.text(), c.highlighted());
        }
    }

    /**
     * A clause present in both versions with different text (or highlighting). {@code id} is the
     * clause id in the new version, {@code previousId} the id it had before (they differ when renumbered);
     * {@code heading} the new heading (the old one when the new clause has none), {@code previousHeading}
     * the old one.
     */
    public record ModifiedClause(String id, String previousId, String heading, String previousHeading, String before,
                                 String after, boolean highlighted) {
    }
}
