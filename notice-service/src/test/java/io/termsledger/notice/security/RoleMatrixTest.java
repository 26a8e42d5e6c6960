package io.termsledger.notice.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.RoleMatrixContract;
import java.util.Map;
import java.util.Set;

/**
 * Notices are read by the services' callers (a product shows them to its users), not by end-user
 * tokens, which read their own record only. Deliveries name users, so only admins and auditors
 * list them; gateways read and report single deliveries.
 */
@QuarkusTest
class RoleMatrixTest extends RoleMatrixContract {

    /** Every role but {@code user}: end users read their own record only (CONTRACT.md). */
    private static final Set<String> SERVICES = Set.of(Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR,
            Roles.NOTICE_GATEWAY);
    private static final Set<String> ADMIN = Set.of(Roles.AGREEMENT_ADMIN);
    private static final Set<String> OVERSIGHT = Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR);

    @Override
    protected Map<String, Set<String>> expectedRoles() {
        return Map.ofEntries(
                Map.entry("GET /notices", SERVICES),
                Map.entry("POST /notices", ADMIN),
                Map.entry("GET /notices/{id}", SERVICES),
                Map.entry("GET /notices/{id}/deliveries", OVERSIGHT),
                Map.entry("GET /deliveries/{id}", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR, Roles.NOTICE_GATEWAY)),
                Map.entry("POST /deliveries/{id}/reports", Set.of(Roles.AGREEMENT_ADMIN, Roles.NOTICE_GATEWAY)),
                Map.entry("GET /compliance/lead-times", OVERSIGHT),
                Map.entry("GET /admin/parked-events", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/parked-events/{id}/replay", Set.of(Roles.AGREEMENT_ADMIN)),
                Map.entry("GET /admin/clock", OVERSIGHT),
                Map.entry("POST /admin/clock", ADMIN));
    }
}
