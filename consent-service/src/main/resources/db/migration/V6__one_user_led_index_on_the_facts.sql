-- Every fact went into two indexes that both lead with the user: the unique (user_id, seq)
-- that keeps a chain free of two facts at one position, and the covering
-- (user_id, agreement_key, seq) the engine reads a pair's facts from (V4). One index does
-- both: unique on (user_id, seq), carrying the agreement and what the engine reads. A
-- re-evaluation then reads all the user's facts from it and keeps those of the agreement:
-- they sit side by side in the index, and a user has facts of few agreements. Each appended
-- fact writes one index entry fewer (bench/README.md, session 8).
--
-- Building it locks the table against writes for the time it takes (seconds per million
-- facts); on a large ledger, create it beforehand with CREATE UNIQUE INDEX CONCURRENTLY under
-- the same name and this migration skips it.
create unique index if not exists consent_fact_user_seq on consent_fact (user_id, seq)
    include (agreement_key, event_id, kind, version, method, occurred_at, recorded_at, imported);
alter table consent_fact drop constraint if exists consent_fact_user_id_seq_key;
drop index if exists consent_fact_user_agreement_seq;
