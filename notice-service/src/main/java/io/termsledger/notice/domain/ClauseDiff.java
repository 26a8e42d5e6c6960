package io.termsledger.notice.domain;

import java.util.List;

/**
 * What a revision changed, clause by clause: the diff version-service answers its diff endpoint
 * with ({@link io.termsledger.kit.clauses.ClauseDiff}), run on this service's copies of the two
 * versions' clauses, so a notice lists the same changes as {@code GET …/diff/…} shows.
 */
public final class ClauseDiff {

    private ClauseDiff() {
    }

    public static Changes diff(List<Clause> before, List<Clause> after) {
        io.termsledger.kit.clauses.ClauseDiff.Result<Clause> d = io.termsledger.kit.clauses.ClauseDiff.diff(before, after);
        return new Changes(d.added().stream().map(ClauseDiff::change).toList(),
                d.removed().stream().map(ClauseDiff::change).toList(),
                d.modified().stream().map(m -> new Changes.ModifiedClause(m.id(), m.previousId(), m.heading(), m.before(),
                        m.after(), m.highlighted())).toList(),
                d.highlighted());
    }

    private static Changes.ClauseChange change(Clause c) {
        return new Changes.ClauseChange(c.id(), c.heading(), c.text(), c.highlighted());
    }
}
