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

-- Agreements and their policy (DOMAIN.md §2). acceptance_methods is a comma list,
-- notice_periods a JSON object {"DATA_CENTRE_MIGRATION": 3, ...}.
create table agreement (
    agreement_key        text primary key,
    title                text        not null,
    provider             text        not null,
    scope                text        not null check (scope in ('GENERAL', 'PRODUCT')),
    parent_key           text references agreement (agreement_key),
    product              text,
    timezone             text        not null,
    notice_days          int         not null check (notice_days between 0 and 365),
    binding_rule         text        not null,
    seal_prevails        boolean     not null,
    acceptance_methods   text        not null,
    notice_measured_from text        not null,
    notice_periods       text        not null default '{}',
    registered_at        timestamptz not null,
    check ((scope = 'PRODUCT') = (parent_key is not null))
);

-- Versions: drafts have no notice_at; published content never changes. Statuses are
-- derived from notice_at / effective_at / withdrawn_at at read time.
create table agreement_version (
    id              bigserial primary key,
    agreement_key   text        not null references agreement (agreement_key),
    version         int         not null check (version > 0),
    label           text,
    change_summary  text,
    content         text        not null,
    content_sha256  char(64)    not null,
    clauses         text        not null,
    created_at      timestamptz not null,
    notice_at       timestamptz,
    effective_at    timestamptz,
    previous_version int,
    imported        boolean     not null default false,
    withdrawn_at    timestamptz,
    withdraw_reason text,
    unique (agreement_key, version),
    check ((notice_at is null) = (effective_at is null)),
    check (effective_at is null or effective_at >= notice_at),
    check (withdrawn_at is null or notice_at is not null)
);
