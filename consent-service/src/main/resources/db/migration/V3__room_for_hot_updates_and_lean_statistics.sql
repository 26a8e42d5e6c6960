-- Rows updated on every write to a user leave room on their page, so an update that changes
-- no indexed column stays on the page (a HOT update) and adds no index entries: a chain head
-- is locked and moved in every batch that touches its user; a projection row is rewritten at
-- every re-evaluation, mostly without a change of governing version or next check. Applies to
-- pages written from now on (an existing table takes it with VACUUM FULL, off-peak).
alter table chain_head set (fillfactor = 70);
alter table user_agreement_status set (fillfactor = 80);

-- Columns no query filters, joins or sorts on need no planner statistics: ANALYZE (the
-- server's or the service's own upkeep) then skips sorting 30,000 sampled hashes, canonical
-- documents and answers of each table.
alter table consent_fact alter column canonical set statistics 0,
    alter column prev_hash set statistics 0, alter column hash set statistics 0;
alter table user_agreement_status alter column status_json set statistics 0;
alter table idempotency_key alter column request_sha256 set statistics 0,
    alter column response_body set statistics 0;
