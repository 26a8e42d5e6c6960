-- The sweep's claim on a due projection row gets its own column: a claimed row stays due
-- (next_check_at <= now), so a status query never mistakes it for a current answer while
-- it is being re-evaluated.
alter table user_agreement_status add column claimed_until timestamptz;

-- Every change to an agreement or its versions bumps its revision in the same
-- transaction. A re-evaluation share-locks the rows of the agreements it evaluates and
-- reads their catalog at that revision, so a publication either commits before the
-- re-evaluation reads the catalog or marks its rows due after it has committed.
alter table agreement add column revision bigint not null default 0;
