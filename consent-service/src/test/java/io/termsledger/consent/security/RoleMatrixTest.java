package io.termsledger.consent.security;

import io.quarkus.test.junit.QuarkusTest;
import io.termsledger.kit.security.Roles;
import io.termsledger.kit.testing.RoleMatrixContract;
import java.util.Map;
import java.util.Set;

/**
 * Writers record facts and may read a user's status and terms; auditors read everything;
 * a user reads their own status, terms, history and proof; admins run the projection.
 */
@QuarkusTest
class RoleMatrixTest extends RoleMatrixContract {

    private static final Set<String> WRITER = Set.of(Roles.CONSENT_WRITER);
    private static final Set<String> ADMIN = Set.of(Roles.AGREEMENT_ADMIN);
    private static final Set<String> OVERSIGHT = Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR);

    @Override
    protected Map<String, Set<String>> expectedRoles() {
        return Map.ofEntries(
                Map.entry("POST /consents", WRITER),
                Map.entry("POST /objections", WRITER),
                Map.entry("POST /usage", WRITER),
                Map.entry("POST /consents/import", WRITER),
                Map.entry("GET /consents/{eventId}", Set.of(Roles.AUDITOR, Roles.CONSENT_WRITER)),
                Map.entry("GET /users/{userId}/agreements/{key}/status", Set.of(Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER)),
                Map.entry("GET /users/{userId}/terms", Set.of(Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER)),
                Map.entry("GET /users/{userId}/consents", Set.of(Roles.AUDITOR, Roles.USER)),
                Map.entry("GET /users/{userId}/proof", Set.of(Roles.AUDITOR, Roles.USER)),
                Map.entry("GET /proof/signing-key", Set.of(Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER,
                        Roles.AGREEMENT_ADMIN)),
                Map.entry("GET /agreements/{key}/population", OVERSIGHT),
                Map.entry("POST /admin/projection/rebuild", ADMIN),
                Map.entry("POST /admin/projection/sweep", ADMIN),
                Map.entry("GET /admin/parked-events", Set.of(Roles.AGREEMENT_ADMIN, Roles.AUDITOR)),
                Map.entry("POST /admin/parked-events/{id}/replay", Set.of(Roles.AGREEMENT_ADMIN)),
                Map.entry("GET /admin/clock", OVERSIGHT),
                Map.entry("POST /admin/clock", ADMIN));
    }
}
