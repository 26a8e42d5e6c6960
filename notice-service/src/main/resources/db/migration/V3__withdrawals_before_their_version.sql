-- A withdrawal that arrives before its version's publication (that event parked, then replayed):
-- kept, so that the publication, when it comes, stores the version withdrawn and issues no notice.
create table withdrawal_before_version (
    agreement_key text not null,
    version int not null,
    withdrawn_at timestamptz not null,
    primary key (agreement_key, version)
);
