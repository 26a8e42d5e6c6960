-- POST /notices takes an optional Idempotency-Key: a retry after a lost answer finds the notice the first
-- request issued instead of issuing (and fanning out) a second one. The key row is written in the transaction
-- that writes the notice, so a refused or rolled-back request leaves its key unused.
create table notice_idempotency_key (
    idem_key       text primary key,
    request_sha256 text        not null,
    notice_id      uuid        not null references notice (id) deferrable initially deferred,
    created_at     timestamptz not null
);
