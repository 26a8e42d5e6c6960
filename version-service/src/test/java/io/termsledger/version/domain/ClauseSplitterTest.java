package io.termsledger.version.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The splitter against the five seed agreements exactly as shipped, plus the shapes they use. */
class ClauseSplitterTest {

    static final Path SEEDS = Path.of("../seeds");

    static List<Clause> seed(String file) throws IOException {
        return ClauseSplitter.split(Files.readString(SEEDS.resolve(file)));
    }

    static Map<String, Clause> byId(List<Clause> clauses) {
        return clauses.stream().collect(Collectors.toMap(Clause::id, Function.identity()));
    }

    static List<String> ids(List<Clause> clauses) {
        return clauses.stream().map(Clause::id).toList();
    }

    static void assertUnique(List<Clause> clauses) {
        assertEquals(clauses.size(), new HashSet<>(ids(clauses)).size(), "clause ids are unique: " + ids(clauses));
    }

    @Test
    void asiayun000ChineseSectionsDuplicateNumberAndSplitBoldNumber() throws IOException {
        List<Clause> clauses = seed("000_f67e1bccb6ba9459.txt");
        Map<String, Clause> c = byId(clauses);
        assertUnique(clauses);
        assertEquals(91, clauses.size());
        assertEquals(List.of("preamble", "一", "1.1", "1.2", "二", "2.1"), ids(clauses).subList(0, 6));
        assertTrue(c.get("preamble").text().startsWith("亚云用户服务协议"));
        assertEquals("总则", c.get("一").heading());
        assertEquals("附则", c.get("十一").heading());
        assertTrue(c.get("十一").text().contains("修订内容在发出修订通知 7 日后生效"));
        assertEquals("十一", clauses.get(clauses.size() - 1).id());
        // two clauses numbered 2.1.3: the second (under 2.2) gets a suffix
        assertTrue(c.get("2.1.3").text().startsWith("如果您提供的资料"));
        assertTrue(c.get("2.1.3~2").text().startsWith("若因您提供的信息不完全"));
        assertEquals(ids(clauses).indexOf("2.2.2") + 1, ids(clauses).indexOf("2.1.3~2"));
        // "**6.**" + "4 登录记录": one clause 6.4, and 6.3 keeps its own text without the debris
        assertEquals("登录记录", c.get("6.4").heading());
        assertTrue(c.get("6.4").text().startsWith("为了保障您使用本服务的安全"));
        assertFalse(c.get("6.3").text().contains("6."));
        assertFalse(c.get("6.3").highlighted());
        assertTrue(c.get("5.5").text().contains("至少提前 3 个自然日通知您"));
        assertEquals("登录名和密码", c.get("6.1").heading());
        assertTrue(clauses.stream().noneMatch(Clause::highlighted), "000 prints nothing in bold");
    }

    @Test
    void mashangyun001ListNumbersBeforeClauseNumbers() throws IOException {
        List<Clause> clauses = seed("001_111862d00bf5977e.txt");
        Map<String, Clause> c = byId(clauses);
        assertUnique(clauses);
        assertEquals(99, clauses.size());
        assertEquals(List.of("preamble", "1", "1.1", "1.2", "2"), ids(clauses).subList(0, 5));
        assertTrue(c.get("preamble").text().contains("打印件加盖公章并寄回"));
        assertEquals("服务内容", c.get("1").heading());
        assertTrue(c.get("1.1").text().startsWith("本协议中“服务”指"));
        assertEquals("您的权利、义务", c.get("3.1").text());
        assertTrue(c.get("3.1.1").text().contains("如您继续使用码尚云服务，则视为您接受"));
        assertTrue(c.containsKey("3.1.3.5.8"));
        assertTrue(c.get("4.3").text().contains("30 个自然日内"));
        assertTrue(c.get("7.3.4").text().contains("提前 30 天"));
        // "1. [bookmark: _GoBack]10.法律适用及争议解决"
        assertEquals("法律适用及争议解决", c.get("10").heading());
        assertEquals("11.2", clauses.get(clauses.size() - 1).id());
        assertTrue(clauses.stream().noneMatch(x -> x.text().contains("bookmark")));
    }

    @Test
    void aliyun002MarkdownBoldAndTwoDocumentsInOneFile() throws IOException {
        List<Clause> clauses = seed("002_1592abcf59f5d304.txt");
        Map<String, Clause> c = byId(clauses);
        assertUnique(clauses);
        assertEquals(138, clauses.size());
        assertTrue(c.get("preamble").text().contains("下载打印后加盖印章"));
        assertTrue(c.get("preamble").text().contains("通用服务条款"));
        assertEquals("权利及义务", c.get("3").heading());
        assertEquals("用户数据", c.get("4").heading(), "## 4 用户数据 has no dot after the number");
        assertTrue(c.get("3.2.7").text().contains("提前30天"));
        assertFalse(c.get("3.2.7").highlighted());
        assertTrue(c.get("12.4").text().contains("以双方盖章的文本为准") || c.get("12.4").text().contains("盖章"));
        assertTrue(c.get("12.4").highlighted(), "12.4 is printed bold");
        assertTrue(c.get("9").highlighted(), "the limitation of liability under ## 9 is bold");
        assertTrue(c.get("2.3.1").highlighted());
        assertTrue(c.get("3.1.6.1").text().startsWith("利用阿里云提供的服务"), "3.1.6.1.利用 has no space");
        assertFalse(c.get("12.1").text().contains("**"), "emphasis markers are not part of the text");
        // the 闪电立方 product terms repeat the numbers of the general terms
        assertTrue(c.get("preamble~2").text().startsWith("闪电立方专用服务条款"));
        assertEquals("产品服务内容包括", c.get("1~2").heading());
        assertTrue(c.get("2.1~2").text().startsWith("闪电立方设备是阿里云为您的数据迁移准备的必要设备"));
        assertTrue(c.get("2.2~2").text().contains("7个自然日内"));
        assertEquals("2.13", clauses.get(clauses.size() - 1).id());
        assertTrue(ids(clauses).indexOf("12.4") < ids(clauses).indexOf("preamble~2"));
    }

