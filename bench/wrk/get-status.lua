-- wrk script: GET /users/bench-user-N/agreements/KEY/status for a random user (0 <= N < users).
-- Usage: wrk ... -s bench/wrk/get-status.lua URL -- TOKEN AGREEMENT_KEY USERS

local threads = 0

function setup(thread)
   thread:set("thread_id", threads)
   threads = threads + 1
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
   return wrk.format("GET", string.format("/users/bench-user-%d/agreements/%s/status", math.random(0, users - 1), agreement),
      headers, nil)
end
