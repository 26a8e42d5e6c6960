-- wrk script: GET /users/bench-user-N/agreements/KEY/status for a random user (0 <= N < users).
-- Usage: wrk ... -s bench/wrk/get-status.lua URL -- TOKEN AGREEMENT_KEY USERS
-- Besides wrk's summary it prints a RAW line: the requests' own latencies (bench/wrk/timing.lua),
-- each response paired with its request by the user it names.

local timing = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "timing.lua")
local threads = 0

function setup(thread)
   thread:set("thread_id", threads)
   threads = threads + 1
   timing.setup(thread)
end

local agreement, users
local headers = {}

function init(args)
   local token = args[1]
   agreement, users = args[2], tonumber(args[3])
   if not (token and agreement and users) then
      error("usage: -- TOKEN AGREEMENT_KEY USERS")
   end
   math.randomseed(os.time() + 7919 * (thread_id or 0))
   headers["Authorization"] = "Bearer " .. token
   headers["Accept"] = "application/json"
end

function request()
   local user = "bench-user-" .. math.random(0, users - 1)
   timing.sent(user)
   return wrk.format("GET", string.format("/users/%s/agreements/%s/status", user, agreement), headers, nil)
end

function response(status, headers, body)
   -- a status answer starts {"userId":"bench-user-N",...; a problem names no user and stays unpaired
   timing.received(body:match('^{"userId":"([^"]+)"'))
end

function done(summary, latency, requests)
   timing.done()
end
