package io.termsledger.notice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.termsledger.notice.domain.NoticeType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdminNoticeRequestHashTest {

    private static final Instant T1 = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2027-02-01T00:00:00Z");

    @Test
    void fieldsThatShareTheirTextDifferently() {
        // with the fields only joined by a line break, these two requests were one request to an Idempotency-Key
        String a = NoticeService.requestSha256(NoticeType.DISCONTINUATION, "k", T1, T2 + "\nm");
        String b = NoticeService.requestSha256(NoticeType.DISCONTINUATION, "k\n" + T1, T2, "m");
        assertNotEquals(a, b);
    }

    @Test
    void theSameRequestToTheMicrosecond() {
        assertEquals(NoticeService.requestSha256(NoticeType.DATA_DELETION, "k", T1.plusNanos(1_000_400), "m"),
                NoticeService.requestSha256(NoticeType.DATA_DELETION, "k", T1.plusNanos(1_000_000), "m"));
        assertNotEquals(NoticeService.requestSha256(NoticeType.DATA_DELETION, "k", T1, "m"),
                NoticeService.requestSha256(NoticeType.DISCONTINUATION, "k", T1, "m"));
    }
}
