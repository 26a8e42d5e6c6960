package io.termsledger.version.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.RoleMatrixContract;
import java.util.Map;
import java.util.Set;

/** Agreements and versions are readable by every authenticated caller; only admins change them. */
@QuarkusTest
class RoleMatrixTest extends RoleMatrixContract {

    private static final Set<String> ANYONE = Set.copyOf(Roles.ALL);
    private static final Set<String> ADMIN = Set.of(Roles.AGREEMENT_ADMIN);

    @Override
    protected Map<String, Set<String>> expectedRoles() {
        return Map.ofEntries(
                Map.entry("POST /agreements", ADMIN),
                Map.entry("GET /agreements", ANYONE),
                Map.entry("GET /agreements/{key}", ANYONE),
                Map.entry("POST /agreements/{key}/versions", ADMIN),
                Map.entry("GET /agreements/{key}/versions", ANYONE),
                Map.entry("GET /agreements/{key}/versions/current", ANYONE),
                Map.entry("GET /agreements/{key}/versions/{n}", ANYONE),
                Map.entry("POST /agreements/{key}/versions/{n}/publish", ADMIN),
                Map.entry("POST /agreements/{key}/versions/{n}/withdraw", ADMIN),
                Map.entry("GET /agreements/{key}/versions/{a}/diff/{b}", ANYONE),
                Map.entry("POST /agreements/{key}/versions/import", ADMIN),
                Map.entry("GET /admin/parked-events", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/parked-events/{id}/replay", Set.of(Roles.AGREEMENT_ADMIN)),
                Map.entry("GET /admin/clock", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/clock", ADMIN));
    }
}
