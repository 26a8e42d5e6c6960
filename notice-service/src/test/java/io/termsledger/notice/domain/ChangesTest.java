package io.termsledger.notice.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChangesTest {

    private static Clause c(String id, String text) {
        return new Clause(id, null, text, false);
    }

    private static Clause h(String id, String text) {
        return new Clause(id, null, text, true);
    }

    @Test
    void identicalVersionsHaveNoChanges() {
        List<Clause> v = List.of(c("1", "甲方提供服务。"), c("2", "乙方支付费用。"));
        Changes d = Changes.between(v, v);
        assertTrue(d.nothingChanged());
        assertTrue(d.highlighted().isEmpty());
    }

    @Test
    void addedRemovedAndModifiedClausesAreFound() {
        List<Clause> before = List.of(c("1", "Provider offers the service."), c("2", "Fees are due monthly."),
                c("3", "Disputes go to the Hangzhou court."));
        List<Clause> after = List.of(c("1", "Provider offers the service."), c("2", "Fees are due yearly in advance."),
                c("4", "Data is kept for 7 natural days after termination."));
        Changes d = Changes.between(before, after);
        assertEquals(1, d.modified().size());
        assertEquals("2", d.modified().get(0).id());
        assertEquals("Fees are due monthly.", d.modified().get(0).before());
        assertEquals("Fees are due yearly in advance.", d.modified().get(0).after());
        assertEquals(List.of("4"), d.added().stream().map(Changes.ClauseChange::id).toList());
        assertEquals(List.of("3"), d.removed().stream().map(Changes.ClauseChange::id).toList());
    }

    @Test
    void repeatedClauseNumbersArePairedByPositionAndText() {
        // seed 000 prints two clauses numbered 2.1.3; only the second one changes
        List<Clause> before = List.of(c("2.1.2", "Register with a real name."), c("2.1.3", "Keep the password secret."),
                c("2.1.3", "Tell us at once of any misuse."), c("2.1.4", "Do not share the account."));
        List<Clause> after = List.of(c("2.1.2", "Register with a real name."), c("2.1.3", "Keep the password secret."),
                c("2.1.3", "Tell us within 24 hours of any misuse."), c("2.1.4", "Do not share the account."));
        Changes d = Changes.between(before, after);
        assertEquals(1, d.modified().size());
        assertEquals("Tell us at once of any misuse.", d.modified().get(0).before());
        assertTrue(d.added().isEmpty());
        assertTrue(d.removed().isEmpty());
    }

    @Test
    void renumberedButUnchangedClausesAreNotReportedAndInsertionsDoNotShiftPairs() {
        // a clause inserted at the top renumbers everything below it: pairing by id alone
        // would report every clause as modified
        List<Clause> before = List.of(c("1", "Scope of the service."), c("2", "Fees and payment."),
                c("3", "Liability is limited to the fees of the last 12 months."));
        List<Clause> after = List.of(c("1", "Definitions used in these terms."), c("2", "Scope of the service."),
                c("3", "Fees and payment."), c("4", "Liability is limited to the fees of the last 12 months."));
        Changes d = Changes.between(before, after);
        assertEquals(List.of("1"), d.added().stream().map(Changes.ClauseChange::id).toList());
        assertTrue(d.modified().isEmpty(), d.modified().toString());
        assertTrue(d.removed().isEmpty());
    }

    @Test
    void rewordedClauseUnderANewNumberIsModifiedWhenTheTextsAreSimilar() {
        List<Clause> before = List.of(c("7.1", "Scope."), c("7.2", "我们将提前30日通知您服务终止。"), c("7.3", "End."));
        List<Clause> after = List.of(c("7.1", "Scope."), c("7.2a", "我们将提前30日以公告方式通知您服务终止。"), c("7.3", "End."));
        Changes d = Changes.between(before, after);
        assertEquals(1, d.modified().size());
        assertEquals("7.2a", d.modified().get(0).id());
        assertEquals("7.2", d.modified().get(0).previousId());
        assertTrue(d.added().isEmpty() && d.removed().isEmpty());
    }

    @Test
    void highlightedChangesAreCalledOut() {
        List<Clause> before = List.of(c("1", "Scope."), h("8.4", "We are not liable for indirect loss."),
                c("9", "Notices by email."), h("10", "Liability capped at 100 CNY."));
        List<Clause> after = List.of(c("1", "Scope."), h("8.4", "We are not liable for any loss whatsoever."),
                c("9", "Notices by email or SMS."), h("11", "Claims expire after one year."));
        Changes d = Changes.between(before, after);
        assertTrue(d.highlighted().contains("8.4"), d.highlighted().toString());
        assertTrue(d.highlighted().contains("11"), "an added highlighted clause is called out");
        assertTrue(d.highlighted().contains("10"), "a removed highlighted clause is called out");
        assertTrue(!d.highlighted().contains("9"), "a plain clause is not");
    }

    @Test
    void aClauseThatBecomesHighlightedIsAModification() {
        List<Clause> before = List.of(c("1", "Liability is limited."));
        List<Clause> after = List.of(h("1", "Liability is limited."));
        Changes d = Changes.between(before, after);
        assertEquals(1, d.modified().size());
        assertEquals(List.of("1"), d.highlighted());
    }

    @Test
    void firstRevisionAgainstNothingAddsEverything() {
        Changes d = Changes.between(List.of(), List.of(c("1", "a"), c("2", "b")));
        assertEquals(2, d.added().size());
    }

    @Test
    void whitespaceDifferencesAreNotChanges() {
        Changes d = Changes.between(List.of(c("1", "Fees  are\n due.")), List.of(c("1", " Fees are due. ")));
        assertTrue(d.nothingChanged());
    }
}
