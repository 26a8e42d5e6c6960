-- Messaging tables every service has (see service-kit): the transactional outbox,
-- the idempotency log of consumed events, and events parked for an operator.
create table outbox (
    id           bigserial primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    message_key  text        not null,
    event_type   text        not null,
    subject      text,
    event_time   timestamptz not null,
    payload      text        not null,
    created_at   timestamptz not null default now()
);

create table consumed_event (
    event_id     text primary key,
    topic        text        not null,
    consumed_at  timestamptz not null default now()
);

create table parked_event (
    id              bigserial primary key,
    topic           text        not null,
    kafka_partition int         not null,
    kafka_offset    bigint      not null,
    event_id        text,
    event_type      text,
    reason          text        not null,
    payload         text,
    parked_at       timestamptz not null default now()
);

-- ---------------------------------------------------------------------------
-- Read model of agreements and versions, built from agreements.versions events
-- (never from REST calls to version-service).
create table agreement (
    agreement_key        text primary key,
    title                text,
    provider             text,
    scope                text        not null,
    parent_key           text,
    product              text,
    timezone             text        not null,
    notice_days          int         not null,
    binding_rule         text        not null,
    seal_prevails        boolean     not null,
    acceptance_methods   text        not null,   -- comma separated: CLICK,SEAL,USE
    notice_measured_from text        not null,
    registered_at        timestamptz,
    updated_at           timestamptz not null default now()
);
create index agreement_product on agreement (product) where product is not null;

create table agreement_version (
    agreement_key    text        not null references agreement (agreement_key),
    version          int         not null,
    label            text,
    imported         boolean     not null default false,
    notice_at        timestamptz not null,
    effective_at     timestamptz not null,
    content_sha256   text        not null,
    previous_version int,
    withdrawn_at     timestamptz,
    withdraw_reason  text,
    primary key (agreement_key, version)
);

-- ---------------------------------------------------------------------------
-- The ledger: append-only, one SHA-256 hash chain per user.
-- chain_head is the mutable pointer to the last fact of each user's chain; locking its
-- row (select ... for update) serialises appends per user.
create table chain_head (
    user_id   text   primary key,
    seq       bigint not null,
    head_hash text   not null
);

create table consent_fact (
    id            bigserial primary key,
    event_id      uuid        not null unique,
    user_id       text        not null,
    seq           bigint      not null,
    kind          text        not null check (kind in ('ACCEPTED', 'OBJECTED')),
    agreement_key text        not null,
    version       int         not null,
    method        text check (method in ('CLICK', 'SEAL', 'USE')),
    occurred_at   timestamptz not null,
    recorded_at   timestamptz not null,
    imported      boolean     not null,
    canonical     text        not null,   -- the exact canonical JSON the hash covers
    prev_hash     text        not null,
    hash          text        not null,
    unique (user_id, seq)
);
create index consent_fact_user_agreement on consent_fact (user_id, agreement_key);

-- Usage signals, bounded: a row is kept only when it is earlier than every stored
-- signal of the same interval between consecutive effective dates (interval_start).
create table usage_signal (
    id             bigserial primary key,
    user_id        text        not null,
    agreement_key  text        not null,
    occurred_at    timestamptz not null,
    interval_start timestamptz not null,
    recorded_at    timestamptz not null,
    source         text        not null
);
create index usage_signal_user_agreement on usage_signal (user_id, agreement_key, interval_start, occurred_at);

-- Individual notice deliveries (for INDIVIDUAL_DELIVERY agreements), from agreements.notices.
create table notice_delivery (
    id            bigserial primary key,
    user_id       text        not null,
    agreement_key text        not null,
    version       int         not null,
    notice_id     text        not null,
    delivered_at  timestamptz not null,
    recorded_at   timestamptz not null,
    unique (notice_id, user_id)
);
create index notice_delivery_user_agreement on notice_delivery (user_id, agreement_key);

-- Bound events already emitted (append-only): the latest row per (user, agreement, version)
-- is what consumers of consents.events were last told.
create table bound_emission (
    id               bigserial primary key,
    user_id          text        not null,
    agreement_key    text        not null,
    version          int         not null,
    kind             text        not null check (kind in ('BOUND', 'RETRACTED')),
    basis            text,
    since            timestamptz,
    previous_version int,
    event_id         uuid        not null,
    emitted_at       timestamptz not null
);
create index bound_emission_user on bound_emission (user_id, agreement_key, version, id);

-- The database refuses UPDATE and DELETE on ledger tables.
create function ledger_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger table % is append-only: % refused', tg_table_name, tg_op
        using errcode = 'P0001';
end $$;

create trigger consent_fact_append_only before update or delete on consent_fact
    for each row execute function ledger_append_only();
create trigger consent_fact_no_truncate before truncate on consent_fact
    for each statement execute function ledger_append_only();
create trigger usage_signal_append_only before update or delete on usage_signal
    for each row execute function ledger_append_only();
create trigger usage_signal_no_truncate before truncate on usage_signal
    for each statement execute function ledger_append_only();
create trigger notice_delivery_append_only before update or delete on notice_delivery
    for each row execute function ledger_append_only();
create trigger notice_delivery_no_truncate before truncate on notice_delivery
    for each statement execute function ledger_append_only();
create trigger bound_emission_append_only before update or delete on bound_emission
    for each row execute function ledger_append_only();

-- ---------------------------------------------------------------------------
-- Idempotency keys of POST /consents and POST /objections. A key row is inserted first,
-- in its own short transaction, as IN_PROGRESS; the transaction that records the fact
-- turns it DONE with the answer to replay.
create table idempotency_key (
    scope           text        not null,
    idem_key        text        not null,
    request_sha256  text        not null,
    state           text        not null check (state in ('IN_PROGRESS', 'DONE')),
    response_status int,
    response_body   text,
    created_at      timestamptz not null default now(),
    primary key (scope, idem_key)
);

-- ---------------------------------------------------------------------------
-- Projection: current status of each (user, agreement), rebuildable from the ledger.
-- next_check_at is when the status may change without a new fact (a date passes);
-- the sweep claims due rows.
create table user_agreement_status (
    user_id           text        not null,
    agreement_key     text        not null,
    governing_version int,
    basis_method      text,
    basis_event_id    text,
    since             timestamptz,
    status_json       text        not null,
    evaluated_at      timestamptz not null,
    next_check_at     timestamptz,
    primary key (user_id, agreement_key)
);
create index user_agreement_status_population on user_agreement_status (agreement_key, governing_version);
create index user_agreement_status_due on user_agreement_status (next_check_at) where next_check_at is not null;

create table user_pending_state (
    user_id       text not null,
    agreement_key text not null,
    version       int  not null,
    state         text not null,
    primary key (user_id, agreement_key, version)
);
create index user_pending_state_population on user_pending_state (agreement_key, version, state);

-- Population counters: users per governing version ('G:<version>' or 'G:none') and per
-- pending state ('P:<version>:<state>') of each agreement, kept by the same transaction
-- that changes a projection row (+1/-1 deltas, applied in key order). Spread over 16
-- shards per bucket so that concurrent writers rarely wait on the same row.
create table population_counter (
    agreement_key text   not null,
    bucket        text   not null,
    shard         int    not null,
    users         bigint not null,
    primary key (agreement_key, bucket, shard)
);
