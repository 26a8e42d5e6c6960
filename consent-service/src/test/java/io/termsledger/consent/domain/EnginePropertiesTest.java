package io.termsledger.consent.domain;

import static io.termsledger.consent.domain.Fx.ENGINE;
import static io.termsledger.consent.domain.Fx.SHANGHAI;
import static io.termsledger.consent.domain.Fx.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

/**
 * Properties of the engine over random agreements (any policy), up to four versions (revisions possibly withdrawn)
 * and up to 16 facts of every kind (most users sign up first with an allowed method), on a 6-hour grid so that same-instant ties are frequent. Some facts are invalid
 * on purpose (unknown version, before the version's notice): the engine must stay well-behaved on them too.
 */
class EnginePropertiesTest {

    static final int TRIES = 300;
    static final Duration SLOT = Duration.ofHours(6);
    static final int SLOTS_PER_DAY = 4;

    static Instant slot(int n) {
        return T0.plus(SLOT.multipliedBy(n));
    }

    record VersionSpec(int gapSlots, int extraSlots, boolean withdraw, int withdrawPick) {
    }

    record FactSpec(int kind, int versionPick, int offsetSlots) {
    }

    record Scenario(Policy policy, List<VersionInfo> versions, List<Fact> facts) {

        Status at(Instant t) {
            return ENGINE.status(policy, versions, facts, t);
        }

        Status at(Instant t, List<Fact> otherFacts) {
            return ENGINE.status(policy, versions, otherFacts, t);
        }

        boolean hasWithdrawals() {
            return versions.stream().anyMatch(v -> v.withdrawnAt() != null);
        }

        /** {@code signup} >= 0: the user signs up at that slot with one of the policy's methods (most scenarios). */
        static Scenario build(Policy policy, List<VersionSpec> revisions, List<FactSpec> factSpecs, int signup) {
            List<VersionInfo> versions = new ArrayList<>();
            versions.add(new VersionInfo(1, slot(0), slot(0), null, "sha-1"));
            int notice = 0;
            for (VersionSpec r : revisions) {
                notice += r.gapSlots();
                int effective = notice + policy.noticeDays() * SLOTS_PER_DAY + r.extraSlots();
                Instant withdrawnAt = null;
                if (r.withdraw() && effective > notice) {
                    withdrawnAt = slot(notice + r.withdrawPick() % (effective - notice));
                }
                int n = versions.size() + 1;
                versions.add(new VersionInfo(n, slot(notice), slot(effective), withdrawnAt, "sha-" + n));
            }
            List<Fact> facts = new ArrayList<>();
            if (signup >= 0) {
                List<Method> allowed = List.copyOf(new java.util.TreeSet<>(policy.acceptanceMethods()));
                Method m = allowed.get(signup % allowed.size());
                facts.add(m == Method.USE ? new Fact.Usage(slot(signup)) : new Fact.Acceptance("signup", slot(signup), 1, m));
            }
            for (int i = 0; i < factSpecs.size(); i++) {
                facts.add(fact(factSpecs.get(i), "f" + i, versions));
            }
            return new Scenario(policy, List.copyOf(versions), List.copyOf(facts));
        }

        static Fact fact(FactSpec f, String id, List<VersionInfo> versions) {
            // versionPick 9 names a version that does not exist; otherwise one of the versions
            int version = f.versionPick() == 9 ? versions.size() + 1 : 1 + f.versionPick() % versions.size();
            int base = version <= versions.size() ? (int) (Duration.between(T0, versions.get(version - 1).noticeAt()).toHours() / 6) : 0;
            // offsets below 2 put a fact one slot before its version's notice (invalid, must be ignored)
            Instant t = slot(Math.max(0, base + f.offsetSlots() - 2));
            return switch (f.kind()) {
                case 0 -> new Fact.Acceptance(id, t, version, Method.CLICK);
                case 1 -> new Fact.Acceptance(id, t, version, Method.SEAL);
                case 2 -> new Fact.Acceptance(id, t, version, Method.USE);
                case 3 -> new Fact.Objection(id, t, version);
                case 4 -> new Fact.NoticeDelivered(version, t);
                default -> new Fact.Usage(slot(f.offsetSlots()));
            };
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Policy> policies = Combinators.combine(
                Arbitraries.of(0, 1, 7, 30),
                Arbitraries.of(BindingRule.class),
                Arbitraries.of(true, false),
                Arbitraries.subsetOf(Method.values()).ofMinSize(1),
                Arbitraries.of(NoticeMeasuredFrom.class))
                .as((days, rule, seal, methods, from) -> new Policy(days, rule, seal, methods, from, SHANGHAI));
        Arbitrary<VersionSpec> revision = Combinators.combine(
                uniform(1, 80),
                uniform(0, 20),
                Arbitraries.integers().between(0, 3).map(i -> i == 0),
                Arbitraries.integers().between(0, 1000)).as(VersionSpec::new);
        Arbitrary<Integer> signup = uniform(0, 49).map(i -> i >= 40 ? -1 : i); // 1 in 5 users never signs up
        return Combinators.combine(policies, revision.list().ofMaxSize(3), factSpecs().list().ofMaxSize(16), signup)
                .as(Scenario::build);
    }

