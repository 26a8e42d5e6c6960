package io.termsledger.consent.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The effective-version rules of DOMAIN.md §5, as a pure function of (policy, versions, facts, at).
 *
 * <h2>How it works</h2>
 * The engine keeps only the facts with {@code occurredAt <= at}, turns them (plus one "date" event per revision
 * under {@code ON_EFFECTIVE_DATE}) into events, sorts them by a total order and replays them through a small state
 * machine (governing version, basis, whether a seal governs, objections, the instant each revision was reached).
 * The {@link Status} is read off the final state. The answer therefore never depends on the order of the
 * {@code facts} collection, and facts after {@code at} cannot change it; asking for a future {@code at} gives the
 * projection "if nothing else happens".
 *
 * <h2>Ordering of events at the same instant</h2>
 * Deterministic, never by list order: (1) effective dates, (2) objections, (3) CLICK/SEAL acceptances,
 * (4) uses (USE acceptances, then usage signals); within a kind by version, then method (CLICK before SEAL),
 * then event id. Consequences: an objection at exactly E_u is not "before E_u" (the date binds first);
 * a use at exactly E_u is "at or after E_u" (it binds); a click and a use at the same instant: the click counts first.
 *
 * <h2>Choices in edge cases (the rules do not say; these are this engine's answers)</h2>
 * <ul>
 * <li><b>Objection, then explicit acceptance of the same (or a later) version</b>: the acceptance binds from its
 *     instant; the objection is superseded ({@code OBJECTION_SUPERSEDED}).</li>
 * <li><b>Explicit acceptance, then objection to the same version</b>: the version already binds, the objection is
 *     recorded with no effect ({@code OBJECTION_AFTER_BINDING}). Same for objections to versions at or below the
 *     governing one.</li>
 * <li><b>An objection is to one revision.</b> Under {@code ON_EFFECTIVE_DATE}, a later revision the user did not
 *     object to binds at its own date and passes the objected one ({@code OBJECTION_SUPERSEDED}).</li>
 * <li><b>Skipped revisions</b>: a user who moves from n directly to m+1 has revision m reported as in force from
 *     that same instant ({@code effectiveForUser} = the instant they passed it).</li>
 * <li><b>ACCEPTED_EARLY</b>: a revision reached by an explicit CLICK/SEAL before its date D is ACCEPTED_EARLY
 *     while {@code at < D}, then EFFECTIVE, {@code effectiveForUser} = the click/seal instant throughout.
 *     D = E_u when known, else the announced E (an INDIVIDUAL_DELIVERY user who was never notified but clicked).
 *     A revision passed by a later revision's date or by a use is EFFECTIVE.</li>
 * <li><b>USE acceptance facts</b> ({@link Method#USE} in {@link Fact.Acceptance}) count exactly like a usage signal
 *     at their instant; the version they name does not choose what binds (a note {@code USE_NAMES_OTHER_VERSION}
 *     when the user did not reach it, {@code OLDER_VERSION_ACCEPTED} as for a click when it is older than the version
 *     that governed before that use: rule 9). Their event id becomes the basis' event id when that use binds.</li>
 * <li><b>acceptanceMethods is absolute</b> ("which methods bind at all"): without USE, neither a new user's first
 *     use, nor continued use, nor the use that would lapse an objection binds anything ({@code METHOD_NOT_ALLOWED} once, at the
 *     first use that would have bound something; once per USE acceptance fact). The effective date is not a method: it binds regardless.</li>
 * <li><b>Seal prevails</b> (a SEAL binding under {@code sealPrevails}): later revisions are {@code BLOCKED_BY_SEAL}
 *     from their notice on, whatever their date and even if the user also objected; only a SEAL of that or a later
 *     version moves them; a click on a later version is recorded ({@code CLICK_BESIDE_SEAL}). A SEAL of the version
 *     that already governs turns the binding into a seal ({@code SEAL_CONFIRMS_GOVERNING_VERSION}; {@code since}
 *     stays the instant that version began to bind). A SEAL with {@code sealPrevails=false} is an explicit acceptance
 *     like a click.</li>
 * <li><b>Withdrawn revisions</b> (withdrawn at or before {@code at}) are treated as if they never existed: the user
 *     is where they would be without them, which is "reverts at withdrawal to the version the user had" plus
 *     whatever their own acts and other revisions' dates did meanwhile. Before the withdrawal instant, an early
 *     acceptance binds as usual (ACCEPTED_EARLY). Acceptances of it are noted
 *     ({@code ACCEPTANCE_REVERTED_BY_WITHDRAWAL} at the withdrawal instant). A new user whose only acceptance was of
 *     the withdrawn revision is bound to nothing after the withdrawal (until a use or another acceptance).</li>
 * <li><b>Users joining late</b>: under {@code ON_EFFECTIVE_DATE}, a user who first binds to n when revision m &gt; n
 *     is already past E_u (and not objected) is bound to m at that same instant (basis EFFECTIVE_DATE).</li>
 * <li><b>New users and INDIVIDUAL_DELIVERY</b>: "the version in effect" for a first use is the agreement-wide one
 *     (announced effective date); individual delivery protects users already bound to an earlier version.</li>
 * <li><b>INDIVIDUAL_DELIVERY</b>: E_u = max(E, first delivery of m to u + noticeDays calendar days in the
 *     policy's zone); with no delivery at or before {@code at} the revision is SCHEDULED for the user with
 *     {@code effectiveAt} null, and neither date nor use binds it (an explicit acceptance still does). An
 *     imported revision (history from another system, which brings no deliveries) takes effect at its E.</li>
 * <li><b>Pending list</b>: every revision with {@code noticeAt <= at} above the lowest version that has governed the
 *     user (normally the first one; lower after a SEAL going back), in version order, withdrawn ones included.
 *     A user bound to nothing gets {@code governingVersion} null, basis null, an empty pending list and a
 *     {@code NOT_BOUND} note.</li>
 * <li><b>Invalid facts</b> the ledger should have refused (version unknown or not yet published at the fact's
 *     instant, or withdrawn) bind nothing and are noted; a USE acceptance naming such a version still counts as
 *     a use.</li>
 * <li><b>Usage facts needed</b>: the answer only depends on the first use ever and, for every revision, the first
 *     use at or after its E_u. A store that keeps just those gives the same answers as one that keeps every signal.</li>
 * </ul>
 * Versions with a null {@code noticeAt} (drafts) are ignored; versions with {@code noticeAt > at} were not yet
 * published at {@code at} and are ignored too. Version numbers must be unique.
 */
public final class DefaultEffectiveVersionEngine implements EffectiveVersionEngine {

    /** Zone for day arithmetic when the policy gives none (DOMAIN.md §2). */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    public DefaultEffectiveVersionEngine() {
    }

    @Override
    public Status status(Policy policy, List<VersionInfo> versions, Collection<Fact> facts, Instant at) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policy.bindingRule(), "policy.bindingRule");
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(at, "at");
        return new Evaluation(policy, versions, facts, at).run();
    }

    // ---- events -------------------------------------------------------------------------------------------

    private static final int RANK_DATE = 0;
    private static final int RANK_OBJECTION = 1;
    private static final int RANK_ACCEPTANCE = 2;
    private static final int RANK_USE = 3;

    /** One thing that happens at an instant; {@code fact} is null for effective-date events. */
    private record Event(Instant at, int rank, int version, int methodOrder, String eventId, Fact fact) {
    }

    private static final Comparator<Event> EVENT_ORDER = Comparator.comparing(Event::at)
            .thenComparingInt(Event::rank)
            .thenComparingInt(Event::version)
            .thenComparingInt(Event::methodOrder)
            .thenComparing(Event::eventId, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** When and how the user first reached a version at or above revision r (in the current stretch). */
    private record Reach(Instant at, boolean explicit) {
    }

    /** An objection to one revision; {@code open} until a binding passes the revision. */
    private static final class Objection {
        final String eventId;
        final Instant at;
        boolean open = true;

        Objection(String eventId, Instant at) {
            this.eventId = eventId;
            this.at = at;
        }
    }

    // ---- one evaluation -----------------------------------------------------------------------------------

    private static final class Evaluation {
        private final Instant at;
        private final BindingRule rule;
        private final boolean sealPrevails;
        private final Set<Method> methods;
        private final NoticeMeasuredFrom measuredFrom;
        private final ZoneId zone;
        private final int noticeDays;
        /** Versions published at or before {@code at}, by number. */
        private final NavigableMap<Integer, VersionInfo> published = new TreeMap<>();
        /** Published versions withdrawn at or before {@code at}: treated as never having existed. */
        private final Set<Integer> withdrawn = new HashSet<>();
        private final Map<Integer, Instant> firstDelivery = new HashMap<>();
        private final List<Event> events = new ArrayList<>();

        // state
        private Integer gov;
        private String basisMethod;
        private String basisEventId;
        private Instant since;
        private boolean sealed;
        private Integer lowest;
        private final Map<Integer, Reach> reached = new HashMap<>();
        private final Map<Integer, Objection> objections = new HashMap<>();
        private final List<Status.Note> notes = new ArrayList<>();
        private final Set<String> onceKeys = new HashSet<>();

        Evaluation(Policy policy, List<VersionInfo> versions, Collection<Fact> facts, Instant at) {
            this.at = at;
            this.rule = policy.bindingRule();
            this.sealPrevails = policy.sealPrevails();
            this.methods = policy.acceptanceMethods() == null || policy.acceptanceMethods().isEmpty()
                    ? EnumSet.noneOf(Method.class) : EnumSet.copyOf(policy.acceptanceMethods());
            this.measuredFrom = policy.noticeMeasuredFrom() == null ? NoticeMeasuredFrom.ANNOUNCEMENT : policy.noticeMeasuredFrom();
            this.zone = policy.zone() == null ? DEFAULT_ZONE : policy.zone();
            this.noticeDays = Math.max(0, policy.noticeDays());

            Set<Integer> seen = new HashSet<>();
            for (VersionInfo v : versions) {
                Objects.requireNonNull(v, "version");
                if (!seen.add(v.version())) {
                    throw new IllegalArgumentException("version " + v.version() + " is listed twice");
                }
                if (v.noticeAt() == null || v.noticeAt().isAfter(at)) {
                    continue;
                }
                if (v.effectiveAt() == null) {
                    throw new IllegalArgumentException("published version " + v.version() + " has no effectiveAt");
                }
                published.put(v.version(), v);
                if (v.withdrawnBy(at)) {
                    withdrawn.add(v.version());
                }
            }

            for (Fact f : new LinkedHashSet<>(facts)) {
                Objects.requireNonNull(f, "fact");
                Instant t = Objects.requireNonNull(f.occurredAt(), "fact.occurredAt");
                if (t.isAfter(at)) {
                    continue;
                }
                if (f instanceof Fact.Acceptance a) {
                    Method m = Objects.requireNonNull(a.method(), "acceptance.method");
                    int rank = m == Method.USE ? RANK_USE : RANK_ACCEPTANCE;
                    events.add(new Event(t, rank, a.version(), m.ordinal(), a.eventId(), f));
                } else if (f instanceof Fact.Objection o) {
                    events.add(new Event(t, RANK_OBJECTION, o.version(), 0, o.eventId(), f));
                } else if (f instanceof Fact.Usage) {
                    events.add(new Event(t, RANK_USE, Integer.MAX_VALUE, Method.values().length, null, f));
                } else if (f instanceof Fact.NoticeDelivered d) {
                    firstDelivery.merge(d.version(), t, (x, y) -> x.isBefore(y) ? x : y);
                }
            }

            if (rule == BindingRule.ON_EFFECTIVE_DATE) {
                for (VersionInfo v : published.values()) {
                    Instant eu = userEffectiveAt(v.version());
                    if (!withdrawn.contains(v.version()) && eu != null && !eu.isAfter(at)) {
                        events.add(new Event(eu, RANK_DATE, v.version(), 0, null, null));
                    }
                }
            }
            events.sort(EVENT_ORDER);
        }

        Status run() {
            for (Event e : events) {
                switch (e.rank()) {
                    case RANK_DATE -> onDate(e.version(), e.at());
                    case RANK_OBJECTION -> onObjection((Fact.Objection) e.fact());
                    case RANK_ACCEPTANCE -> onAcceptance((Fact.Acceptance) e.fact());
                    case RANK_USE -> {
                        if (e.fact() instanceof Fact.Acceptance a) {
                            onUse(a.occurredAt(), a.eventId(), a.version());
                        } else {
                            onUse(e.at(), null, null);
                        }
                    }
                    default -> throw new IllegalStateException("unknown event rank " + e.rank());
                }
            }
            return result();
        }

        // ---- version helpers ----

        /** E_u: the revision's effective date for this user, null when it cannot take effect for them yet. */
        private Instant userEffectiveAt(int version) {
            VersionInfo v = published.get(version);
            if (v == null) {
                return null;
            }
            if (measuredFrom != NoticeMeasuredFrom.INDIVIDUAL_DELIVERY || v.imported()) {
                // an imported revision's notices were given in the system it came from: no delivery will
                // ever be recorded here, and its effective date is the one the history gives
                return v.effectiveAt();
            }
            Instant delivered = firstDelivery.get(version);
            if (delivered == null) {
                return null;
            }
            Instant byDelivery = delivered.atZone(zone).plusDays(noticeDays).toInstant();
            return byDelivery.isAfter(v.effectiveAt()) ? byDelivery : v.effectiveAt();
        }

        /** Published at t (a fact cannot name a version before its notice). */
        private boolean knownAt(int version, Instant t) {
            VersionInfo v = published.get(version);
            return v != null && !v.noticeAt().isAfter(t);
        }

        /** The agreement-wide version in effect at t (highest non-withdrawn with effectiveAt <= t). */
        private Integer inEffect(Instant t) {
            Integer best = null;
            for (VersionInfo v : published.values()) {
                if (!withdrawn.contains(v.version()) && !v.noticeAt().isAfter(t) && !v.effectiveAt().isAfter(t)) {
                    best = v.version();
                }
            }
            return best;
        }

        private boolean objectionOpen(int version) {
            Objection o = objections.get(version);
            return o != null && o.open;
        }

        // ---- binding ----

        private enum Cause { EXPLICIT, DATE, USE }

        private void bind(int k, Instant t, String method, String eventId, Cause cause, boolean sealing) {
            Integer from = gov;
            if (from == null) {
                lowest = k;
                // a new user who objected to this version or an earlier one before anything bound them
                for (int r : published.headMap(k, true).keySet()) {
                    if (!withdrawn.contains(r)) {
                        closeObjection(r, k, t, cause);
                    }
                }
            } else if (k > from) {
                for (int r : published.subMap(from, false, k, true).keySet()) {
                    if (withdrawn.contains(r)) {
                        continue;
                    }
                    reached.put(r, new Reach(t, cause == Cause.EXPLICIT));
                    closeObjection(r, k, t, cause);
                }
            } else if (k < from) {
                reached.keySet().removeIf(r -> r > k);
                lowest = Math.min(lowest, k);
            }
            gov = k;
            basisMethod = method;
            basisEventId = eventId;
            since = t;
            sealed = sealing;
            if (!sealed && rule == BindingRule.ON_EFFECTIVE_DATE) {
                catchUpDates(t);
            }
        }

        /** An open objection to v{@code r} ends when v{@code k} binds at t, flagged for auditors (§5.4). */
        private void closeObjection(int r, int k, Instant t, Cause cause) {
            Objection o = objections.get(r);
            if (o == null || !o.open) {
                return;
            }
            o.open = false;
            if (cause == Cause.USE) {
                note(Status.Note.OBJECTION_LAPSED_BY_USE,
                        "objection to v" + r + " of " + o.at + " lapsed: use at " + t
                                + " (at or after the revision's effective date) binds v" + k, o.eventId, t);
            } else {
                note(Status.Note.OBJECTION_SUPERSEDED,
                        "objection to v" + r + " of " + o.at + " superseded: v" + k + " binds from " + t
                                + (cause == Cause.DATE ? " by its effective date" : " by explicit acceptance"),
                        o.eventId, t);
            }
        }

        /** ON_EFFECTIVE_DATE: revisions whose date already passed bind a user who became bound below them at t. */
        private void catchUpDates(Instant t) {
            Integer best = null;
            for (int r : published.tailMap(gov, false).keySet()) {
                Instant eu = userEffectiveAt(r);
                if (!withdrawn.contains(r) && eu != null && !eu.isAfter(t) && !objectionOpen(r)) {
                    best = r;
                }
            }
            if (best != null) {
                bind(best, t, Status.Basis.EFFECTIVE_DATE, null, Cause.DATE, false);
            }
        }

        // ---- event handlers ----

        private void onDate(int m, Instant eu) {
            if (gov == null || sealed || m <= gov || objectionOpen(m)) {
                return;
            }
            bind(m, eu, Status.Basis.EFFECTIVE_DATE, null, Cause.DATE, false);
        }

        private void onObjection(Fact.Objection o) {
            int m = o.version();
            Instant t = o.occurredAt();
            if (!knownAt(m, t)) {
                note(Status.Note.UNKNOWN_VERSION, "objection names v" + m + ", not published at " + t + ": ignored", o.eventId(), t);
                return;
            }
            if (withdrawn.contains(m)) {
                note(Status.Note.WITHDRAWN_VERSION, "objection to v" + m + " is moot: v" + m + " was withdrawn at "
                        + published.get(m).withdrawnAt(), o.eventId(), t);
                return;
            }
            if (gov != null && m <= gov) {
                note(Status.Note.OBJECTION_AFTER_BINDING, "objection to v" + m + " at " + t + " has no effect: v" + gov
                        + " already binds the user", o.eventId(), t);
                return;
            }
            objections.putIfAbsent(m, new Objection(o.eventId(), t));
        }

        private void onAcceptance(Fact.Acceptance a) {
            int k = a.version();
            Instant t = a.occurredAt();
            Method method = a.method();
            if (!methods.contains(method)) {
                note(Status.Note.METHOD_NOT_ALLOWED, method + " acceptance of v" + k + " at " + t
                        + " binds nothing: the agreement accepts only " + methods, a.eventId(), t);
                return;
            }
            if (!knownAt(k, t)) {
                note(Status.Note.UNKNOWN_VERSION, method + " acceptance names v" + k + ", not published at " + t + ": ignored",
                        a.eventId(), t);
                return;
            }
            boolean seal = method == Method.SEAL && sealPrevails;
            if (withdrawn.contains(k)) {
                Instant w = published.get(k).withdrawnAt();
                boolean wouldBind = gov == null || (sealed ? method == Method.SEAL && k != gov : k > gov || (seal && k < gov));
                if (w.isAfter(t) && wouldBind) {
                    note(Status.Note.ACCEPTANCE_REVERTED_BY_WITHDRAWAL, method + " acceptance of v" + k + " at " + t
                            + " bound the user until v" + k + " was withdrawn at " + w + "; it never binds after that", a.eventId(), w);
                } else {
                    note(Status.Note.WITHDRAWN_VERSION, method + " acceptance of v" + k + " at " + t
                            + " binds nothing: v" + k + " was withdrawn at " + w, a.eventId(), t);
                }
                return;
            }
            if (gov == null) {
                bind(k, t, method.name(), a.eventId(), Cause.EXPLICIT, seal);
                return;
            }
            if (sealed) {
                if (method == Method.SEAL) {
                    if (k != gov) {
                        int before = gov;
                        bind(k, t, method.name(), a.eventId(), Cause.EXPLICIT, true);
                        if (k < before) {
                            note(Status.Note.SEAL_GOVERNS_OLDER_VERSION, "SEAL of v" + k + " at " + t
                                    + " governs (seal prevails) although v" + before + " governed", a.eventId(), t);
                        }
                    }
                } else if (k > gov) {
                    note(Status.Note.CLICK_BESIDE_SEAL, "click on v" + k + " at " + t + " recorded beside the sealed v" + gov
                            + ", which still governs (seal prevails)", a.eventId(), t);
                } else if (k < gov) {
                    olderVersion(a);
                }
                return;
            }
            if (k > gov) {
                bind(k, t, method.name(), a.eventId(), Cause.EXPLICIT, seal);
            } else if (k == gov) {
                if (seal) {
                    sealed = true;
                    basisMethod = Method.SEAL.name();
                    basisEventId = a.eventId();
                    note(Status.Note.SEAL_CONFIRMS_GOVERNING_VERSION, "SEAL of the governing v" + k + " at " + t
                            + ": the binding is now a seal (seal prevails); v" + k + " binds since " + since, a.eventId(), t);
                }
            } else if (seal) {
                int before = gov;
                bind(k, t, method.name(), a.eventId(), Cause.EXPLICIT, true);
                note(Status.Note.SEAL_GOVERNS_OLDER_VERSION, "SEAL of v" + k + " at " + t
                        + " governs (seal prevails) although v" + before + " governed", a.eventId(), t);
            } else {
                olderVersion(a);
            }
        }

        private void olderVersion(Fact.Acceptance a) {
            olderVersion(a.method().name(), a.version(), a.occurredAt(), a.eventId());
        }

        /** Rule 9: an acceptance (by any method) of a version older than the governing one is only noted. */
        private void olderVersion(String method, int version, Instant t, String eventId) {
            note(Status.Note.OLDER_VERSION_ACCEPTED, method + " acceptance of v" + version + " at " + t
                    + " recorded; the newer v" + gov + " governs", eventId, t);
        }

        /** What a use at t would bind: the version in effect for a new user, else the highest revision past its E_u. */
        private Integer useTarget(Instant t) {
            if (gov == null) {
                return inEffect(t);
            }
            if (sealed) {
                return null;
            }
            Integer best = null;
            for (int r : published.tailMap(gov, false).keySet()) {
                Instant eu = userEffectiveAt(r);
                if (!withdrawn.contains(r) && eu != null && !eu.isAfter(t)) {
                    best = r;
                }
            }
            return best;
        }

        private void onUse(Instant t, String eventId, Integer named) {
            if (!methods.contains(Method.USE)) {
                if (eventId != null) {
                    note(Status.Note.METHOD_NOT_ALLOWED, "USE acceptance at " + t + " binds nothing: the agreement accepts only "
                            + methods, eventId, t);
                } else {
                    Integer target = useTarget(t);
                    // once per user, at the first use that would have bound something: not one note per signal
                    if (target != null && onceKeys.add("use-not-allowed")) {
                        note(Status.Note.METHOD_NOT_ALLOWED, "use at " + t + " does not bind v" + target
                                + ": USE is not an acceptance method of this agreement", null, t);
                    }
                }
                return;
            }
            boolean namedValid = named != null;
            if (named != null && !knownAt(named, t)) {
                namedValid = false;
                note(Status.Note.UNKNOWN_VERSION, "USE acceptance names v" + named + ", not published at " + t
                        + "; counted as a use only", eventId, t);
            } else if (named != null && withdrawn.contains(named)) {
                namedValid = false;
                note(Status.Note.WITHDRAWN_VERSION, "USE acceptance names v" + named + ", withdrawn at "
                        + published.get(named).withdrawnAt() + "; counted as a use only", eventId, t);
            }
            if (sealed) {
                if (namedValid && named > gov) {
                    note(Status.Note.USE_BESIDE_SEAL, "USE acceptance of v" + named + " at " + t + " recorded beside the sealed v"
                            + gov + ", which still governs (seal prevails)", eventId, t);
                } else if (namedValid && named < gov) {
                    olderVersion(Method.USE.name(), named, t, eventId);
                }
                return;
            }
            // the version governing before this use: a USE acceptance naming an older one is noted (rule 9), one naming
            // the version this use leaves behind is not (the use itself moved the user on)
            Integer before = gov;
            Integer target = useTarget(t);
            if (target != null) {
                bind(target, t, Method.USE.name(), eventId, Cause.USE, false);
            } else if (gov == null && onceKeys.add("use-before-any-version")) {
                note(Status.Note.USE_BEFORE_ANY_VERSION, "use at " + t + " binds nothing: no version was in effect", eventId, t);
            }
            if (namedValid && (gov == null || named > gov)) {
                note(Status.Note.USE_NAMES_OTHER_VERSION, "USE acceptance names v" + named + " but the use at " + t
                        + (gov == null ? " binds nothing" : " leaves the user on v" + gov), eventId, t);
            } else if (namedValid && before != null && named < before) {
                olderVersion(Method.USE.name(), named, t, eventId);
            }
        }

        private void note(String code, String message, String eventId, Instant t) {
            notes.add(new Status.Note(code, message, eventId, t));
        }

        // ---- the answer ----

        private Status result() {
            List<Status.Note> sorted = new ArrayList<>(notes);
            sorted.sort(Comparator.comparing(Status.Note::at)); // stable: replay order within an instant
            if (gov == null) {
                // no instant of its own: the status's 'at' says when (a stored status keeps this note while its
                // 'at' moves on, so an instant here would go stale)
                sorted.add(new Status.Note(Status.Note.NOT_BOUND,
                        "no acceptance or use at or before the status's instant binds the user to a version", null, null));
                return new Status(null, null, List.of(), List.copyOf(sorted));
            }
            List<Status.Pending> pending = new ArrayList<>();
            for (VersionInfo v : published.tailMap(lowest, false).values()) {
                int m = v.version();
                Instant eu = userEffectiveAt(m);
                if (withdrawn.contains(m)) {
                    pending.add(new Status.Pending(m, v.noticeAt(), eu, PendingState.WITHDRAWN, null));
                } else if (m <= gov) {
                    Reach r = reached.get(m);
                    Instant forUser = r == null ? since : r.at();
                    Instant date = eu != null ? eu : v.effectiveAt();
                    boolean early = r != null && r.explicit() && at.isBefore(date);
                    pending.add(new Status.Pending(m, v.noticeAt(), eu,
                            early ? PendingState.ACCEPTED_EARLY : PendingState.EFFECTIVE, forUser));
                } else {
                    PendingState state;
                    if (sealed) {
                        state = PendingState.BLOCKED_BY_SEAL;
                    } else if (objectionOpen(m)) {
                        state = PendingState.OBJECTED;
                    } else if (eu == null || at.isBefore(eu)) {
                        state = PendingState.SCHEDULED;
                    } else {
                        // past E_u, not bound: under ON_CONTINUED_USE waiting for a use. Under ON_EFFECTIVE_DATE the
                        // date (or the catch-up) always binds an unsealed, non-objecting user, so this is unreachable.
                        state = PendingState.AWAITING_USE;
                    }
                    pending.add(new Status.Pending(m, v.noticeAt(), eu, state, null));
                }
            }
            return new Status(gov, new Status.Basis(basisMethod, basisEventId, since), List.copyOf(pending), List.copyOf(sorted));
        }
    }
}
