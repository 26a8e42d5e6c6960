package io.termsledger.version.domain;

import io.termsledger.kit.clauses.ClauseDiff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits agreement text into clauses. Written against the five seed agreements as they
 * are, which number their clauses in every way a real document does:
 * <ul>
 *   <li>dotted numbers with or without a trailing dot, ASCII or full-width: {@code 1.1 }, {@code 3.2.7. },
 *       {@code 6.1．}, {@code 3.1.6.1.利用…}, {@code 3.1您的权利};</li>
 *   <li>top-level numbers with a dot: {@code 1.服务条款…}, {@code 1. 服务内容};</li>
 *   <li>Chinese section headings: {@code 一、总则} … {@code 十一、附则};</li>
 *   <li>markdown headings, with or without a number: {@code ## 3. 权利及义务}, {@code ## 4 用户数据};</li>
 *   <li>a word-processor list number in front of the clause number: {@code 1. 1.服务内容}, {@code 3. 3.1.1};</li>
 *   <li>bold runs {@code **…**} around the number or inside the text (the clause is then highlighted);</li>
 *   <li>conversion debris: {@code [bookmark: _GoBack]}, and a number split by a bold run across
 *       paragraphs ({@code …约定。**6.**} followed by {@code 4 登录记录}).</li>
 * </ul>
 * Text before the first numbered clause is the {@code preamble}; a markdown heading without a
 * number after some clauses starts another preamble (a second document in the same file). A
 * repeated id gets a suffix {@code ~2}, {@code ~3}, … in order of appearance.
 */
public final class ClauseSplitter {

    public static final String PREAMBLE = "preamble";
    /** The most levels a clause number has ({@code 1.2.3.4} has four); the seeds use at most four. */
    public static final int MAX_LEVELS = 16;

    private static final Pattern BOOKMARK = Pattern.compile("\\[bookmark:[^\\]]*]\\s*");
    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#{1,6}\\s*(.*)$");
    private static final Pattern LIST_PREFIX = Pattern.compile("^\\d{1,3}\\.\\s+(?=\\d)");
    /**
     * A repeated group is matched by recursion, a few stack frames a level: the levels are bounded so that
     * a line such as {@code 1.1.1…} of 20,000 levels cannot exhaust the stack (the rest of the line is text).
     */
    private static final String LEVELS = "{0," + (MAX_LEVELS - 1) + "}";
    private static final Pattern NUMBER = Pattern.compile("^(\\d{1,3}(?:[.．]\\d{1,3})" + LEVELS + ")(?!\\d)([.．])?\\s*(.*)$");
    private static final Pattern CHINESE_HEADING = Pattern.compile("^([一二三四五六七八九十]{1,3})、\\s*(.*)$");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern SPLIT_NUMBER_TAIL = Pattern.compile("\\*\\*(\\d{1,3}(?:\\.\\d{1,3})" + LEVELS + ")\\.\\*\\*\\s*$");
    private static final Pattern SPLIT_NUMBER_HEAD = Pattern.compile("^(\\d{1,3})\\s+\\S.*$");
    private static final int MAX_HEADING_CHARS = 40;
    private static final int MAX_INLINE_HEADING_CHARS = 20;

    private ClauseSplitter() {
    }

    public static List<Clause> split(String content) {
        List<String> lines = repairSplitNumbers(content.lines().toList());
        List<Draft> drafts = new ArrayList<>();
        Draft current = null;
        boolean seenNumbered = false;
        for (String raw : lines) {
            String line = BOOKMARK.matcher(raw).replaceAll("").strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean markdown = false;
            Matcher md = MARKDOWN_HEADING.matcher(line);
            if (md.matches()) {
                markdown = true;
                line = md.group(1).strip();
            }
            Start start = start(line, markdown);
            if (start != null) {
                current = new Draft(start.id, start.rest, start.section, emphasised(line, markdown));
                drafts.add(current);
                seenNumbered = true;
                continue;
            }
            if (markdown && seenNumbered && !(current != null && current.id.equals(PREAMBLE) && current.body.isEmpty())) {
                // an unnumbered heading after clauses opens another document (002: 闪电立方专用服务条款)
                current = new Draft(PREAMBLE, null, false, false);
                current.body.add(clean(line));
                drafts.add(current);
                continue;
            }
            if (current == null) {
                current = new Draft(PREAMBLE, null, false, false);
                drafts.add(current);
            }
            current.body.add(clean(line));
            current.highlighted |= emphasised(line, markdown);
        }
        return finish(drafts);
    }

    /** Recognises the first line of a clause; null when the line continues the current one. */
    private static Start start(String line, boolean markdown) {
        String probe = line;
        while (probe.startsWith("**")) {
            probe = probe.substring(2).stripLeading();
        }
        probe = LIST_PREFIX.matcher(probe).replaceFirst("");
        Matcher n = NUMBER.matcher(probe);
        if (n.matches()) {
            String id = n.group(1).replace('．', '.');
            boolean dotted = n.group(2) != null;
            boolean multiLevel = id.indexOf('.') >= 0;
            if (multiLevel || dotted || markdown) {
                return new Start(id, n.group(3), !multiLevel);
            }
        }
        Matcher c = CHINESE_HEADING.matcher(probe);
        if (c.matches()) {
            return new Start(c.group(1), c.group(2), true);
        }
        return null;
    }

    /**
     * 000 prints {@code …保密约定。**6.**}, a blank line, then {@code 4 登录记录}: clause 6.4 whose number
     * a bold run cut in two. Join the halves so that 6.4 is a clause and 6.3 keeps its own text.
     */
    private static List<String> repairSplitNumbers(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < out.size(); i++) {
            Matcher tail = SPLIT_NUMBER_TAIL.matcher(out.get(i));
            if (!tail.find()) {
                continue;
            }
            int next = i + 1;
            while (next < out.size() && out.get(next).isBlank()) {
                next++;
            }
            if (next < out.size() && SPLIT_NUMBER_HEAD.matcher(out.get(next).strip()).matches()) {
                out.set(i, out.get(i).substring(0, tail.start()));
                out.set(next, tail.group(1) + "." + out.get(next).strip());
            }
        }
        return out;
    }

    private static List<Clause> finish(List<Draft> drafts) {
        Map<String, Integer> seen = new HashMap<>();
        List<Clause> clauses = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            int n = seen.merge(d.id, 1, Integer::sum);
            String id = n == 1 ? d.id : d.id + ClauseDiff.DUPLICATE_SEPARATOR + n;
            String rest = d.rest == null ? "" : clean(d.rest);
            String body = String.join("\n", d.body);
            String heading = null;
            String text;
            if (!rest.isEmpty() && d.section && rest.length() <= MAX_HEADING_CHARS) {
                heading = rest;
                text = body;
            } else if (!rest.isEmpty() && !body.isEmpty() && looksLikeHeading(rest)) {
                heading = rest;
                text = body;
            } else {
                text = rest.isEmpty() ? body : body.isEmpty() ? rest : rest + "\n" + body;
            }
            clauses.add(new Clause(id, heading, text, d.highlighted));
        }
        return clauses;
    }

    private static boolean looksLikeHeading(String s) {
        if (s.length() > MAX_INLINE_HEADING_CHARS) {
            return false;
        }
        char last = s.charAt(s.length() - 1);
        return "。；;：:，,".indexOf(last) < 0 && s.indexOf('。') < 0;
    }

    /** Bold text with at least one letter in it; bold in a markdown heading is typography, not emphasis. */
    private static boolean emphasised(String s, boolean markdown) {
        if (markdown || s == null) {
            return false;
        }
        Matcher m = BOLD.matcher(s);
        while (m.find()) {
            if (m.group(1).codePoints().anyMatch(Character::isLetter)) {
                return true;
            }
        }
        return false;
    }

    private static String clean(String s) {
        return s.replace("**", "").strip();
    }

    private record Start(String id, String rest, boolean section) {
    }

    private static final class Draft {
        final String id;
        final String rest;
        final boolean section;
        boolean highlighted;
        final List<String> body = new ArrayList<>();

        Draft(String id, String rest, boolean section, boolean highlighted) {
            this.id = id;
            this.rest = rest;
            this.section = section;
            this.highlighted = highlighted;
        }
    }
}
