package io.termsledger.kit.messaging;

import java.util.List;

/** The topics of the public contract (CONTRACT.md). */
public final class Topics {

    public static final String AGREEMENT_VERSIONS = "agreements.versions";
    public static final String AGREEMENT_NOTICES = "agreements.notices";
    public static final String NOTICE_DELIVERIES = "agreements.notice-deliveries";
    public static final String CONSENT_EVENTS = "consents.events";
    public static final String USAGE_SIGNALS = "usage.signals";
    /** Gateway reports on deliveries (SENT / FAILED / DELIVERED); an extension of the contract. */
    public static final String DELIVERY_REPORTS = "agreements.notice-delivery-reports";

    public static final List<String> ALL = List.of(AGREEMENT_VERSIONS, AGREEMENT_NOTICES, NOTICE_DELIVERIES,
            CONSENT_EVENTS, USAGE_SIGNALS, DELIVERY_REPORTS);

    private Topics() {
    }
}
