-- The engine's reads of a pair's facts and of its last emitted bindings are index-only scans
-- (V4), but only for heap pages the visibility map marks all-visible. Rows inserted since the
-- table's last vacuum are still fetched from the heap, a random page each. Autovacuum's default
-- insert trigger (1,000 rows + 20 % of the table) lets that unvacuumed tail grow with the
-- ledger: 890,000 facts on a 4.8-million-fact ledger. The facts a re-evaluation reads are
-- mostly recent ones, so they sit in that tail.
--
-- Vacuum these two tables after 50,000 inserts, whatever their size. Such a vacuum only visits
-- the pages added since the last one. Autovacuum, when on, and otherwise the service's table
-- upkeep (once a minute) both take a table's own parameters first.
--
-- Measured on a 2-core machine (bench/README.md, session 7): with 716,000-800,000 facts of
-- tail, the read of a batch's facts took 0.41 ms and read 39 pages from outside shared buffers.
-- Vacuumed within the last minute, it took 0.20 ms and read 13 pages.
alter table consent_fact set (autovacuum_vacuum_insert_threshold = 50000, autovacuum_vacuum_insert_scale_factor = 0);
alter table bound_emission set (autovacuum_vacuum_insert_threshold = 50000, autovacuum_vacuum_insert_scale_factor = 0);
