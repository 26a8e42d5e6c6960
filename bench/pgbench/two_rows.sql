\set u random(1, 1000000)
begin;
insert into bench_fact (user_id, payload) values (:u, 'x');
insert into bench_outbox (user_id, payload) values (:u, 'x');
commit;
