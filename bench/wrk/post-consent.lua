-- wrk script: POST /consents, as ConsentBench.postConsent built it: a CLICK on version 1 of the
-- bench agreement with evidence, by a random user bench-user-N (0 <= N < users), and a new
-- Idempotency-Key on every request.
-- Usage: wrk ... -s bench/wrk/post-consent.lua URL -- TOKEN AGREEMENT_KEY USERS RUN_ID
-- RUN_ID must differ between runs (bench/run passes "w" or "c<clients>-" and a nanosecond time); keys are
-- RUN_ID-THREAD-COUNTER-RANDOM, so they are unique across the threads of a run and across runs.

local threads = 0

function setup(thread)
   thread:set("thread_id", threads)
   threads = threads + 1
end

local token, agreement, users, run_id
local headers = {}
local counter = 0

function init(args)
   token, agreement, users, run_id = args[1], args[2], tonumber(args[3]), args[4]
   if not (token and agreement and users and run_id) then
      error("usage: -- TOKEN AGREEMENT_KEY USERS RUN_ID")
   end
   -- each thread has its own Lua state: seed each differently
   math.randomseed(os.time() + 7919 * (thread_id or 0))
   headers["Authorization"] = "Bearer " .. token
   headers["Content-Type"] = "application/json"
   headers["Accept"] = "application/json"
end

local body_format = '{"userId":"bench-user-%d","agreementKey":"%s","version":1,"method":"CLICK",'
   .. '"evidence":{"channel":"web","ip":"198.51.100.%d","userAgent":"bench/1","locale":"zh-CN"}}'

function request()
   counter = counter + 1
   local u = math.random(0, users - 1)
   headers["Idempotency-Key"] = string.format("%s-%d-%d-%08x", run_id, thread_id, counter, math.random(0, 0x7fffffff))
   return wrk.format("POST", "/consents", headers, string.format(body_format, u, agreement, u % 250))
end
