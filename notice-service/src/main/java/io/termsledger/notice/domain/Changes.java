package io.termsledger.notice.domain;

import java.util.List;

/**
 * What a revision changed, clause by clause. {@code highlighted} lists the ids of the
 * changed clauses that are highlighted (liability limits and exclusions) in either version,
 * so that a notice can call them out.
 */
public record Changes(List<ClauseChange> added, List<ClauseChange> removed, List<ModifiedClause> modified,
                      List<String> highlighted) {

    public static Changes none() {
        return new Changes(List.of(), List.of(), List.of(), List.of());
    }

    public boolean nothingChanged() {
        return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
    }

    /** A clause present in only one of the versions. */
    public record ClauseChange(String id, String heading, String text, boolean highlighted) {
    }

    /**
     * A clause present in both versions with different text (or highlighting). {@code id} is the
     * clause id in the new version, {@code previousId} the id it had before (they differ when renumbered).
     */
    public record ModifiedClause(String id, String previousId, String heading, String before, String after,
                                 boolean highlighted) {
    }
}
