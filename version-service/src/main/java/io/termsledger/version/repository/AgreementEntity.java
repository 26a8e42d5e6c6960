package io.termsledger.version.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.termsledger.version.domain.BindingRule;
import io.termsledger.version.domain.NoticeMeasuredFrom;
import io.termsledger.version.domain.Scope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An agreement and its policy. Internal: mapped to records before it leaves the service. */
@Entity
@Table(name = "agreement")
public class AgreementEntity extends PanacheEntityBase {

    @Id
    @Column(name = "agreement_key")
    public String key;

    public String title;

    public String provider;

    @Enumerated(EnumType.STRING)
    public Scope scope;

    @Column(name = "parent_key")
    public String parentKey;

    public String product;

    public String timezone;

    @Column(name = "notice_days")
    public int noticeDays;

    @Enumerated(EnumType.STRING)
    @Column(name = "binding_rule")
    public BindingRule bindingRule;

    @Column(name = "seal_prevails")
    public boolean sealPrevails;

    /** Comma-separated {@link io.termsledger.version.domain.AcceptanceMethod} names, in request order. */
    @Column(name = "acceptance_methods")
    public String acceptanceMethods;

    @Enumerated(EnumType.STRING)
    @Column(name = "notice_measured_from")
    public NoticeMeasuredFrom noticeMeasuredFrom;

    /** JSON object: notice type -> minimum natural days. */
    @Column(name = "notice_periods")
    public String noticePeriods;

    @Column(name = "registered_at")
    public Instant registeredAt;

    public static Optional<AgreementEntity> byKey(String key) {
        return findByIdOptional(key);
    }

    /** Loads the agreement locked for update: serialises drafts, publications and withdrawals per agreement. */
    public static Optional<AgreementEntity> lockByKey(String key) {
        return findByIdOptional(key, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The PRODUCT terms that cover {@code product}, if any, read under a lock on the product's name held to the
     * end of the transaction: two registrations of one product cannot both find none.
     */
    public static Optional<AgreementEntity> lockProduct(String product) {
        getEntityManager().createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) x")
                .setParameter(1, "agreement.product:" + product).getResultList();
        return find("product", product).firstResultOptional();
    }

    public static List<AgreementEntity> allByKey() {
        return list("order by key");
    }
}
