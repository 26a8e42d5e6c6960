-- Gateways report deliveries out of order: a report processed later may name an earlier delivery, and
-- the notice period runs from the earliest. The ledger keeps every delivery instant received per notice
-- and user (it is append-only: the first row is never replaced); the engine takes the earliest.
alter table notice_delivery drop constraint notice_delivery_notice_id_user_id_key;
alter table notice_delivery add constraint notice_delivery_once unique (notice_id, user_id, delivered_at);
