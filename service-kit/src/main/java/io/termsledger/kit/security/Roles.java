package io.termsledger.kit.security;

import java.util.List;

/** The roles of the public contract (CONTRACT.md, Roles), carried in the token's {@code groups} claim. */
public final class Roles {

    /** Sign-up flows and products: record consents, objections and usage. */
    public static final String CONSENT_WRITER = "consent-writer";
    /** Register agreements, draft, publish and withdraw versions, issue admin notices. */
    public static final String AGREEMENT_ADMIN = "agreement-admin";
    /** Read everything, export proofs. */
    public static final String AUDITOR = "auditor";
    /** An end user: reads only their own record (token subject = userId). */
    public static final String USER = "user";
    /** Mailer / SMS gateways reporting delivery outcomes (an extension of the contract). */
    public static final String NOTICE_GATEWAY = "notice-gateway";

    public static final List<String> ALL = List.of(CONSENT_WRITER, AGREEMENT_ADMIN, AUDITOR, USER, NOTICE_GATEWAY);

    private Roles() {
    }
}
