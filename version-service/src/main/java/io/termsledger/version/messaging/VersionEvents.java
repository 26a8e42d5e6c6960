package io.termsledger.version.messaging;

import io.termsledger.kit.messaging.Topics;
import io.termsledger.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Writes the events of topic {@code agreements.versions} (key: agreement key) to the outbox, in the
 * transaction of the change they report.
 */
@ApplicationScoped
public class VersionEvents {

    @Inject
    Outbox outbox;

    public static String versionSubject(String key, int version) {
        return key + "/versions/" + version;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID registered(AgreementRegisteredV1 data) {
        return outbox.append(Topics.AGREEMENT_VERSIONS, data.agreementKey(), AgreementRegisteredV1.TYPE,
                data.agreementKey(), data);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID published(VersionPublishedV1 data) {
        return outbox.append(Topics.AGREEMENT_VERSIONS, data.agreementKey(), VersionPublishedV1.TYPE,
                versionSubject(data.agreementKey(), data.version()), data);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID withdrawn(VersionWithdrawnV1 data) {
        return outbox.append(Topics.AGREEMENT_VERSIONS, data.agreementKey(), VersionWithdrawnV1.TYPE,
                versionSubject(data.agreementKey(), data.version()), data);
    }
}
