-- A parked event keeps what replaying it needs (its record's key and CloudEvent headers) and says
-- when, by whom and with what outcome it was replayed (POST /admin/parked-events/{id}/replay).
alter table parked_event
    add column record_key     text,
    add column headers        text,
    add column replayed_at    timestamptz,
    add column replayed_by    text,
    add column replay_outcome text;
