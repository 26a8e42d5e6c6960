package io.termsledger.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/local/tour, run twice against the suite's stack (its URLs and signing key instead of those of
 * deploy/local/up): each run tells the whole story and publishes the next ECS version. The output of the
 * last run is kept in e2e/target/tour-output.txt.
 */
@Order(3)
@ExtendWith(SharedStack.class)
class GuidedTourTest {

    static final Pattern DRAFT = Pattern.compile("draft version (\\d+)");

    @Test
    void tourTellsTheStoryAndCanRunAgain(Stack stack) throws Exception {
        Path keys = stack.tokens.writeKeyDir(stack.logs.resolve("keys"));
        int previous = -1;
        for (int run = 1; run <= 2; run++) {
            Path out = stack.root.resolve("e2e/target/tour-output" + (run == 2 ? "" : "-" + run) + ".txt");
            ProcessBuilder pb = new ProcessBuilder("bash", stack.root.resolve("deploy/local/tour").toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            env.put("VERSION_URL", stack.url("version-service"));
            env.put("CONSENT_URL", stack.url("consent-service"));
            env.put("NOTICE_URL", stack.url("notice-service"));
            env.put("LEDGER_KEYS_DIR", keys.toString());            // deploy/local/token signs with the suite's key
            env.put("LEDGER_JWT_ISSUER", Tokens.ISSUER);
            env.put("LEDGER_JWT_AUDIENCE", Tokens.AUDIENCE);
            Process p = pb.start();
            assertTrue(p.waitFor(150, TimeUnit.SECONDS), "the tour did not finish in 150 s");
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);

            Matcher m = DRAFT.matcher(text);
            assertTrue(m.find(), text);
            int version = Integer.parseInt(m.group(1));
            if (previous > 0) {
                assertEquals(previous + 1, version, "a second run publishes the next version");
            }
            previous = version;
            for (String expected : new String[] {
                    "revision notice", "modified 1", "SITE REQUESTED", "(CLICK since",
                    "(click, then use): governed by version " + version + " (USE since",
                    "(sealed): governed by version " + (version - 1) + " (SEAL since",
                    "revision " + version + ": BLOCKED_BY_SEAL",
                    "(use only): governed by version " + (version - 1) + " (USE since",
                    "revision " + version + ": AWAITING_USE",
                    "(objected): governed by version " + (version - 1),
                    "revision " + version + ": OBJECTED",
                    "(accepted early): governed by version " + version + " (CLICK since",
                    "version " + version + " is effective",
                    "governed by version " + version + ":", "revision " + version + " AWAITING_USE: ",
                    "is #1 of the chain", "signed by the key you hold", "RESULT: VERIFIED", "RESULT: NOT VERIFIED"}) {
                assertTrue(text.contains(expected), "tour output lacks '" + expected + "':\n" + text);
            }
        }
    }
}
