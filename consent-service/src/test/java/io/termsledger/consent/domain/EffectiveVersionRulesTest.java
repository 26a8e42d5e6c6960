package io.termsledger.consent.domain;

import static io.termsledger.consent.domain.Fx.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One nested class per rule of DOMAIN.md §5. Unless stated otherwise: v1 in effect from day 0, v2 announced day 10
 * and effective day 17, the user clicked v1 on day 1.
 */
class EffectiveVersionRulesTest {

    static final Fact.Acceptance SIGNUP = click("signup", day(1), 1);

    @Nested
    class Rule1ExplicitAcceptance {

        @Test
        void clickBeforeTheDateBindsFromTheClickAcceptedEarlyThenEffective() {
            Fact c = click("c2", day(12), 2);
            Status before = status(onDate(), twoVersions(), day(13), SIGNUP, c);
            assertGoverned(before, 2, "CLICK", day(12));
            assertEquals("c2", before.basis().eventId());
            assertPending(before, 2, PendingState.ACCEPTED_EARLY, day(12));

            Status after = status(onDate(), twoVersions(), day(20), SIGNUP, c);
            assertGoverned(after, 2, "CLICK", day(12));
            assertPending(after, 2, PendingState.EFFECTIVE, day(12));
        }

        @Test
        void sealBindsFromTheSealEvenUnderContinuedUse() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(14), SIGNUP, seal("s2", day(11), 2));
            assertGoverned(s, 2, "SEAL", day(11));
            assertPending(s, 2, PendingState.ACCEPTED_EARLY, day(11));
        }

        /** §4: a fact cannot predate the version's notice, so one at the notice instant itself is valid and binds. */
        @Test
        void clickAtExactlyTheNoticeInstantBinds() {
            Status s = status(onDate(), twoVersions(), day(11), SIGNUP, click("c2", day(10), 2));
            assertGoverned(s, 2, "CLICK", day(10));
            assertPending(s, 2, PendingState.ACCEPTED_EARLY, day(10));

            Status justBefore = status(onDate(), twoVersions(), day(11), SIGNUP, click("c2", day(10).minusNanos(1000), 2));
            assertGoverned(justBefore, 1, "CLICK", day(1));
        }

        @Test
        void clickAfterTheDateWithoutUseBindsFromTheClick() {
            Status s = status(onUse(), twoVersions(), day(30), SIGNUP, click("c2", day(25), 2));
            assertGoverned(s, 2, "CLICK", day(25));
            assertPending(s, 2, PendingState.EFFECTIVE, day(25));
        }
    }

    @Nested
    class Rule2OnEffectiveDate {

        @Test
        void bindsExactlyAtTheEffectiveDate() {
            Status eve = status(onDate(), twoVersions(), day(17).minusSeconds(1), SIGNUP);
            assertGoverned(eve, 1, "CLICK", day(1));
            assertPending(eve, 2, PendingState.SCHEDULED, null);
            assertEquals(day(17), pending(eve, 2).effectiveAt());

            Status at = status(onDate(), twoVersions(), day(17), SIGNUP);
            assertGoverned(at, 2, Status.Basis.EFFECTIVE_DATE, day(17));
            assertNull(at.basis().eventId());
            assertPending(at, 2, PendingState.EFFECTIVE, day(17));
        }

        @Test
        void anObjectionBeforeTheDateKeepsTheUserOnTheirVersion() {
            Status s = status(onDate(), twoVersions(), day(40), SIGNUP, object("o2", day(16), 2));
            assertGoverned(s, 1, "CLICK", day(1));
            assertPending(s, 2, PendingState.OBJECTED, null);
        }

        @Test
        void anObjectionAtExactlyTheDateComesTooLate() {
            Status s = status(onDate(), twoVersions(), day(20), SIGNUP, object("o2", day(17), 2));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(17));
            assertEquals("o2", note(s, Status.Note.OBJECTION_AFTER_BINDING).eventId());
        }

        @Test
        void aUserWhoJoinsOnAnOlderVersionAfterTheDateIsBoundAtOnce() {
            Status s = status(onDate(), twoVersions(), day(30), click("late", day(20), 1));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(20));
            assertPending(s, 2, PendingState.EFFECTIVE, day(20));
        }

        @Test
        void aLateJoinerWhoHadObjectedIsNotBoundByThePastDate() {
            Status s = status(onDate(), twoVersions(), day(30), object("o2", day(12), 2), click("late", day(20), 1));
            assertGoverned(s, 1, "CLICK", day(20));
            assertPending(s, 2, PendingState.OBJECTED, null);
        }

        @Test
        void useIsNotNeeded() {
            Status s = status(onDate(), twoVersions(), day(18), SIGNUP, use(day(2)));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(17));
        }
    }

    @Nested
    class Rule3OnContinuedUse {

        @Test
        void scheduledBeforeTheDateAwaitingUseAfterItBoundByTheFirstUseAtOrAfterIt() {
            Fact[] facts = {SIGNUP, use(day(5)), use(day(12)), use(day(19)), use(day(25))};
            Status s16 = status(onUse(), twoVersions(), day(16), facts);
            assertGoverned(s16, 1, "CLICK", day(1));
            assertPending(s16, 2, PendingState.SCHEDULED, null);

            Status s18 = status(onUse(), twoVersions(), day(18), facts);
            assertGoverned(s18, 1, "CLICK", day(1));
            assertPending(s18, 2, PendingState.AWAITING_USE, null);

            Status s30 = status(onUse(), twoVersions(), day(30), facts);
            assertGoverned(s30, 2, "USE", day(19));
            assertNull(s30.basis().eventId());
            assertPending(s30, 2, PendingState.EFFECTIVE, day(19));
        }

        @Test
        void aUseAtExactlyTheEffectiveDateBinds() {
            Status s = status(onUse(), twoVersions(), day(17), SIGNUP, use(day(17)));
            assertGoverned(s, 2, "USE", day(17));
        }

        @Test
        void theDateAloneDoesNotBind() {
            Status s = status(onUse(), twoVersions(), day(400), SIGNUP);
            assertGoverned(s, 1, "CLICK", day(1));
            assertPending(s, 2, PendingState.AWAITING_USE, null);
        }

        @Test
        void aUseAcceptanceFactCountsAsAUseSignal() {
            Status s = status(onUse(), twoVersions(), day(30), SIGNUP, useAcceptance("u2", day(20), 2));
            assertGoverned(s, 2, "USE", day(20));
            assertEquals("u2", s.basis().eventId());
            assertFalse(hasNote(s, Status.Note.USE_NAMES_OTHER_VERSION));
        }

        @Test
        void aUseAcceptanceNamingANotYetEffectiveVersionDoesNotBindIt() {
            Status s = status(onUse(), twoVersions(), day(14), SIGNUP, useAcceptance("u2", day(12), 2));
            assertGoverned(s, 1, "CLICK", day(1));
            assertEquals("u2", note(s, Status.Note.USE_NAMES_OTHER_VERSION).eventId());
        }
    }

    @Nested
    class Rule4Objection {

        @Test
        void continuedUseAfterAnObjectionBindsAndTheLapseIsFlagged() {
            Fact o = object("o2", day(12), 2);
            Status objected = status(onUse(), twoVersions(), day(18), SIGNUP, o, use(day(14)));
            assertGoverned(objected, 1, "CLICK", day(1));
            assertPending(objected, 2, PendingState.OBJECTED, null);

            Status lapsed = status(onUse(), twoVersions(), day(30), SIGNUP, o, use(day(14)), use(day(20)));
            assertGoverned(lapsed, 2, "USE", day(20));
            assertPending(lapsed, 2, PendingState.EFFECTIVE, day(20));
            assertNote(lapsed, Status.Note.OBJECTION_LAPSED_BY_USE, "o2", day(20));
        }

        @Test
        void underOnEffectiveDateAUseAfterTheDateAlsoLapsesTheObjection() {
            Fact o = object("o2", day(12), 2);
            Status s = status(onDate(), twoVersions(), day(30), SIGNUP, o, use(day(15)), use(day(21)));
            assertGoverned(s, 2, "USE", day(21));
            assertTrue(hasNote(s, Status.Note.OBJECTION_LAPSED_BY_USE));

            Status noUseAfter = status(onDate(), twoVersions(), day(30), SIGNUP, o, use(day(15)));
            assertGoverned(noUseAfter, 1, "CLICK", day(1));
            assertPending(noUseAfter, 2, PendingState.OBJECTED, null);
        }

        /** A user never bound before who objected to the revision and then uses the service. */
        @Test
        void aNewUsersObjectionLapsedByTheirFirstUseIsFlagged() {
            Status s = status(onUse(), twoVersions(), day(30), object("o2", day(12), 2), use(day(18)));
            assertGoverned(s, 2, "USE", day(18));
            assertNote(s, Status.Note.OBJECTION_LAPSED_BY_USE, "o2", day(18));
        }

        @Test
        void aNewUsersObjectionSupersededByTheirClickIsFlagged() {
            Status s = status(onDate(), twoVersions(), day(14), object("o2", day(11), 2), click("c2", day(13), 2));
            assertGoverned(s, 2, "CLICK", day(13));
            assertEquals("o2", note(s, Status.Note.OBJECTION_SUPERSEDED).eventId());
            // a click of the older version leaves the objection to the newer one open
            Status older = status(onDate(), twoVersions(), day(14), object("o2", day(11), 2), click("c1", day(13), 1));
            assertFalse(hasNote(older, Status.Note.OBJECTION_SUPERSEDED));
        }

        @Test
        void anObjectionWhileAwaitingUseStillCounts() {
            Status s = status(onUse(), twoVersions(), day(30), SIGNUP, object("o2", day(20), 2));
            assertPending(s, 2, PendingState.OBJECTED, null);
        }

        @Test
        void anExplicitAcceptanceAfterAnObjectionBindsAndSupersedesIt() {
            Status s = status(onDate(), twoVersions(), day(14), SIGNUP, object("o2", day(11), 2), click("c2", day(13), 2));
            assertGoverned(s, 2, "CLICK", day(13));
            assertPending(s, 2, PendingState.ACCEPTED_EARLY, day(13));
            assertEquals("o2", note(s, Status.Note.OBJECTION_SUPERSEDED).eventId());
        }

        @Test
        void anObjectionAfterAnExplicitAcceptanceHasNoEffect() {
            Status s = status(onDate(), twoVersions(), day(20), SIGNUP, click("c2", day(11), 2), object("o2", day(13), 2));
            assertGoverned(s, 2, "CLICK", day(11));
            assertEquals("o2", note(s, Status.Note.OBJECTION_AFTER_BINDING).eventId());
        }
    }

    @Nested
    class Rule5SealPrevails {

        @Test
        void neitherDateNorUseNorClickMovesASealedUser() {
            Fact sealed = seal("s1", day(1), 1);
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), sealed, use(day(20)), click("c2", day(21), 2));
            assertGoverned(s, 1, "SEAL", day(1));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
            Status.Note n = note(s, Status.Note.CLICK_BESIDE_SEAL);
            assertEquals("c2", n.eventId());
            assertTrue(n.message().contains("v1"), n.message());

            Policy dateSeal = policy(7, BindingRule.ON_EFFECTIVE_DATE, true, Method.CLICK, Method.SEAL);
            Status byDate = status(dateSeal, twoVersions(), day(30), sealed);
            assertGoverned(byDate, 1, "SEAL", day(1));
            assertPending(byDate, 2, PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void aNewUserWhoSealsAnOlderVersionAfterTheDateStaysOnIt() {
            Policy dateSeal = policy(7, BindingRule.ON_EFFECTIVE_DATE, true, Method.CLICK, Method.SEAL);
            Status s = status(dateSeal, twoVersions(), day(30), seal("s1", day(20), 1));
            assertGoverned(s, 1, "SEAL", day(20));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void aUseAcceptanceOfTheRevisionIsRecordedBesideTheSeal() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), seal("s1", day(1), 1), useAcceptance("u2", day(20), 2));
            assertGoverned(s, 1, "SEAL", day(1));
            assertEquals("u2", note(s, Status.Note.USE_BESIDE_SEAL).eventId());
        }

        @Test
        void blockedFromTheNoticeOn() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(11), seal("s1", day(1), 1));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void sealingTheRevisionMovesTheUser() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), seal("s1", day(1), 1), seal("s2", day(25), 2));
            assertGoverned(s, 2, "SEAL", day(25));
            assertPending(s, 2, PendingState.EFFECTIVE, day(25));
        }

        @Test
        void withoutSealPrevailsASealIsAnOrdinaryAcceptance() {
            Status s = status(onUse(), twoVersions(), day(30), seal("s1", day(1), 1), use(day(20)));
            assertGoverned(s, 2, "USE", day(20));
        }

        @Test
        void sealingTheGoverningVersionTurnsTheBindingIntoASeal() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), SIGNUP, seal("s1", day(5), 1), use(day(20)));
            assertGoverned(s, 1, "SEAL", day(1));
            assertEquals("s1", s.basis().eventId());
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
            assertTrue(hasNote(s, Status.Note.SEAL_CONFIRMS_GOVERNING_VERSION));
        }

        @Test
        void aSealedUsersObjectionIsReportedAsBlocked() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), seal("s1", day(1), 1), object("o2", day(12), 2));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
        }
    }

    @Nested
    class Rule6NewUsers {

        @Test
        void aFirstClickBindsTheVersionAcceptedEvenIfNotYetEffective() {
            Status s = status(onDate(), twoVersions(), day(12), click("c2", day(11), 2));
            assertGoverned(s, 2, "CLICK", day(11));
            assertEquals(List.of(), s.pending());
        }

        @Test
        void aFirstSealBindsTheVersionSealed() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(12), seal("s1", day(11), 1));
            assertGoverned(s, 1, "SEAL", day(11));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void aFirstUseBindsTheVersionInEffectAtThatInstant() {
            Status early = status(onUse(), twoVersions(), day(30), use(day(12)));
            assertGoverned(early, 1, "USE", day(12));
            assertPending(early, 2, PendingState.AWAITING_USE, null);

            Status late = status(onUse(), twoVersions(), day(30), use(day(18)));
            assertGoverned(late, 2, "USE", day(18));
            assertEquals(List.of(), late.pending());
        }

        @Test
        void methodsNotAllowedDoNotBind() {
            Policy clickOnly = policy(7, BindingRule.ON_CONTINUED_USE, false, Method.CLICK);
            Status s = status(clickOnly, twoVersions(), day(30), use(day(3)), use(day(4)), seal("s1", day(5), 1));
            assertNull(s.governingVersion());
            assertEquals(2, s.notes().stream().filter(n -> n.code().equals(Status.Note.METHOD_NOT_ALLOWED)).count(),
                    () -> "one note for the uses (not one per signal), one for the seal: " + s.notes());
            assertTrue(hasNote(s, Status.Note.NOT_BOUND));

            Status continued = status(clickOnly, twoVersions(), day(30), SIGNUP, use(day(20)));
            assertGoverned(continued, 1, "CLICK", day(1));
            assertPending(continued, 2, PendingState.AWAITING_USE, null);
            assertTrue(hasNote(continued, Status.Note.METHOD_NOT_ALLOWED));
        }

        @Test
        void aUserBoundToNothingHasNoBasisAndNoPendingList() {
            Status s = status(onDate(), twoVersions(), day(30), object("o2", day(12), 2));
            assertNull(s.governingVersion());
            assertNull(s.basis());
            assertEquals(List.of(), s.pending());
            assertEquals(Status.Note.NOT_BOUND, s.notes().get(s.notes().size() - 1).code());
            // the status's own instant says when; the note has none that a stored status could keep past its time
            assertNull(s.notes().get(s.notes().size() - 1).at());
            assertEquals(s.notes().get(s.notes().size() - 1),
                    status(onDate(), twoVersions(), day(40), object("o2", day(12), 2)).notes().get(s.notes().size() - 1));
        }
    }

    @Nested
    class Rule7WithdrawnRevision {

        final List<VersionInfo> versions = List.of(v(1, day(0), day(0)), withdrawn(2, day(10), day(17), day(14)));

        @Test
        void anEarlyAcceptanceRevertsAtWithdrawal() {
            Fact c = click("c2", day(12), 2);
            Status before = status(onDate(), versions, day(13), SIGNUP, c);
            assertGoverned(before, 2, "CLICK", day(12));
            assertPending(before, 2, PendingState.ACCEPTED_EARLY, day(12));

            Status after = status(onDate(), versions, day(14), SIGNUP, c);
            assertGoverned(after, 1, "CLICK", day(1));
            assertEquals("signup", after.basis().eventId());
            assertPending(after, 2, PendingState.WITHDRAWN, null);
            assertNote(after, Status.Note.ACCEPTANCE_REVERTED_BY_WITHDRAWAL, "c2", day(14));
        }

        @Test
        void aWithdrawnRevisionNeverBindsByDateOrUse() {
            Status s = status(onDate(), versions, day(30), SIGNUP, use(day(20)));
            assertGoverned(s, 1, "CLICK", day(1));
            assertPending(s, 2, PendingState.WITHDRAWN, null);
        }

        @Test
        void theUserRevertsToWhereTheOtherRevisionsWouldHavePutThem() {
            List<VersionInfo> three = List.of(v(1, day(0), day(0)), v(2, day(10), day(17)),
                    withdrawn(3, day(11), day(30), day(25)));
            Status s = status(onDate(), three, day(26), SIGNUP, click("c3", day(12), 3));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(17));
            assertPending(s, 2, PendingState.EFFECTIVE, day(17));
            assertPending(s, 3, PendingState.WITHDRAWN, null);
        }

        @Test
        void anAcceptanceAfterTheWithdrawalIsNoted() {
            Status s = status(onDate(), versions, day(20), SIGNUP, click("c2", day(15), 2));
            assertGoverned(s, 1, "CLICK", day(1));
            assertEquals("c2", note(s, Status.Note.WITHDRAWN_VERSION).eventId());
        }
    }

    @Nested
    class Rule8SeveralPendingRevisions {

        final List<VersionInfo> three = List.of(v(1, day(0), day(0)), v(2, day(10), day(17)), v(3, day(20), day(27)));

        @Test
        void eachBindsAtItsOwnDate() {
            Status s = status(onDate(), three, day(30), SIGNUP);
            assertGoverned(s, 3, Status.Basis.EFFECTIVE_DATE, day(27));
            assertPending(s, 2, PendingState.EFFECTIVE, day(17));
            assertPending(s, 3, PendingState.EFFECTIVE, day(27));
        }

        @Test
        void oneUseAfterBothDatesBindsTheHighest() {
            Status s = status(onUse(), three, day(40), SIGNUP, use(day(35)));
            assertGoverned(s, 3, "USE", day(35));
            assertPending(s, 2, PendingState.EFFECTIVE, day(35));
            assertPending(s, 3, PendingState.EFFECTIVE, day(35));
        }

        @Test
        void aUseBetweenTheDatesBindsTheFirstOnly() {
            Status s = status(onUse(), three, day(30), SIGNUP, use(day(22)));
            assertGoverned(s, 2, "USE", day(22));
            assertPending(s, 3, PendingState.AWAITING_USE, null);
        }

        @Test
        void anObjectionIsToOneRevisionALaterOneStillBindsAtItsDate() {
            Status between = status(onDate(), three, day(22), SIGNUP, object("o2", day(12), 2));
            assertGoverned(between, 1, "CLICK", day(1));
            assertPending(between, 2, PendingState.OBJECTED, null);
            assertPending(between, 3, PendingState.SCHEDULED, null);

            Status s = status(onDate(), three, day(30), SIGNUP, object("o2", day(12), 2));
            assertGoverned(s, 3, Status.Basis.EFFECTIVE_DATE, day(27));
            assertPending(s, 2, PendingState.EFFECTIVE, day(27));
            assertEquals("o2", note(s, Status.Note.OBJECTION_SUPERSEDED).eventId());
        }

        @Test
        void aRevisionPassedByALaterRevisionsEarlierDateIsEffectiveNotAcceptedEarly() {
            // v2 was published with a long lead (effective day 40); v3 takes effect sooner (day 27)
            List<VersionInfo> vs = List.of(v(1, day(0), day(0)), v(2, day(10), day(40)), v(3, day(20), day(27)));
            Status s = status(onDate(), vs, day(30), SIGNUP);
            assertGoverned(s, 3, Status.Basis.EFFECTIVE_DATE, day(27));
            assertPending(s, 2, PendingState.EFFECTIVE, day(27));
            assertPending(s, 3, PendingState.EFFECTIVE, day(27));
        }

        @Test
        void aSkippedRevisionKeepsTheInstantTheUserPassedIt() {
            List<VersionInfo> four = List.of(v(1, day(0), day(0)), v(2, day(10), day(17)), v(3, day(12), day(25)),
                    v(4, day(20), day(27)));
            Fact[] facts = {SIGNUP, click("c3", day(13), 3), click("c4", day(21), 4)};
            Status early = status(onUse(), four, day(14), facts);
            assertPending(early, 2, PendingState.ACCEPTED_EARLY, day(13));
            assertPending(early, 3, PendingState.ACCEPTED_EARLY, day(13));

            Status later = status(onUse(), four, day(22), facts);
            assertGoverned(later, 4, "CLICK", day(21));
            assertPending(later, 2, PendingState.EFFECTIVE, day(13));
            assertPending(later, 3, PendingState.ACCEPTED_EARLY, day(13));
            assertPending(later, 4, PendingState.ACCEPTED_EARLY, day(21));
        }

        @Test
        void clickingTheLatestSkipsTheOneInBetween() {
            Status s = status(onUse(), three, day(22), SIGNUP, click("c3", day(21), 3));
            assertGoverned(s, 3, "CLICK", day(21));
            assertPending(s, 2, PendingState.EFFECTIVE, day(21));
            assertPending(s, 3, PendingState.ACCEPTED_EARLY, day(21));
        }
    }

    @Nested
    class Rule9GoingBack {

        @Test
        void acceptingAnOlderVersionDoesNotMoveTheUserBack() {
            Status s = status(onDate(), twoVersions(), day(30), click("c2", day(20), 2), click("c1", day(21), 1));
            assertGoverned(s, 2, "CLICK", day(20));
            assertEquals("c1", note(s, Status.Note.OLDER_VERSION_ACCEPTED).eventId());
        }

        @Test
        void aSealOfAnOlderVersionGovernsUnderSealPrevails() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), SIGNUP, use(day(20)), seal("s1", day(22), 1));
            assertGoverned(s, 1, "SEAL", day(22));
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
            assertEquals("s1", note(s, Status.Note.SEAL_GOVERNS_OLDER_VERSION).eventId());
        }

        @Test
        void afterASealGoingBackThePendingListStartsAtTheSealedVersion() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), click("c2", day(20), 2), seal("s1", day(22), 1));
            assertGoverned(s, 1, "SEAL", day(22));
            assertEquals(List.of(2), s.pending().stream().map(Status.Pending::version).toList());
            assertPending(s, 2, PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void aSealOfAnOlderVersionGovernsOverANewerSeal() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), seal("s2", day(20), 2), seal("s1", day(22), 1));
            assertGoverned(s, 1, "SEAL", day(22));
            assertTrue(hasNote(s, Status.Note.SEAL_GOVERNS_OLDER_VERSION));
        }

        @Test
        void aUseAcceptanceOfAnOlderVersionIsNoted() {
            Status s = status(onUse(), twoVersions(), day(30), click("c2", day(12), 2), useAcceptance("u1", day(20), 1));
            assertGoverned(s, 2, "CLICK", day(12));
            assertNote(s, Status.Note.OLDER_VERSION_ACCEPTED, "u1", day(20));
        }

        @Test
        void aUseAcceptanceOfAnOlderVersionBesideASealIsNoted() {
            Status s = status(onUseSealPrevails(), twoVersions(), day(30), seal("s2", day(12), 2),
                    useAcceptance("u1", day(20), 1));
            assertGoverned(s, 2, "SEAL", day(12));
            assertEquals("u1", note(s, Status.Note.OLDER_VERSION_ACCEPTED).eventId());
        }

        /** The use moves the user from v1 to v2 by continued use: naming the version they held is no going back. */
        @Test
        void aUseAcceptanceOfTheVersionTheUseLeavesIsNotNoted() {
            Status s = status(onUse(), twoVersions(), day(30), SIGNUP, useAcceptance("u1", day(20), 1));
            assertGoverned(s, 2, "USE", day(20));
            assertFalse(hasNote(s, Status.Note.OLDER_VERSION_ACCEPTED));
        }

        @Test
        void withoutSealPrevailsASealOfAnOlderVersionIsJustNoted() {
            Status s = status(onUse(), twoVersions(), day(30), SIGNUP, use(day(20)), seal("s1", day(22), 1));
            assertGoverned(s, 2, "USE", day(20));
            assertTrue(hasNote(s, Status.Note.OLDER_VERSION_ACCEPTED));
        }
    }

    @Nested
    class Rule10DeterminismAndIndividualDelivery {

        @Test
        void factsAfterTheInstantAskedAreIgnored() {
            Status s = status(onUse(), twoVersions(), day(20), SIGNUP, use(day(21)), click("c2", day(22), 2));
            assertGoverned(s, 1, "CLICK", day(1));
            assertPending(s, 2, PendingState.AWAITING_USE, null);
        }

        @Test
        void aFutureInstantGivesTheProjection() {
            Status s = status(onDate(), twoVersions(), day(11), SIGNUP);
            assertPending(s, 2, PendingState.SCHEDULED, null);
            Status projected = status(onDate(), twoVersions(), day(100), SIGNUP);
            assertGoverned(projected, 2, Status.Basis.EFFECTIVE_DATE, day(17));
        }

        @Test
        void aRevisionPublishedAfterTheInstantAskedIsNotListed() {
            Status s = status(onDate(), twoVersions(), day(9), SIGNUP);
            assertEquals(List.of(), s.pending());
        }

        @Test
        void individualDeliveryRunsTheLeadTimeFromTheUsersDelivery() {
            Policy p = individual(7, BindingRule.ON_EFFECTIVE_DATE, SHANGHAI);
            Fact d = delivered(2, day(12, 6));
            Status notYet = status(p, twoVersions(), day(19), SIGNUP, d);
            assertGoverned(notYet, 1, "CLICK", day(1));
            assertPending(notYet, 2, PendingState.SCHEDULED, null);
            assertEquals(day(19, 6), pending(notYet, 2).effectiveAt());

            Status bound = status(p, twoVersions(), day(19, 6), SIGNUP, d);
            assertGoverned(bound, 2, Status.Basis.EFFECTIVE_DATE, day(19, 6));
        }

        /** Rule 3 with E_u later than E: a use between E and E_u binds nothing; the first use at or after E_u binds. */
        @Test
        void individualDeliveryUnderContinuedUseWaitsForTheUsersOwnDate() {
            Policy p = individual(7, BindingRule.ON_CONTINUED_USE, SHANGHAI);
            Fact d = delivered(2, day(12, 6)); // E_u = day 19, 06:00; E = day 17
            Status between = status(p, twoVersions(), day(19), SIGNUP, d, use(day(18)));
            assertGoverned(between, 1, "CLICK", day(1));
            assertPending(between, 2, PendingState.SCHEDULED, null);
            assertEquals(day(19, 6), pending(between, 2).effectiveAt());

            Status after = status(p, twoVersions(), day(20), SIGNUP, d, use(day(18)), use(day(19, 6)));
            assertGoverned(after, 2, "USE", day(19, 6));
            assertPending(after, 2, PendingState.EFFECTIVE, day(19, 6));
        }

        /** Rules 2 and 4 with E_u later than E: an objection before E_u counts, and only a use at or after E_u lapses it. */
        @Test
        void individualDeliveryMeasuresObjectionsAndTheirLapseFromTheUsersOwnDate() {
            Policy p = individual(7, BindingRule.ON_EFFECTIVE_DATE, SHANGHAI);
            Fact d = delivered(2, day(12, 6));
            Fact o = object("o2", day(18), 2); // after E, before E_u
            Status objected = status(p, twoVersions(), day(30), SIGNUP, d, o, use(day(19)));
            assertGoverned(objected, 1, "CLICK", day(1));
            assertPending(objected, 2, PendingState.OBJECTED, null);

            Status lapsed = status(p, twoVersions(), day(30), SIGNUP, d, o, use(day(19)), use(day(21)));
            assertGoverned(lapsed, 2, "USE", day(21));
            assertEquals(day(21), note(lapsed, Status.Note.OBJECTION_LAPSED_BY_USE).at());
        }

        @Test
        void individualDeliveryNeverBeforeTheAnnouncedDate() {
            Policy p = individual(7, BindingRule.ON_EFFECTIVE_DATE, SHANGHAI);
            Status s = status(p, twoVersions(), day(17), SIGNUP, delivered(2, day(10)), delivered(2, day(8)));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(17));
        }

        @Test
        void withoutDeliveryTheRevisionCannotTakeEffectForTheUser() {
            Policy p = individual(7, BindingRule.ON_CONTINUED_USE, SHANGHAI);
            Status s = status(p, twoVersions(), day(300), SIGNUP, use(day(100)), delivered(3, day(20)));
            assertGoverned(s, 1, "CLICK", day(1));
            assertPending(s, 2, PendingState.SCHEDULED, null);
            assertNull(pending(s, 2).effectiveAt());
        }

        /**
         * History imported from another system brings no delivery records: its revisions take effect at
         * their dates. Before, a user on the earlier version stayed SCHEDULED for them for ever.
         */
        @Test
        void anImportedRevisionTakesEffectAtItsDate() {
            Policy p = individual(7, BindingRule.ON_EFFECTIVE_DATE, SHANGHAI);
            List<VersionInfo> history = List.of(v(1, day(0), day(0)),
                    new VersionInfo(2, day(10), day(17), null, "b".repeat(64), true));
            Status s = status(p, history, day(30), SIGNUP);
            assertGoverned(s, 2, "EFFECTIVE_DATE", day(17));
            assertPending(s, 2, PendingState.EFFECTIVE, day(17));
            // the same revision published through the service waits for the user's delivery
            Status live = status(p, twoVersions(), day(30), SIGNUP);
            assertGoverned(live, 1, "CLICK", day(1));
        }

        @Test
        void individualDeliveryCountsCalendarDaysInThePolicyZone() {
            ZoneId berlin = ZoneId.of("Europe/Berlin");
            Instant notice = ZonedDateTime.of(2026, 3, 24, 9, 0, 0, 0, berlin).toInstant();
            Instant delivery = ZonedDateTime.of(2026, 3, 25, 10, 0, 0, 0, berlin).toInstant();
            Instant expected = ZonedDateTime.of(2026, 4, 1, 10, 0, 0, 0, berlin).toInstant(); // 7 days, 167 hours (DST)
            List<VersionInfo> vs = List.of(v(1, day(0), day(0)), v(2, notice, notice.plusSeconds(7 * 86400)));
            Status s = status(individual(7, BindingRule.ON_EFFECTIVE_DATE, berlin), vs, expected, SIGNUP, delivered(2, delivery));
            assertEquals(expected, pending(s, 2).effectiveAt());
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, expected);
        }

        @Test
        void sameInstantFactsAreOrderedByRuleNotByList() {
            Fact c2 = click("c2", day(18), 2);
            Fact u = use(day(18));
            Status a = ENGINE.status(onUse(), twoVersions(), List.of(SIGNUP, u, c2), day(20));
            Status b = ENGINE.status(onUse(), twoVersions(), List.of(c2, u, SIGNUP), day(20));
            assertEquals(a, b);
            assertGoverned(a, 2, "CLICK", day(18)); // the explicit acceptance counts before the use

            Fact s1 = seal("s1", day(5), 1);
            Fact c1 = click("c1", day(5), 1);
            Status sealFirst = ENGINE.status(onUseSealPrevails(), twoVersions(), List.of(s1, c1), day(20));
            Status clickFirst = ENGINE.status(onUseSealPrevails(), twoVersions(), List.of(c1, s1), day(20));
            assertEquals(sealFirst, clickFirst);
            assertGoverned(sealFirst, 1, "SEAL", day(5));
        }

        @Test
        void factsNamingUnpublishedVersionsAreIgnoredAndNoted() {
            Status s = status(onDate(), twoVersions(), day(20), SIGNUP, click("c9", day(12), 9), click("c2", day(5), 2));
            assertGoverned(s, 2, Status.Basis.EFFECTIVE_DATE, day(17));
            assertEquals(2, s.notes().stream().filter(n -> n.code().equals(Status.Note.UNKNOWN_VERSION)).count());
        }
    }

    /** Every state a pending revision can be in, each reached by the shortest path. */
    @Nested
    class EachPendingState {

        @Test
        void scheduled() {
            assertPending(status(onDate(), twoVersions(), day(12), SIGNUP), 2, PendingState.SCHEDULED, null);
        }

        @Test
        void awaitingUse() {
            assertPending(status(onUse(), twoVersions(), day(18), SIGNUP), 2, PendingState.AWAITING_USE, null);
        }

        @Test
        void effective() {
            assertPending(status(onDate(), twoVersions(), day(18), SIGNUP), 2, PendingState.EFFECTIVE, day(17));
        }

        @Test
        void acceptedEarly() {
            assertPending(status(onDate(), twoVersions(), day(12), SIGNUP, click("c2", day(11), 2)), 2,
                    PendingState.ACCEPTED_EARLY, day(11));
        }

        @Test
        void objected() {
            assertPending(status(onDate(), twoVersions(), day(12), SIGNUP, object("o2", day(11), 2)), 2,
                    PendingState.OBJECTED, null);
        }

        @Test
        void blockedBySeal() {
            assertPending(status(onUseSealPrevails(), twoVersions(), day(18), seal("s1", day(1), 1)), 2,
                    PendingState.BLOCKED_BY_SEAL, null);
        }

        @Test
        void withdrawnRevision() {
            List<VersionInfo> vs = List.of(v(1, day(0), day(0)), withdrawn(2, day(10), day(17), day(12)));
            assertPending(status(onDate(), vs, day(18), SIGNUP), 2, PendingState.WITHDRAWN, null);
        }
    }
}
