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
