\set u random(1, 1000000)
insert into bench_fact (user_id, payload) values (:u, 'x');
