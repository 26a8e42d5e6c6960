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
-- notice-service: what it learned from agreements.versions and consents.events,
-- the notices it issued, and one delivery per audience user and channel.

-- The policy of each agreement as carried in agreement.registered.v1 / published.v1.
create table agreement (
    agreement_key        text primary key,
    scope                text,
    parent_key           text,
    product              text,
    timezone             text        not null default 'Asia/Shanghai',
    notice_days          int         not null default 0,
    notice_measured_from text        not null default 'ANNOUNCEMENT',
    notice_periods       text        not null default '{}',   -- JSON object type -> natural days
    updated_at           timestamptz not null
);

-- Our own copy of every published version's clause list (JSON), to compute diffs.
create table agreement_version (
    agreement_key    text        not null,
    version          int         not null,
    label            text,
    imported         boolean     not null default false,
    notice_at        timestamptz,
    effective_at     timestamptz,
    content_sha256   text,
    previous_version int,
    clauses          text        not null,
    withdrawn_at     timestamptz,
    primary key (agreement_key, version)
);

-- The audience: the version each user is currently bound to, per agreement.
create table audience_member (
    agreement_key text        not null,
    user_id       text        not null,
    version       int         not null,
    since         timestamptz,
    updated_at    timestamptz not null,
    primary key (agreement_key, user_id)
);

create table notice (
    id                   uuid primary key,
    type                 text        not null,
    agreement_key        text        not null,
    from_version         int,
    to_version           int,
    notice_at            timestamptz not null,
    effective_at         timestamptz not null,
    required_lead_days   int         not null,
    actual_lead_days     int         not null,
    lead_time_met        boolean     not null,
    changes              text,                    -- JSON {added, removed, modified, highlighted}, null if unknown
    message              text,
    imported             boolean     not null default false,
    notice_measured_from text        not null default 'ANNOUNCEMENT',
    audience_notice_id   uuid references notice (id), -- WITHDRAWAL: the revision whose recipients it goes to
    source_event_id      text,
    created_at           timestamptz not null,
    withdrawn_at         timestamptz,
    fired_at             timestamptz,             -- REVISION: when notice.revision-effective.v1 was written
    fanout_cursor        text,                    -- last user id fanned out (keyset over user ids)
    fanout_done_at       timestamptz
);
-- one REVISION and one WITHDRAWAL notice per version, whatever the input event ids
create unique index notice_revision_once on notice (agreement_key, to_version) where type = 'REVISION';
create unique index notice_withdrawal_once on notice (agreement_key, to_version) where type = 'WITHDRAWAL';
create index notice_by_agreement on notice (agreement_key, notice_at);
create index notice_due on notice (effective_at) where type = 'REVISION' and fired_at is null and withdrawn_at is null;
create index notice_fanout_pending on notice (created_at) where fanout_done_at is null;

create table delivery (
    id             uuid primary key default gen_random_uuid(),
    notice_id      uuid        not null references notice (id),
    user_id        text        not null,
    channel        text        not null,
    status         text        not null default 'REQUESTED',
    requested_at   timestamptz not null,
    last_report_at timestamptz,
    delivered_at   timestamptz,
    constraint delivery_once unique (notice_id, user_id, channel)
);

-- Every gateway report, in arrival order: nothing is overwritten.
create table delivery_report (
    id              bigserial primary key,
    delivery_id     uuid        not null references delivery (id),
    status          text        not null,
    reported_at     timestamptz not null,
    detail          text,
    source          text        not null,   -- REST or the ce_id of the report event
    received_at     timestamptz not null
);
create index delivery_report_by_delivery on delivery_report (delivery_id, id);

-- The first DELIVERED report per user and notice (any channel).
create table notice_user_delivery (
    notice_id    uuid        not null references notice (id),
    user_id      text        not null,
    delivery_id  uuid        not null references delivery (id),
    delivered_at timestamptz not null,
    primary key (notice_id, user_id)
);