    @Provide
    Arbitrary<FactSpec> factSpecs() {
        return Combinators.combine(
                uniform(0, 7), // 5..7: usage signals, the most common fact
                uniform(0, 9),
                uniform(0, 320)).as(FactSpec::new);
    }

    /** Instants asked about: uniform over 150 days (jqwik's default integer distribution favours small values). */
    @Provide
    Arbitrary<Integer> ats() {
        return uniform(0, 600);
    }

    static Arbitrary<Integer> uniform(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    // ---- (a) arrival order does not matter ----

    @Property(tries = TRIES)
    void shuffledFactsGiveTheSameStatus(@ForAll("scenarios") Scenario s, @ForAll("ats") int at,
                                        @ForAll Random random) {
        Status expected = s.at(slot(at));
        List<Fact> shuffled = new ArrayList<>(s.facts());
        Collections.shuffle(shuffled, random);
        assertEquals(expected, s.at(slot(at), shuffled));
        List<Fact> reversed = new ArrayList<>(s.facts());
        Collections.reverse(reversed);
        assertEquals(expected, s.at(slot(at), reversed));
        List<Fact> redelivered = new ArrayList<>(s.facts());
        redelivered.addAll(shuffled);
        assertEquals(expected, s.at(slot(at), redelivered), "a fact seen twice counts once");
    }

    // ---- (b) the answer at T depends only on facts up to T ----

    @Property(tries = TRIES)
    void factsAfterTheInstantNeverChangeTheAnswer(@ForAll("scenarios") Scenario s, @ForAll("ats") int at,
                                                  @ForAll("laterFacts") List<FactSpec> later) {
        Instant t = slot(at);
        Status expected = s.at(t);
        List<Fact> upToT = s.facts().stream().filter(f -> !f.occurredAt().isAfter(t)).toList();
        assertEquals(expected, s.at(t, upToT), "dropping the facts after T");

        List<Fact> more = new ArrayList<>(s.facts());
        for (int i = 0; i < later.size(); i++) {
            Fact f = Scenario.fact(later.get(i), "late" + i, s.versions());
            Instant shifted = t.plusSeconds(1).plus(SLOT.multipliedBy(later.get(i).offsetSlots()));
            more.add(withTime(f, shifted));
        }
        assertEquals(expected, s.at(t, more), "adding facts after T");
    }

    @Provide
    Arbitrary<List<FactSpec>> laterFacts() {
        return factSpecs().list().ofMinSize(1).ofMaxSize(8);
    }

    static Fact withTime(Fact f, Instant t) {
        if (f instanceof Fact.Acceptance a) {
            return new Fact.Acceptance(a.eventId(), t, a.version(), a.method());
        } else if (f instanceof Fact.Objection o) {
            return new Fact.Objection(o.eventId(), t, o.version());
        } else if (f instanceof Fact.NoticeDelivered d) {
            return new Fact.NoticeDelivered(d.version(), t);
        }
        return new Fact.Usage(t);
    }

    // ---- (c) monotonicity ----

    /**
     * Without withdrawals and without seal precedence, the governing version never decreases over time, and while
     * it stays the same its basis stays the same. (A SEAL under sealPrevails may move a user back (rule 9), a
     * withdrawal reverts an early acceptance (rule 7): those are the only ways down.)
     */
    @Property(tries = TRIES)
    void theGoverningVersionNeverDecreasesWithoutSealsOrWithdrawals(@ForAll("scenarios") Scenario s,
                                                                    @ForAll("ats") int a,
                                                                    @ForAll("ats") int b) {
        Assume.that(!s.hasWithdrawals());
        Assume.that(!s.policy().sealPrevails());
        Status earlier = s.at(slot(Math.min(a, b)));
        Status later = s.at(slot(Math.max(a, b)));
        int g1 = earlier.governingVersion() == null ? 0 : earlier.governingVersion();
        int g2 = later.governingVersion() == null ? 0 : later.governingVersion();
        assertTrue(g1 <= g2, () -> "went from v" + g1 + " to v" + g2);
        if (g1 == g2 && g1 > 0) {
            assertEquals(earlier.basis(), later.basis());
        }
    }

    /** With seal precedence but no SEAL facts, the same holds. */
    @Property(tries = TRIES)
    void theGoverningVersionNeverDecreasesWhenNobodySeals(@ForAll("scenarios") Scenario s,
                                                          @ForAll("ats") int a,
                                                          @ForAll("ats") int b) {
        Assume.that(!s.hasWithdrawals());
        List<Fact> noSeals = s.facts().stream()
                .filter(f -> !(f instanceof Fact.Acceptance acc && acc.method() == Method.SEAL)).toList();
        Integer g1 = s.at(slot(Math.min(a, b)), noSeals).governingVersion();
        Integer g2 = s.at(slot(Math.max(a, b)), noSeals).governingVersion();
        assertTrue((g1 == null ? 0 : g1) <= (g2 == null ? 0 : g2), () -> "went from v" + g1 + " to v" + g2);
    }

    // ---- (d) bounded usage storage is enough ----

    /**
     * Keeping only the first use ever and, per version, the first use at or after its effective date for the user
     * gives the same answer as keeping every usage signal: the contract for the ledger's bounded usage store.
     */
    @Property(tries = TRIES)
    void theFirstUseEverAndTheFirstUseAfterEachDateAreEnough(@ForAll("scenarios") Scenario s,
                                                             @ForAll("ats") int at) {
        List<Instant> uses = s.facts().stream().filter(f -> f instanceof Fact.Usage).map(Fact::occurredAt).sorted().toList();
        Assume.that(uses.size() > 1);
        Set<Instant> kept = new LinkedHashSet<>();
        kept.add(uses.get(0));
        Map<Integer, Instant> firstDelivery = new HashMap<>();
        for (Fact f : s.facts()) {
            if (f instanceof Fact.NoticeDelivered d) {
                firstDelivery.merge(d.version(), d.occurredAt(), (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        for (VersionInfo v : s.versions()) {
            Instant eu = v.effectiveAt();
            if (s.policy().noticeMeasuredFrom() == NoticeMeasuredFrom.INDIVIDUAL_DELIVERY) {
                Instant d = firstDelivery.get(v.version());
                if (d == null) {
                    continue;
                }
                Instant byDelivery = d.atZone(s.policy().zone()).plusDays(s.policy().noticeDays()).toInstant();
                eu = byDelivery.isAfter(eu) ? byDelivery : eu;
            }
            Instant e = eu;
            uses.stream().filter(u -> !u.isBefore(e)).findFirst().ifPresent(kept::add);
        }
        List<Fact> summary = new ArrayList<>(s.facts().stream().filter(f -> !(f instanceof Fact.Usage)).toList());
        kept.forEach(u -> summary.add(new Fact.Usage(u)));
        assertEquals(s.at(slot(at)), s.at(slot(at), summary));
    }

    // ---- (e) the answer is always well formed ----

    @Property(tries = TRIES)
    void theAnswerIsWellFormed(@ForAll("scenarios") Scenario s, @ForAll("ats") int atSlot) {
        Instant at = slot(atSlot);
        Status st = s.at(at);
        Map<Integer, VersionInfo> byNumber = new HashMap<>();
        s.versions().forEach(v -> byNumber.put(v.version(), v));
        Integer gov = st.governingVersion();
        if (gov == null) {
            assertNull(st.basis());
            assertEquals(List.of(), st.pending());
            assertEquals(Status.Note.NOT_BOUND, st.notes().get(st.notes().size() - 1).code());
        } else {
            VersionInfo g = byNumber.get(gov);
            assertNotNull(g, "governs a known version");
            assertFalse(g.noticeAt().isAfter(at), "governing version was published by T");
            assertFalse(g.withdrawnBy(at), "a withdrawn version never governs");
            assertNotNull(st.basis());
            assertFalse(st.basis().since().isAfter(at), "since <= T");
            int previous = Integer.MIN_VALUE;
            for (Status.Pending p : st.pending()) {
                VersionInfo v = byNumber.get(p.version());
                assertTrue(p.version() > previous, "pending in version order");
                previous = p.version();
                assertFalse(v.noticeAt().isAfter(at), "only published revisions are listed");
                assertEquals(v.withdrawnBy(at), p.state() == PendingState.WITHDRAWN, "WITHDRAWN iff withdrawn by T");
                boolean binding = p.state() == PendingState.EFFECTIVE || p.state() == PendingState.ACCEPTED_EARLY;
                assertEquals(binding, p.effectiveForUser() != null, "effectiveForUser iff the revision binds: " + p);
                if (p.state() != PendingState.WITHDRAWN) {
                    assertEquals(binding, p.version() <= gov, "revisions at or below the governing one bind: " + p);
                }
                if (binding) {
                    assertFalse(p.effectiveForUser().isAfter(at));
                }
                if (p.effectiveAt() != null) {
                    assertFalse(p.effectiveAt().isBefore(v.effectiveAt()), "E_u >= E");
                }
                if (p.state() == PendingState.AWAITING_USE) {
                    assertEquals(BindingRule.ON_CONTINUED_USE, s.policy().bindingRule());
                    assertFalse(p.effectiveAt().isAfter(at));
                }
                if (p.state() == PendingState.BLOCKED_BY_SEAL) {
                    assertTrue(s.policy().sealPrevails());
                    assertEquals("SEAL", st.basis().method());
                }
                if (p.state() == PendingState.SCHEDULED) {
                    assertTrue(p.effectiveAt() == null || p.effectiveAt().isAfter(at), "SCHEDULED only before E_u");
                }
            }
        }
        Instant last = Instant.MIN;
        for (Status.Note n : st.notes()) {
            if (n.at() == null) {
                // the one note without an instant of its own: the status's 'at' says when
                assertEquals(Status.Note.NOT_BOUND, n.code(), "only NOT_BOUND has no instant: " + st.notes());
                continue;
            }
            assertFalse(n.at().isBefore(last), "notes in time order");
            assertFalse(n.at().isAfter(at), "no note from after T");
            last = n.at();
        }
    }
}
