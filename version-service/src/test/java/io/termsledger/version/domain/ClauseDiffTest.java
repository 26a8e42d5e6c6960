package io.termsledger.version.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.termsledger.kit.clauses.ClauseDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClauseDiffTest {

    static Clause c(String id, String text) {
        return new Clause(id, null, text, false);
    }

    static final List<Clause> BASE = List.of(
            c("1.1", "The provider offers cloud servers to the customer."),
            c("1.2", "Fees are listed on the order page and paid in advance."),
            c("1.3", "Revisions are announced thirty days before they take effect."),
            c("1.4", "The law of the People's Republic of China applies."));

    @Test
    void identicalVersionsHaveNoChanges() {
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(BASE, BASE);
        assertTrue(d.isEmpty());
        assertEquals(4, d.unchanged());
    }

    @Test
    void insertedClauseThatRenumbersTheRestIsOneAddition() {
        List<Clause> after = List.of(BASE.get(0),
                c("1.2", "The customer keeps all rights to uploaded data."),
                c("1.3", BASE.get(1).text()), c("1.4", BASE.get(2).text()), c("1.5", BASE.get(3).text()));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(BASE, after);
        assertEquals(1, d.added().size());
        assertEquals("1.2", d.added().get(0).id());
        assertTrue(d.removed().isEmpty());
        assertTrue(d.modified().isEmpty(), "renumbered but unchanged clauses are not modifications: " + d.modified());
        assertEquals(4, d.unchanged());
    }

    @Test
    void changedTextIsAModificationWithBeforeAndAfter() {
        List<Clause> after = new ArrayList<>(BASE);
        after.set(2, c("1.3", "Revisions are announced sixty days before they take effect."));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(BASE, after);
        assertEquals(1, d.modified().size());
        ClauseDiff.Modified m = d.modified().get(0);
        assertEquals("1.3", m.id());
        assertEquals(BASE.get(2).text(), m.before());
        assertEquals("Revisions are announced sixty days before they take effect.", m.after());
        assertFalse(m.highlighted());
        assertTrue(d.highlighted().isEmpty());
    }

    /**
     * Old 5.1 resembles new 5.2 (the late fee was appended to its text) more than new 5.1, and old 5.2 is
     * new 5.2 with one figure changed. Paired clause by clause, old 5.1 took new 5.2 first and the late-fee
     * clause read as removed; paired best first, the figure's change is what the diff shows.
     */
    @Test
    void theClosestPairsArePairedFirst() {
        List<Clause> before = List.of(c("5.1", "Fees are paid monthly in advance."),
                c("5.2", "Fees are paid monthly in advance. Late fee 0.5% per day."));
        List<Clause> after = List.of(c("5.1", "Disputes go to the courts of Hangzhou."),
                c("5.2", "Fees are paid monthly in advance. Late fee 1% per day."));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(before, after);
        ClauseDiff.Modified fee = d.modified().stream().filter(m -> m.id().equals("5.2")).findFirst().orElseThrow();
        assertEquals("5.2", fee.previousId());
        assertEquals(before.get(1).text(), fee.before());
        assertEquals(after.get(1).text(), fee.after());
        assertEquals(List.of("5.1"), d.removed().stream().map(Clause::id).toList());
        assertEquals(List.of("5.1"), d.added().stream().map(Clause::id).toList());
        assertEquals(1, d.modified().size());
    }

    /** A heading is part of a clause: a clause whose heading alone changed says what it was. */
    @Test
    void aChangedHeadingIsShownBeforeAndAfter() {
        List<Clause> before = List.of(new Clause("8", "免责声明", "本公司不承担间接损失。", false));
        List<Clause> after = List.of(new Clause("8", "责任限制", "本公司不承担间接损失。", false));
        ClauseDiff.Modified m = ClauseDiff.diff(before, after).modified().get(0);
        assertEquals("责任限制", m.heading());
        assertEquals("免责声明", m.previousHeading());
        assertEquals(m.before(), m.after());
    }

    @Test
    void removedAndAddedWhenNothingIsAlike() {
        List<Clause> after = List.of(BASE.get(0), BASE.get(1), BASE.get(3), c("9.9", "Completely new wording about zebras."));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(BASE, after);
        assertEquals(List.of("1.3"), d.removed().stream().map(Clause::id).toList());
        assertEquals(List.of("9.9"), d.added().stream().map(Clause::id).toList());
        assertTrue(d.modified().isEmpty());
    }

    @Test
    void highlightedChangesAreCalledOut() {
        List<Clause> after = new ArrayList<>(BASE);
        after.set(1, BASE.get(1).withHighlighted(true));
        after.add(new Clause("1.5", null, "Liability is limited to the fees of one year.", true));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(BASE, after);
        assertEquals(1, d.modified().size());
        assertTrue(d.modified().get(0).highlightChanged());
        assertTrue(d.modified().get(0).highlighted());
        assertEquals(List.of("1.2", "1.5"), d.highlighted());
    }

    @Test
    void repeatedNumbersArePairedByPositionNotByNumber() throws IOException {
        String text = Files.readString(ClauseSplitterTest.SEEDS.resolve("000_f67e1bccb6ba9459.txt"));
        String revised = text.replace("若因您提供的信息不完全，虚假等", "若因您提供的信息不完整、不真实等")
                .replace("亚云应当提前 7 日在本网站", "亚云应当提前 15 日在本网站");
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(ClauseSplitter.split(text), ClauseSplitter.split(revised));
        assertEquals(List.of("2.1.3~2", "十一"), d.modified().stream().map(ClauseDiff.Modified::id).toList());
        assertTrue(d.added().isEmpty());
        assertTrue(d.removed().isEmpty());
        assertEquals(89, d.unchanged());
    }

    @Test
    void productTermsDiffAgainstGeneralTermsDoNotPairByNumberAlone() throws IOException {
        String text = Files.readString(ClauseSplitterTest.SEEDS.resolve("002_1592abcf59f5d304.txt"));
        String general = text.substring(0, text.indexOf("## 闪电立方专用服务条款"));
        // a revision that deletes general clause 2.1 and adds a new 2.6: 2.2.. keep their text
        String revised = general.replace(general.substring(general.indexOf("2.1. 阿里云将通过"), general.indexOf("2.2. 您可以通过")), "")
                .replace("## 3. 权利及义务", "2.6. 新增条款：阿里云可调整价格，调整前提前30天公告。\n\n## 3. 权利及义务");
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(ClauseSplitter.split(general), ClauseSplitter.split(revised));
        assertEquals(List.of("2.1"), d.removed().stream().map(Clause::id).toList());
        assertEquals(List.of("2.6"), d.added().stream().map(Clause::id).toList());
        assertTrue(d.modified().isEmpty(), d.modified().toString());
    }

    /**
     * A rewrite of every clause of a long version is too many pairs to compare texts: its clauses
     * pair by number, in bounded time and memory, where comparing texts found nothing in common.
     */
    @Test
    void aWholesaleRewriteOfALongVersionPairsClausesByNumber() {
        List<Clause> before = new ArrayList<>();
        List<Clause> after = new ArrayList<>();
        for (int i = 1; i <= ClauseDiff.MAX_CLAUSES; i++) {
            before.add(c(i + ".1", "Old clause " + i + " said abc."));
            after.add(c(i + ".1", "Neu: " + Integer.toHexString(i * 7919) + " xyz!"));
        }
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(before, after);
        assertEquals(ClauseDiff.MAX_CLAUSES, d.modified().size());
        assertTrue(d.added().isEmpty());
        assertTrue(d.removed().isEmpty());
        for (ClauseDiff.Modified m : d.modified()) {
            assertEquals(m.id(), m.previousId());
        }
    }

    /** What both versions begin and end with is unchanged; the middle is still diffed clause by clause. */
    @Test
    void aChangeBetweenLongCommonRunsIsFound() {
        List<Clause> before = new ArrayList<>();
        List<Clause> after = new ArrayList<>();
        for (int i = 1; i <= 1500; i++) {
            before.add(c(i + ".1", "Clause " + i + " stays as it was."));
            after.add(c(i + ".1", "Clause " + i + " stays as it was."));
        }
        after.set(700, c("701.1", "Clause 701 now says something else entirely."));
        after.add(800, c("800.9", "A new clause in the middle."));
        ClauseDiff.Result<Clause> d = ClauseDiff.diff(before, after);
        assertEquals(List.of("800.9"), d.added().stream().map(Clause::id).toList());
        assertEquals(List.of("701.1"), d.modified().stream().map(ClauseDiff.Modified::id).toList());
        assertTrue(d.removed().isEmpty());
        assertEquals(1499, d.unchanged());
    }
}
