package io.termsledger.notice.domain;

import java.time.ZoneId;
import java.util.Map;

/**
 * What notice-service needs of an agreement's policy: the revision lead time, the zone
 * for day arithmetic, whether the lead runs from the announcement or from each user's
 * delivery, and per-type notice periods that override the configured defaults.
 */
public record AgreementPolicy(String agreementKey, String scope, String parentKey, String product, ZoneId zone,
                              int noticeDays, String noticeMeasuredFrom, Map<String, Integer> noticePeriods) {

    public static final String INDIVIDUAL_DELIVERY = "INDIVIDUAL_DELIVERY";

    public boolean individualDelivery() {
        return INDIVIDUAL_DELIVERY.equals(noticeMeasuredFrom);
    }
}
