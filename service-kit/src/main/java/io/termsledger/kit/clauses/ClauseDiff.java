package io.termsledger.kit.clauses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clause-level difference between two versions. Clauses are paired by position and text,
 * not by number alone, because real agreements renumber and repeat numbers:
 * <ol>
 *   <li>clauses whose heading, text and emphasis are identical are aligned in order (longest
 *       common subsequence) — a clause inserted in the middle renumbers nothing else;</li>
 *   <li>between two aligned clauses, the remaining ones are paired as modified when they carry
 *       the same number and share some text, or when their texts are largely the same;</li>
 *   <li>what is left is removed (only before) or added (only after).</li>
 * </ol>
 * Texts are compared with runs of whitespace as one space. version-service answers its diff
 * endpoint with it and notice-service lists a revision notice's changes with it, so both say the
 * same about the same two versions.
 *
 * <p>The cost is bounded: version-service refuses a version of more than {@link #MAX_CLAUSES}
 * clauses, the clauses both versions begin and end with are set aside before the alignment
 * (a revision usually changes a few clauses in the middle), and a gap too large to compare
 * every pair of texts ({@link #MAX_COMPARED_PAIRS}) pairs its clauses by number only.
 */
public final class ClauseDiff {

    /** Pairs with at least this text similarity are one clause modified, whatever their numbers. */
    static final double SIMILAR = 0.5;
    /** Pairs with the same number need only this much text in common. */
    static final double SAME_NUMBER_SIMILAR = 0.15;

    /** The most clauses a version may have (the largest seed agreement has 121). */
    public static final int MAX_CLAUSES = 2_000;
    /** A gap with more pairs of clauses than this pairs them by number, without comparing texts. */
    static final long MAX_COMPARED_PAIRS = 250_000;

    /** Separates a repeated number from its count in a clause id ({@code 2.1.3~2}). */
    public static final String DUPLICATE_SEPARATOR = "~";

    private ClauseDiff() {
    }

    /**
     * @param id              the clause's id in the later version
     * @param previousId      the clause's id in the earlier version (differs when it was renumbered)
     * @param heading         the clause's heading in the later version, or the earlier one's when it has none
     * @param previousHeading the clause's heading in the earlier version (null when it had none): a clause
     *                        whose heading alone changed has the same text before and after
     */
    public record Modified(String id, String previousId, String heading, String previousHeading, String before,
                           String after, boolean highlighted, boolean highlightChanged) {
    }

    private record Candidate(int oldIndex, int newIndex, double score) {
    }

    /**
     * @param highlighted ids (in the later version, or the earlier one for removals) of changed clauses
     *                    that are highlighted on either side
     */
    public record Result<C extends DiffableClause>(List<C> added, List<C> removed, List<Modified> modified,
                                                   List<String> highlighted, int unchanged) {

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
        }
    }

    public static <C extends DiffableClause> Result<C> diff(List<C> before, List<C> after) {
        int n = before.size();
        int m = after.size();
        String[] a = new String[n];
        String[] b = new String[m];
        for (int i = 0; i < n; i++) {
            a[i] = key(before.get(i));
        }
        for (int j = 0; j < m; j++) {
            b[j] = key(after.get(j));
        }
        // the common beginning and end are unchanged; only the middle is aligned
        int head = 0;
        while (head < n && head < m && a[head].equals(b[head])) {
            head++;
        }
        int tail = 0;
        while (tail < n - head && tail < m - head && a[n - 1 - tail].equals(b[m - 1 - tail])) {
            tail++;
        }
        int endI = n - tail;
        int endJ = m - tail;
        // lcs[i - head][j - head]: the longest common subsequence of a[i..endI) and b[j..endJ)
        int[][] lcs = new int[endI - head + 1][endJ - head + 1];
        for (int i = endI - 1; i >= head; i--) {
            for (int j = endJ - 1; j >= head; j--) {
                int x = i - head;
                int y = j - head;
                lcs[x][y] = a[i].equals(b[j]) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<C> added = new ArrayList<>();
        List<C> removed = new ArrayList<>();
        List<Modified> modified = new ArrayList<>();
        Set<String> highlighted = new LinkedHashSet<>();
        int unchanged = head + tail;
        int i = head;
        int j = head;
        int gapI = head;
        int gapJ = head;
        while (i < endI && j < endJ) {
            if (a[i].equals(b[j])) {
                pairGap(before.subList(gapI, i), after.subList(gapJ, j), added, removed, modified, highlighted);
                unchanged++;
                i++;
                j++;
                gapI = i;
                gapJ = j;
            } else if (lcs[i + 1 - head][j - head] >= lcs[i - head][j + 1 - head]) {
                i++;
            } else {
                j++;
            }
        }
        pairGap(before.subList(gapI, endI), after.subList(gapJ, endJ), added, removed, modified, highlighted);
        return new Result<>(List.copyOf(added), List.copyOf(removed), List.copyOf(modified), List.copyOf(highlighted),
                unchanged);
    }

    private static <C extends DiffableClause> void pairGap(List<C> olds, List<C> news, List<C> added, List<C> removed,
                                                           List<Modified> modified, Set<String> highlighted) {
        if (olds.isEmpty() && news.isEmpty()) {
            return;
        }
        boolean compareTexts = (long) olds.size() * news.size() <= MAX_COMPARED_PAIRS;
        String[] newBodies = compareTexts ? news.stream().map(ClauseDiff::body).toArray(String[]::new) : null;
        String[] newNumbers = news.stream().map(c -> baseId(c.id())).toArray(String[]::new);
        // the partner of each clause by its index on the other side, -1 while it has none
        int[] newOfOld = new int[olds.size()];
        int[] oldOfNew = new int[news.size()];
        Arrays.fill(newOfOld, -1);
        Arrays.fill(oldOfNew, -1);
        if (!compareTexts) {
            // too many pairs to compare: each clause with the first clause left of the same number
            for (int o = 0; o < olds.size(); o++) {
                String oldNumber = baseId(olds.get(o).id());
                for (int k = 0; k < news.size(); k++) {
                    if (oldOfNew[k] < 0 && oldNumber.equals(newNumbers[k])) {
                        newOfOld[o] = k;
                        oldOfNew[k] = o;
                        break;
                    }
                }
            }
        } else {
            // every pairable pair, best first: a clause takes the partner it resembles most unless a
            // closer pair claimed it (taking partners clause by clause, an earlier clause could take a
            // later one's true partner and leave both its own and that one unpaired)
            List<Candidate> candidates = new ArrayList<>();
            for (int o = 0; o < olds.size(); o++) {
                C old = olds.get(o);
                String oldBody = body(old);
                String oldNumber = baseId(old.id());
                for (int k = 0; k < news.size(); k++) {
                    boolean sameNumber = oldNumber.equals(newNumbers[k]);
                    double sim = similarity(oldBody, newBodies[k]);
                    if (sim >= SIMILAR || (sameNumber && sim >= SAME_NUMBER_SIMILAR)) {
                        candidates.add(new Candidate(o, k, sim + (sameNumber ? 0.25 : 0)));
                    }
                }
            }
            // ties go to the earlier clauses, so the result does not depend on the sort
            candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                    .thenComparingInt(Candidate::oldIndex).thenComparingInt(Candidate::newIndex));
            for (Candidate c : candidates) {
                if (newOfOld[c.oldIndex()] < 0 && oldOfNew[c.newIndex()] < 0) {
                    newOfOld[c.oldIndex()] = c.newIndex();
                    oldOfNew[c.newIndex()] = c.oldIndex();
                }
            }
        }
        for (int o = 0; o < olds.size(); o++) {
            C old = olds.get(o);
            if (newOfOld[o] < 0) {
                removed.add(old);
                if (old.highlighted()) {
                    highlighted.add(old.id());
                }
            }
        }
        for (int k = 0; k < news.size(); k++) {
            C now = news.get(k);
            if (oldOfNew[k] < 0) {
                added.add(now);
                if (now.highlighted()) {
                    highlighted.add(now.id());
                }
                continue;
            }
            C old = olds.get(oldOfNew[k]);
            boolean hl = old.highlighted() || now.highlighted();
            modified.add(new Modified(now.id(), old.id(), now.heading() != null ? now.heading() : old.heading(),
                    old.heading(), old.text(), now.text(), hl, old.highlighted() != now.highlighted()));
            if (hl) {
                highlighted.add(now.id());
            }
        }
    }

    static String baseId(String id) {
        int cut = id.indexOf(DUPLICATE_SEPARATOR);
        return cut < 0 ? id : id.substring(0, cut);
    }

    private static String body(DiffableClause c) {
        return normalise((c.heading() == null ? "" : c.heading() + "\n") + c.text());
    }

    private static String key(DiffableClause c) {
        return (c.highlighted() ? "!" : " ") + body(c);
    }

    private static String normalise(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** Dice coefficient over character bigrams: works for Chinese text, which has no word breaks. */
    static double similarity(String x, String y) {
        if (x.equals(y)) {
            return 1.0;
        }
        if (x.length() < 2 || y.length() < 2) {
            return 0.0;
        }
        Map<String, Integer> grams = new HashMap<>();
        for (int i = 0; i + 2 <= x.length(); i++) {
            grams.merge(x.substring(i, i + 2), 1, Integer::sum);
        }
        int common = 0;
        for (int i = 0; i + 2 <= y.length(); i++) {
            String g = y.substring(i, i + 2);
            Integer left = grams.get(g);
            if (left != null && left > 0) {
                common++;
                grams.put(g, left - 1);
            }
        }
        return 2.0 * common / ((x.length() - 1) + (y.length() - 1));
    }
}
