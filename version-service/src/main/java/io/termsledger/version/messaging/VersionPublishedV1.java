package io.termsledger.version.messaging;

import java.time.Instant;
import java.util.List;

/**
 * Data of {@code agreement.version.published.v1}: everything a consumer needs, so that nobody calls
 * version-service back. {@code previousVersion} is the highest published, non-withdrawn version below
 * this one (null for the first); {@code imported} marks history brought in through the import.
 */
public record VersionPublishedV1(String agreementKey, int version, String label, String changeSummary, boolean imported,
                                 AgreementRegisteredV1 agreement, Instant noticeAt, Instant effectiveAt,
                                 String contentSha256, Integer previousVersion, List<ClauseData> clauses) {

    public static final String TYPE = "agreement.version.published.v1";
}
