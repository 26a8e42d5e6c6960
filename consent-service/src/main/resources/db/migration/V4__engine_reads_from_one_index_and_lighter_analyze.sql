-- Every re-evaluation reads the facts of its (user, agreement) pairs: the fact kind, version,
-- method and instants, never the canonical document. With those columns in the index that
-- finds the pairs, the read is an index-only scan: one or two adjacent index pages per pair
-- instead of a random heap page per fact (each fact of a user is on another heap page, as the
-- table is appended to). Pages inserted since the table's last vacuum are still read from the
-- heap; autovacuum's insert threshold (or the service's table upkeep when autovacuum is off)
-- keeps that tail short. The new index replaces (user_id, agreement_key), which it leads with.
-- Building it locks the table against writes for the time it takes (seconds per million
-- facts); on a large ledger, create it beforehand with CREATE INDEX CONCURRENTLY under the
-- same name and this migration skips it.
create index if not exists consent_fact_user_agreement_seq on consent_fact (user_id, agreement_key, seq)
    include (event_id, kind, version, method, occurred_at, recorded_at, imported);
drop index if exists consent_fact_user_agreement;

-- Likewise what was last emitted for each (user, agreement, version), which every
-- re-evaluation reads next to the facts: kind, basis and since join the index that finds it.
create index if not exists bound_emission_user_latest on bound_emission (user_id, agreement_key, version, id)
    include (kind, basis, since);
drop index if exists bound_emission_user;

-- Chain heads and projection rows are rewritten in place on every write to their user; the
-- values the planner cares about (which agreements, which versions) barely move with that.
-- With the default scale factor (0.1) every tenth of such a table rewritten re-analyzed it,
-- reading up to 30,000 of its pages each time (under load, an analyze of the projection rows
-- of 1-3 s about once a minute). Analyze them once changes reach twice their size instead.
alter table chain_head set (autovacuum_analyze_scale_factor = 2);
alter table user_agreement_status set (autovacuum_analyze_scale_factor = 2);
alter table user_pending_state set (autovacuum_analyze_scale_factor = 2);

-- Idempotency keys are only ever looked up by their primary key: the planner needs the
-- table's size, not a 30,000-row sample of its values. A target of 10 samples 3,000 rows.
alter table idempotency_key alter column scope set statistics 10, alter column idem_key set statistics 10,
    alter column state set statistics 10, alter column response_status set statistics 10,
    alter column created_at set statistics 10;
