-- delivery_report holds every gateway report as it came, the evidence that a notice reached a user (and,
-- under INDIVIDUAL_DELIVERY, the instant a revision's notice period runs from). The service only ever
-- appends to it; the database refuses UPDATE, DELETE and TRUNCATE, as consent-service's ledger tables do.
create function delivery_report_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'table % is append-only: % refused', tg_table_name, tg_op
        using errcode = 'P0001';
end $$;

create trigger delivery_report_append_only before update or delete on delivery_report
    for each row execute function delivery_report_append_only();
create trigger delivery_report_no_truncate before truncate on delivery_report
    for each statement execute function delivery_report_append_only();
