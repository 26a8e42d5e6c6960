package io.termsledger.notice.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run of consents.events does to the audience, worked out in memory so that a whole
 * poll is written with one statement: exactly the effect of applying the events one after
 * the other.
 *
 * <ul>
 *   <li>A product's user (consent.product-used.v1) not yet known for its terms is added bound to no
 *       version ({@link #NOT_BOUND}): every revision and admin notice of the terms reaches them
 *       (DOMAIN.md §6, "for product terms, users of that product"); for a known user it changes nothing.</li>
 *   <li>An acceptance adds a user not yet known for the agreement, or known as a user bound to no
 *       version, with the accepted version (a first click or seal binds); for a user bound to a
 *       version it changes nothing.</li>
 *   <li>A binding sets the user's version and its {@code since}, unless the user is already
 *       bound since a later instant (a late, older binding does not overwrite a newer one).</li>
 *   <li>Each added user, and each binding whatever it changed, asks for the deliveries of the
 *       notices still running for the user's version ({@link Join}); a member bound to a higher
 *       version than before asks for those of the revisions still being fanned out that it moved
 *       past ({@link Move}).</li>
 * </ul>
 */
public final class AudienceChanges {

    private AudienceChanges() {
    }

    /** One user of one agreement. */
    public record Pair(String agreementKey, String userId) {
    }

    /** The version of a member who uses the product but is bound to no version of its terms. */
    public static final int NOT_BOUND = 0;

    /** A user's place in the audience: the version bound to, since when (null: unknown). */
    public record Member(int version, Instant since) {
    }

    /** An event of consents.events, as the audience sees it. */
    public sealed interface Change permits Accepted, Bound, Used {
        Pair pair();
    }

    /** consent.accepted.v1: {@code version} accepted at {@code occurredAt}. */
    public record Accepted(Pair pair, int version, Instant occurredAt) implements Change {
    }

    /** consent.bound.v1: bound to {@code version} since {@code since}. */
    public record Bound(Pair pair, int version, Instant since) implements Change {
    }

    /** consent.product-used.v1: the user uses the product the agreement covers. */
    public record Used(Pair pair) implements Change {
    }

    /** The user of {@code pair}, bound to {@code version}, gets the deliveries of the notices running for it. */
    public record Join(Pair pair, int version) {
    }

    /**
     * A member moved up from {@code from} to {@code to}: the revisions in between whose fan-out is still running
     * counted them in their audience (they were bound below) and owe them a delivery the fan-out's later chunks,
     * reading the member's version as it is then, would no longer give.
     */
    public record Move(Pair pair, int from, int to) {
    }

    /** The rows to write (their final state), the joins and the moves, in the order the events asked for them. */
    public record Result(Map<Pair, Member> written, List<Join> joins, List<Move> moves) {
    }

    /** Applies the changes in order to the members as stored ({@code current}: the pairs known). */
    public static Result apply(Map<Pair, Member> current, List<? extends Change> changes) {
        Map<Pair, Member> state = new HashMap<>(current);
        Map<Pair, Member> written = new LinkedHashMap<>();
        Set<Join> joins = new LinkedHashSet<>();
        List<Move> moves = new ArrayList<>();
        for (Change c : changes) {
            Member m = state.get(c.pair());
            if (c instanceof Used) {
                if (m == null) {
                    m = new Member(NOT_BOUND, null);
                    state.put(c.pair(), m);
                    written.put(c.pair(), m);
                    joins.add(new Join(c.pair(), NOT_BOUND));
                }
            } else if (c instanceof Accepted a) {
                if (m == null || m.version() == NOT_BOUND) {
                    if (m != null && a.version() > NOT_BOUND) {
                        moves.add(new Move(c.pair(), NOT_BOUND, a.version()));
                    }
                    m = new Member(a.version(), a.occurredAt());
                    state.put(c.pair(), m);
                    written.put(c.pair(), m);
                    joins.add(new Join(c.pair(), a.version()));
                }
            } else if (c instanceof Bound b) {
                if (m == null || m.since() == null || b.since() == null || !b.since().isBefore(m.since())) {
                    if (m != null && b.version() > m.version()) {
                        moves.add(new Move(c.pair(), m.version(), b.version()));
                    }
                    m = new Member(b.version(), b.since());
                    state.put(c.pair(), m);
                    written.put(c.pair(), m);
                }
                joins.add(new Join(c.pair(), m.version()));
            }
        }
        return new Result(written, new ArrayList<>(joins), moves);
    }
}
