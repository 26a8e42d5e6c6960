package io.termsledger.notice.domain;

/** REQUESTED when emitted to the gateways; then what the gateway last reported. */
public enum DeliveryStatus {
    REQUESTED, SENT, FAILED, DELIVERED;

    /** The statuses a gateway may report. */
    public boolean reportable() {
        return this != REQUESTED;
    }
}
