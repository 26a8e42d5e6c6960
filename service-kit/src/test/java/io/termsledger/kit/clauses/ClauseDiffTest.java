package io.termsledger.kit.clauses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules both services' diffs follow, where the two earlier copies of this code disagreed.
 * Seed-based cases are in version-service's and notice-service's own tests.
 */
class ClauseDiffTest {

    private record C(String id, String heading, String text, boolean highlighted) implements DiffableClause {
    }

    private static C c(String id, String text) {
        return new C(id, null, text, false);
    }

    private static List<String> ids(List<? extends DiffableClause> clauses) {
        return clauses.stream().map(DiffableClause::id).toList();
    }

    @Test
    void aNewHeadingOverTheSameTextIsAModification() {
        List<C> before = List.of(c("1", "Scope."), new C("2", "Fees", "Fees are due monthly.", false), c("3", "End."));
        List<C> after = List.of(c("1", "Scope."), new C("2", "Fees and payment", "Fees are due monthly.", false), c("3", "End."));

        ClauseDiff.Result<C> d = ClauseDiff.diff(before, after);

        assertEquals(1, d.modified().size());
        assertEquals("Fees and payment", d.modified().get(0).heading());
        assertEquals(2, d.unchanged());
    }

    @Test
    void theSameNumberOverTextsWithNothingInCommonIsARemovalAndAnAddition() {
        List<C> before = List.of(c("1", "Scope."), c("2", "Disputes go to the Hangzhou court."));
        List<C> after = List.of(c("1", "Scope."), c("2", "我们将提前30日通知您服务终止。"));

        ClauseDiff.Result<C> d = ClauseDiff.diff(before, after);

        assertTrue(d.modified().isEmpty(), d.modified().toString());
        assertEquals(List.of("2"), ids(d.removed()));
        assertEquals(List.of("2"), ids(d.added()));
    }

    @Test
    void theSameNumberNeedsLessTextInCommonThanAnotherNumber() {
        // about a fifth of the bigrams shared: enough for clause 2 kept as 2, not for 2 renumbered to 5
        String old = "Fees are due monthly by bank transfer.";
        String reworded = "Charges fall due each quarter in advance.";
        double similarity = ClauseDiff.similarity(old.replaceAll("\\s+", " "), reworded);
        assertTrue(similarity >= ClauseDiff.SAME_NUMBER_SIMILAR && similarity < ClauseDiff.SIMILAR, "similarity " + similarity);

        ClauseDiff.Result<C> kept = ClauseDiff.diff(List.of(c("2", old)), List.of(c("2", reworded)));
        ClauseDiff.Result<C> renumbered = ClauseDiff.diff(List.of(c("2", old)), List.of(c("5", reworded)));

        assertEquals(List.of("2"), kept.modified().stream().map(ClauseDiff.Modified::id).toList());
        assertTrue(renumbered.modified().isEmpty());
        assertEquals(List.of("5"), ids(renumbered.added()));
        assertEquals(List.of("2"), ids(renumbered.removed()));
    }

    @Test
    void whitespaceInTextOrHeadingIsNoChange() {
        List<C> before = List.of(new C("1", "Fees", "Fees  are\n due.", false));
        List<C> after = List.of(new C("1", " Fees ", " Fees are due. ", false));

        ClauseDiff.Result<C> d = ClauseDiff.diff(before, after);

        assertTrue(d.isEmpty(), d.toString());
        assertEquals(1, d.unchanged());
    }

    @Test
    void aRepeatedNumberPairsWithItsOwnBaseNumber() {
        assertEquals("2.1.3", ClauseDiff.baseId("2.1.3" + ClauseDiff.DUPLICATE_SEPARATOR + "2"));
        assertEquals("十一", ClauseDiff.baseId("十一"));
    }
}
