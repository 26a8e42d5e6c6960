package io.termsledger.notice.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.termsledger.notice.domain.AudienceChanges.Accepted;
import io.termsledger.notice.domain.AudienceChanges.Bound;
import io.termsledger.notice.domain.AudienceChanges.Change;
import io.termsledger.notice.domain.AudienceChanges.Join;
import io.termsledger.notice.domain.AudienceChanges.Member;
import io.termsledger.notice.domain.AudienceChanges.Pair;
import io.termsledger.notice.domain.AudienceChanges.Result;
import io.termsledger.notice.domain.AudienceChanges.Used;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudienceChangesTest {

    private static final Pair ANN = new Pair("tos", "ann");
    private static final Pair BOB = new Pair("tos", "bob");
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void anAcceptanceAddsAnUnknownUserWithTheAcceptedVersionAndLeavesAKnownOneAlone() {
        Result r = AudienceChanges.apply(Map.of(BOB, new Member(1, T1)),
                List.of(new Accepted(ANN, 2, T2), new Accepted(BOB, 2, T2)));
        assertEquals(Map.of(ANN, new Member(2, T2)), r.written());
        assertEquals(List.of(new Join(ANN, 2)), r.joins());
    }

    @Test
    void aProductsUserJoinsBoundToNoVersionUntilTheyAcceptOrAreBound() {
        Result r = AudienceChanges.apply(Map.of(BOB, new Member(1, T1)), List.of(new Used(ANN), new Used(BOB)));
        assertEquals(Map.of(ANN, new Member(AudienceChanges.NOT_BOUND, null)), r.written());
        assertEquals(List.of(new Join(ANN, AudienceChanges.NOT_BOUND)), r.joins());

        Member user = new Member(AudienceChanges.NOT_BOUND, null);
        assertEquals(Map.of(ANN, new Member(2, T2)),
                AudienceChanges.apply(Map.of(ANN, user), List.of(new Accepted(ANN, 2, T2))).written());
        assertEquals(Map.of(ANN, new Member(1, T1)),
                AudienceChanges.apply(Map.of(ANN, user), List.of(new Bound(ANN, 1, T1))).written());
        assertEquals(Map.of(), AudienceChanges.apply(Map.of(ANN, new Member(2, T2)), List.of(new Used(ANN))).written());
    }

    @Test
    void aBindingReplacesAnOlderOneAndALateOlderBindingChangesNothingButStillJoins() {
        Result newer = AudienceChanges.apply(Map.of(ANN, new Member(1, T1)), List.of(new Bound(ANN, 2, T2)));
        assertEquals(Map.of(ANN, new Member(2, T2)), newer.written());
        assertEquals(List.of(new Join(ANN, 2)), newer.joins());

        Result older = AudienceChanges.apply(Map.of(ANN, new Member(2, T2)), List.of(new Bound(ANN, 1, T1)));
        assertEquals(Map.of(), older.written());
        assertEquals(List.of(new Join(ANN, 2)), older.joins());
    }

    @Test
    void aBindingWithoutInstantOrOverOneWithoutInstantAlwaysApplies() {
        assertEquals(Map.of(ANN, new Member(1, null)),
                AudienceChanges.apply(Map.of(ANN, new Member(2, T2)), List.of(new Bound(ANN, 1, null))).written());
        assertEquals(Map.of(ANN, new Member(1, T1)),
                AudienceChanges.apply(Map.of(ANN, new Member(2, null)), List.of(new Bound(ANN, 1, T1))).written());
    }

    @Test
    void eventsOfOneUserInOnePollAreFoldedInOrder() {
        Result r = AudienceChanges.apply(Map.of(), List.of(new Accepted(ANN, 1, T1), new Bound(ANN, 2, T2),
                new Bound(ANN, 1, T1), new Accepted(ANN, 3, T2)));
        assertEquals(Map.of(ANN, new Member(2, T2)), r.written());
        // the join at version 1 came first and stays: it reaches notices above 1 that the final version does not
        assertEquals(List.of(new Join(ANN, 1), new Join(ANN, 2)), r.joins());
    }

    @Test
    void aPollHasExactlyTheEffectOfItsEventsAppliedOneAfterTheOther() {
        Random random = new Random(20261125);
        List<Pair> pairs = List.of(ANN, BOB, new Pair("privacy", "ann"));
        List<Instant> instants = new ArrayList<>(List.of(T1, T2, T2.plusSeconds(60)));
        instants.add(null);
        for (int round = 0; round < 500; round++) {
            Map<Pair, Member> stored = new HashMap<>();
            if (random.nextBoolean()) {
                stored.put(BOB, new Member(1 + random.nextInt(3), instants.get(random.nextInt(instants.size()))));
            }
            List<Change> poll = new ArrayList<>();
            for (int i = random.nextInt(8); i >= 0; i--) {
                Pair p = pairs.get(random.nextInt(pairs.size()));
                int v = 1 + random.nextInt(3);
                Instant at = instants.get(random.nextInt(instants.size()));
                poll.add(random.nextBoolean() ? new Accepted(p, v, at == null ? T1 : at) : new Bound(p, v, at));
            }

            Result batch = AudienceChanges.apply(stored, poll);
            Map<Pair, Member> oneByOne = new HashMap<>(stored);
            LinkedHashSet<Join> joins = new LinkedHashSet<>();
            for (Change c : poll) {
                Result step = AudienceChanges.apply(oneByOne, List.of(c));
                oneByOne.putAll(step.written());
                joins.addAll(step.joins());
            }
            Map<Pair, Member> afterBatch = new HashMap<>(stored);
            afterBatch.putAll(batch.written());
            assertEquals(oneByOne, afterBatch, "poll " + poll);
            assertEquals(new ArrayList<>(joins), batch.joins(), "poll " + poll);
        }
    }
}
