package io.termsledger.consent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsledger.consent.domain.Policy;
import io.termsledger.consent.domain.Status;
import io.termsledger.consent.repository.AgreementRepository;
import io.termsledger.consent.repository.AgreementRepository.Agreement;
import io.termsledger.consent.repository.AgreementRepository.Version;
import io.termsledger.consent.repository.Db;
import io.termsledger.consent.repository.LedgerRepository;
import io.termsledger.consent.repository.LedgerRepository.StoredFact;
import io.termsledger.kit.problem.ApiProblem;
import io.termsledger.kit.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The evidence bundle of {@code GET /users/{u}/proof}: the user's whole chain (each
 * fact's canonical form and hash), the versions and policies the facts refer to, usage
 * and deliveries, the engine's answer with the rules it applied, and a digest over the
 * canonical form of everything else. {@code consent-service/tools/VerifyProof.java}
 * checks it offline. Format: consent-service/README.md.
 */
@ApplicationScoped
public class ProofService {

    public static final String FORMAT = "terms-ledger-proof/2";

    @Inject
    Db db;

    @Inject
    LedgerRepository ledger;

    @Inject
    AgreementRepository agreements;

    @Inject
    ProjectionService projection;

    @Inject
    AppClock clock;

    @Inject
    ObjectMapper json;

    @Inject
    ProofSigner signer;

    /**
     * The user's bundle, read in one read-only REPEATABLE READ transaction: the facts, usage and deliveries it
     * lists and those its statuses are computed from are one snapshot of the ledger, so a fact recorded
     * meanwhile cannot show in a status but not in the chain.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ObjectNode bundle(String userId) {
        db.update("set transaction isolation level repeatable read, read only");
        List<StoredFact> facts = ledger.facts(userId);
        List<String> keys = ledger.agreementsOf(userId);
        if (facts.isEmpty() && keys.isEmpty()) {
            throw ApiProblem.notFound("The ledger holds nothing for user '" + userId + "'.");
        }
        Instant now = clock.now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode b = json.createObjectNode();
        b.put("format", FORMAT);
        b.put("userId", userId);
        b.put("generatedAt", now.toString());
        b.put("hashAlgorithm", "SHA-256");
        b.put("canonicalForm", "JSON, members sorted by name, null members omitted, no whitespace, integers only,"
                + " strings UTF-8 with only \" \\ and U+0000-U+001F escaped; fact hash = sha256(canonical),"
                + " bundleSha256 = sha256(canonical(bundle without bundleSha256 and signature)); signature.value ="
                + " SHA256withRSA over the UTF-8 bytes of bundleSha256 by the key whose X.509 encoding is"
                + " signature.publicKey, keyId = sha256 of that encoding");
        ObjectNode chain = b.putObject("chain");
        chain.put("genesis", Canonical.GENESIS);
        chain.put("head", facts.isEmpty() ? Canonical.GENESIS : facts.get(facts.size() - 1).hash());
        chain.put("length", facts.size());
        ArrayNode fa = b.putArray("facts");
        for (StoredFact f : facts) {
            ObjectNode n = fa.addObject();
            n.put("seq", f.seq());
            n.put("hash", f.hash());
            n.put("canonical", f.canonical());
        }
        ArrayNode aa = b.putArray("agreements");
        for (String key : keys) {
            // the catalog of the transaction's snapshot, not the cache: a fact names no version its bundle lacks
            AgreementRepository.Catalog catalog = agreements.read(key);
            Agreement a = catalog.agreement().orElse(null);
            if (a == null) {
                continue;
            }
            List<Version> versions = catalog.versions();
            ObjectNode an = aa.addObject();
            an.put("agreementKey", a.key());
            an.put("title", a.title());
            an.put("scope", a.scope());
            an.put("product", a.product());
            an.put("parentKey", a.parentKey());
            an.put("timezone", a.timezone());
            Policy p = a.policy();
            ObjectNode pn = an.putObject("policy");
            pn.put("noticeDays", p.noticeDays());
            pn.put("bindingRule", p.bindingRule().name());
            pn.put("sealPrevails", p.sealPrevails());
            ArrayNode methods = pn.putArray("acceptanceMethods");
            p.acceptanceMethods().stream().map(Enum::name).sorted().forEach(methods::add);
            pn.put("noticeMeasuredFrom", p.noticeMeasuredFrom().name());
            ArrayNode vs = an.putArray("versions");
            for (Version v : versions) {
                ObjectNode vn = vs.addObject();
                vn.put("version", v.version());
                vn.put("noticeAt", v.noticeAt().toString());
                vn.put("effectiveAt", v.effectiveAt().toString());
                vn.put("withdrawnAt", v.withdrawnAt() == null ? null : v.withdrawnAt().toString());
                vn.put("contentSha256", v.contentSha256());
                vn.put("imported", v.imported());
            }
            ArrayNode us = an.putArray("usage");
            ledger.usage(userId, key).forEach(u -> us.add(u.occurredAt().toString()));
            ArrayNode ds = an.putArray("noticeDeliveries");
            ledger.deliveries(userId, key).forEach(d -> {
                ObjectNode dn = ds.addObject();
                dn.put("version", d.version());
                dn.put("noticeId", d.noticeId());
                dn.put("deliveredAt", d.deliveredAt().toString());
            });
            Status s = projection.status(projection.inputs(userId, a, versions), now);
            an.set("status", json.valueToTree(StatusView.of(userId, key, now, s)));
        }
        String digest = Canonical.sha256Hex(Canonical.write(b));
        b.put("bundleSha256", digest);
        ObjectNode signature = b.putObject("signature");
        signature.put("algorithm", ProofSigner.ALGORITHM);
        signature.put("keyId", signer.keyId());
        signature.put("publicKey", signer.publicKeyBase64());
        signature.put("value", signer.sign(digest));
        return b;
    }
}
