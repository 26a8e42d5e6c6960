package io.termsledger.consent.rest;

import io.termsledger.consent.service.ProofSigner;
import io.termsledger.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The public key that signs proof bundles, for auditors to keep and hand to the verifier. */
@Path("/proof/signing-key")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Which version governs a user, why, since when; history and evidence")
public class ProofKeyResource {

    /** What an auditor keeps: the key's id (what bundles name) and the key itself. */
    public record SigningKey(String algorithm, String keyId, String publicKeyPem) {
    }

    @Inject
    ProofSigner signer;

    @RolesAllowed({Roles.AUDITOR, Roles.USER, Roles.CONSENT_WRITER, Roles.AGREEMENT_ADMIN})
    @GET
    @Operation(summary = "The key that signs proof bundles",
            description = "Save publicKeyPem once, from the service itself, and verify bundles with"
                    + " java consent-service/tools/VerifyProof.java --key key.pem bundle.json: a bundle signed by another"
                    + " key, or altered after it was signed, then fails.")
    @APIResponse(responseCode = "200", description = "{algorithm, keyId, publicKeyPem}")
    public SigningKey key() {
        return new SigningKey(ProofSigner.ALGORITHM, signer.keyId(), signer.publicKeyPem());
    }
}
