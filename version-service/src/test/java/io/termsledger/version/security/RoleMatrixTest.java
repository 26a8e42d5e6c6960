package io.termsledger.version.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.RoleMatrixContract;
import java.util.Map;
import java.util.Set;

/** Agreements and versions are read by the services' callers, not by end users; only admins change them. */
@QuarkusTest
class RoleMatrixTest extends RoleMatrixContract {

    /** Every role but {@code user}: end users read their own record only (CONTRACT.md). */
    private static final Set<String> SERVICES = Set.of(Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN, Roles.AUDITOR,
            Roles.NOTICE_GATEWAY);
    private static final Set<String> ADMIN = Set.of(Roles.AGREEMENT_ADMIN);

    @Override
    protected Map<String, Set<String>> expectedRoles() {
        return Map.ofEntries(
                Map.entry("POST /agreements", ADMIN),
                Map.entry("GET /agreements", SERVICES),
                Map.entry("GET /agreements/{key}", SERVICES),
                Map.entry("POST /agreements/{key}/versions", ADMIN),
                Map.entry("GET /agreements/{key}/versions", SERVICES),
                Map.entry("GET /agreements/{key}/versions/current", SERVICES),
                Map.entry("GET /agreements/{key}/versions/{n}", SERVICES),
                Map.entry("POST /agreements/{key}/versions/{n}/publish", ADMIN),
                Map.entry("POST /agreements/{key}/versions/{n}/withdraw", ADMIN),
                Map.entry("GET /agreements/{key}/versions/{a}/diff/{b}", SERVICES),
                Map.entry("POST /agreements/{key}/versions/import", ADMIN),
                Map.entry("GET /admin/parked-events", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/parked-events/{id}/replay", Set.of(Roles.AGREEMENT_ADMIN)),
                Map.entry("GET /admin/clock", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/clock", ADMIN));
    }
}
