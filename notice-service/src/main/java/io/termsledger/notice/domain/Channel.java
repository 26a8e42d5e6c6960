package io.termsledger.notice.domain;

/** Delivery channels: site announcement, in-app message, email, SMS. */
public enum Channel {
    SITE, IN_APP, EMAIL, SMS
}
