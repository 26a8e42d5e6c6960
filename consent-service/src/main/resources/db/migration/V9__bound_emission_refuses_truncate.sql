-- bound_emission is a ledger table like the other three: TRUNCATE is refused too (V1 guarded only
-- UPDATE and DELETE on it).
create trigger bound_emission_no_truncate before truncate on bound_emission
    for each statement execute function ledger_append_only();
