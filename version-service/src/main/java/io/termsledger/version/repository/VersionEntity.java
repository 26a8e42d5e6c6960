package io.termsledger.version.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** One version of an agreement. Content and clauses load lazily: summaries do not need them. */
@Entity
@Table(name = "agreement_version")
public class VersionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agreement_key")
    public String agreementKey;

    public int version;

    public String label;

    @Column(name = "change_summary")
    public String changeSummary;

    @Basic(fetch = FetchType.LAZY)
    public String content;

    @Column(name = "content_sha256")
    public String contentSha256;

    /** JSON array of clauses. */
    @Basic(fetch = FetchType.LAZY)
    public String clauses;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "notice_at")
    public Instant noticeAt;

    @Column(name = "effective_at")
    public Instant effectiveAt;

    @Column(name = "previous_version")
    public Integer previousVersion;

    public boolean imported;

    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;

    @Column(name = "withdraw_reason")
    public String withdrawReason;

    public boolean published() {
        return noticeAt != null;
    }

    public static List<VersionEntity> ofAgreement(String key) {
        return list("agreementKey = ?1 order by version", key);
    }

    public static List<VersionEntity> ofAgreements(Collection<String> keys) {
        return list("agreementKey in ?1 order by agreementKey, version", keys);
    }

    public static Optional<VersionEntity> find(String key, int version) {
        return find("agreementKey = ?1 and version = ?2", key, version).firstResultOptional();
    }
}
