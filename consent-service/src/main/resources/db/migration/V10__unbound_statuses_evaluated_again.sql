-- The NOT_BOUND note no longer carries the instant its status was evaluated at (the status's own
-- 'at' says when). Statuses of unbound users stored before carry it, and a stored status is served
-- with only its top-level 'at' replaced: mark them due, so that the sweep evaluates them again and
-- queries answer them from the engine meanwhile.
update user_agreement_status
   set next_check_at = now()
 where governing_version is null
   and (next_check_at is null or next_check_at > now());
