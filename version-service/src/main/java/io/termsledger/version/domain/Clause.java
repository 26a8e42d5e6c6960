package io.termsledger.version.domain;

import io.termsledger.kit.clauses.DiffableClause;

/**
 * One clause of an agreement version.
 *
 * @param id          the printed number ({@code 3.2.7}, {@code 十一}, {@code preamble}); a repeated number gets a
 *                    suffix ({@code 2.1.3~2}) so that ids stay unique within a version
 * @param heading     the clause's title when the text prints one ({@code 总则}, {@code 服务内容}), else null
 * @param text        the clause text without its number and without markdown emphasis markers
 * @param highlighted whether the clause is emphasised (printed bold, or named by the author)
 */
public record Clause(String id, String heading, String text, boolean highlighted) implements DiffableClause {

    public Clause withHighlighted(boolean value) {
        return new Clause(id, heading, text, value);
    }
}