    @Test
    void aliyunEcs003DeepNumbersAndFullWidthDots() throws IOException {
        List<Clause> clauses = seed("003_f328c8af535ba965.txt");
        Map<String, Clause> c = byId(clauses);
        assertUnique(clauses);
        assertEquals(102, clauses.size());
        assertTrue(c.get("preamble").text().startsWith("阿里云服务器服务（ECS）服务条款"));
        assertTrue(c.get("preamble").text().contains("关于本服务条款，提示您特别关注限制、免责条款"));
        // 2.1.1.1 printed under 2.2.1: kept as printed, in document order
        List<String> ids = ids(clauses);
        assertEquals(List.of("2.2.1", "2.1.1.1", "2.1.1.2", "2.2.2"), ids.subList(ids.indexOf("2.2.1"), ids.indexOf("2.2.1") + 4));
        assertTrue(c.get("3.1.1").text().contains("提前30天"));
        assertTrue(c.get("3.1.3.1.1").text().startsWith("如果您在云服务器服务上开办了多个网站"), "3.1.3.1.1． full-width dot");
        assertTrue(c.get("3.1.3.1.7").text().contains("您理解并认可，以上列举并不能穷尽"), "unnumbered paragraph joins the clause above");
        assertTrue(c.get("3.2.6").text().contains("提前7个自然日"));
        assertEquals("11.3", ids.get(ids.size() - 1));
    }

    @Test
    void anheng004WrappedLinesAndDuplicateNumber() throws IOException {
        List<Clause> clauses = seed("004_97d718d57e6ade44.txt");
        Map<String, Clause> c = byId(clauses);
        assertUnique(clauses);
        assertEquals(66, clauses.size());
        assertEquals("服务条款的接受与修改", c.get("1").heading());
        assertTrue(c.get("1.2").text().contains("修改的条款将于发布或通知后生效"));
        assertTrue(c.get("2.2.1").text().startsWith("如果您的账户信息发生变更"));
        assertTrue(c.get("2.2.1~2").text().startsWith("用户购买本服务时"));
        assertTrue(c.get("8.3.5").text().contains("提前十五日通知对方"));
        assertEquals("暂停的情形", c.get("8.2").heading());
        assertEquals("9.2", clauses.get(clauses.size() - 1).id());
    }

    @Test
    void shapesOnTheirOwn() {
        List<Clause> clauses = ClauseSplitter.split(String.join("\n",
                "Title line",
                "## 1. General",
                "1.1 First clause.",
                "1.1 Repeated number.",
                "1.1 Repeated again.",
                "**1.2. Bold clause.**",
                "1.3 Plain with **a bold run** inside",
                "1.4 Plain text that is a sentence, wrapped",
                "   continued on the next line",
                "7×24 is not a clause number",
                "2. 2.1 list-numbered clause",
                "三、第三章",
                "## Second document",
                "1.1 again"));
        assertEquals(List.of("preamble", "1", "1.1", "1.1~2", "1.1~3", "1.2", "1.3", "1.4", "2.1", "三", "preamble~2",
                "1.1~4"), ids(clauses));
        Map<String, Clause> c = byId(clauses);
        assertEquals("Title line", c.get("preamble").text());
        assertEquals("General", c.get("1").heading());
        assertEquals("", c.get("1").text());
        assertTrue(c.get("1.2").highlighted());
        assertEquals("Bold clause.", c.get("1.2").text());
        assertTrue(c.get("1.3").highlighted());
        assertEquals("Plain with a bold run inside", c.get("1.3").text());
        assertFalse(c.get("1.4").highlighted());
        assertEquals("Plain text that is a sentence, wrapped\ncontinued on the next line\n7×24 is not a clause number", c.get("1.4").text());
        assertEquals("list-numbered clause", c.get("2.1").text());
        assertEquals("第三章", c.get("三").heading());
        assertNull(c.get("1.1").heading());
        // a short first line followed by text reads as the clause's title (000: 6.1 登录名和密码)
        assertEquals("Title", ClauseSplitter.split("1.1 Title\nBody text.").get(0).heading());
    }

    @Test
    void noNumbersAtAllIsOnePreamble() {
        List<Clause> clauses = ClauseSplitter.split("Just some terms.\nSecond line.");
        assertEquals(1, clauses.size());
        assertEquals(new Clause("preamble", null, "Just some terms.\nSecond line.", false), clauses.get(0));
    }
}
