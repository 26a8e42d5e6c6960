package io.termsledger.notice.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Clause-level diff of two versions. Clause numbers are unreliable (seeds repeat them,
 * renumber, or hold two documents with the same numbers), so clauses are paired by
 * position and text rather than by id: first the longest common subsequence of clause
 * texts anchors the unchanged clauses in order; then, inside each gap between two
 * anchors, a removed and an added clause are paired as "modified" when they carry the
 * same id or when their texts are similar. What stays unpaired is added or removed.
 */
public final class ClauseDiff {

    /** Bigram similarity (Sørensen–Dice) from which two clauses in the same gap count as one modified clause. */
    static final double SIMILAR = 0.5;

    private ClauseDiff() {
    }

    public static Changes diff(List<Clause> before, List<Clause> after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        int n = before.size();
        int m = after.size();
        String[] a = before.stream().map(c -> normalise(c.text())).toArray(String[]::new);
        String[] b = after.stream().map(c -> normalise(c.text())).toArray(String[]::new);

        // lcs[i][j] = length of the LCS of a[i..] and b[j..]
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }

        List<Changes.ClauseChange> added = new ArrayList<>();
        List<Changes.ClauseChange> removed = new ArrayList<>();
        List<Changes.ModifiedClause> modified = new ArrayList<>();
        List<Integer> gapOld = new ArrayList<>();
        List<Integer> gapNew = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[i].equals(b[j])) {
                pairGap(before, after, gapOld, gapNew, added, removed, modified);
                Clause o = before.get(i);
                Clause c = after.get(j);
                if (o.highlighted() != c.highlighted()) {
                    modified.add(new Changes.ModifiedClause(c.id(), o.id(), c.heading(), o.text(), c.text(), true));
                }
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                gapNew.add(j++);
            } else {
                gapOld.add(i++);
            }
        }
        pairGap(before, after, gapOld, gapNew, added, removed, modified);

        Set<String> highlighted = new LinkedHashSet<>();
        modified.stream().filter(Changes.ModifiedClause::highlighted).forEach(c -> highlighted.add(c.id()));
        added.stream().filter(Changes.ClauseChange::highlighted).forEach(c -> highlighted.add(c.id()));
        removed.stream().filter(Changes.ClauseChange::highlighted).forEach(c -> highlighted.add(c.id()));
        return new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(modified), List.copyOf(highlighted));
    }

    /** Pairs the clauses between two anchors, then clears the gap. */
    private static void pairGap(List<Clause> before, List<Clause> after, List<Integer> gapOld, List<Integer> gapNew,
                                List<Changes.ClauseChange> added, List<Changes.ClauseChange> removed,
                                List<Changes.ModifiedClause> modified) {
        if (gapOld.isEmpty() && gapNew.isEmpty()) {
            return;
        }
        int[] partnerOfNew = new int[gapNew.size()];
        java.util.Arrays.fill(partnerOfNew, -1);
        Set<Integer> usedOld = new HashSet<>();
        // 1. same id, in order of position (first free match, so repeated ids pair up in order)
        for (int x = 0; x < gapOld.size(); x++) {
            Clause o = before.get(gapOld.get(x));
            for (int y = 0; y < gapNew.size(); y++) {
                if (partnerOfNew[y] < 0 && Objects.equals(o.id(), after.get(gapNew.get(y)).id())) {
                    partnerOfNew[y] = x;
                    usedOld.add(x);
                    break;
                }
            }
        }
        // 2. similar text: best remaining partner, greedily by position
        for (int x = 0; x < gapOld.size(); x++) {
            if (usedOld.contains(x)) {
                continue;
            }
            String ot = normalise(before.get(gapOld.get(x)).text());
            int best = -1;
            double bestScore = SIMILAR;
            for (int y = 0; y < gapNew.size(); y++) {
                if (partnerOfNew[y] >= 0) {
                    continue;
                }
                double s = similarity(ot, normalise(after.get(gapNew.get(y)).text()));
                if (s >= bestScore && (best < 0 || s > bestScore)) {
                    best = y;
                    bestScore = s;
                }
            }
            if (best >= 0) {
                partnerOfNew[best] = x;
                usedOld.add(x);
            }
        }
        for (int x = 0; x < gapOld.size(); x++) {
            if (!usedOld.contains(x)) {
                Clause o = before.get(gapOld.get(x));
                removed.add(new Changes.ClauseChange(o.id(), o.heading(), o.text(), o.highlighted()));
            }
        }
        for (int y = 0; y < gapNew.size(); y++) {
            Clause c = after.get(gapNew.get(y));
            if (partnerOfNew[y] < 0) {
                added.add(new Changes.ClauseChange(c.id(), c.heading(), c.text(), c.highlighted()));
            } else {
                Clause o = before.get(gapOld.get(partnerOfNew[y]));
                modified.add(new Changes.ModifiedClause(c.id(), o.id(), c.heading(), o.text(), c.text(),
                        o.highlighted() || c.highlighted()));
            }
        }
        gapOld.clear();
        gapNew.clear();
    }

    static String normalise(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** Sørensen–Dice coefficient over character bigrams (works for CJK text, which has no word breaks). */
    static double similarity(String x, String y) {
        if (x.equals(y)) {
            return 1.0;
        }
        if (x.length() < 2 || y.length() < 2) {
            return 0.0;
        }
        java.util.Map<String, Integer> grams = new java.util.HashMap<>();
        for (int k = 0; k < x.length() - 1; k++) {
            grams.merge(x.substring(k, k + 2), 1, Integer::sum);
        }
        int common = 0;
        for (int k = 0; k < y.length() - 1; k++) {
            String g = y.substring(k, k + 2);
            Integer left = grams.get(g);
            if (left != null && left > 0) {
                common++;
                grams.put(g, left - 1);
            }
        }
        return 2.0 * common / ((x.length() - 1) + (y.length() - 1));
    }
}
