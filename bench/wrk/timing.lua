-- Per-request latencies as the requests had them, for wrk 4.1 scripts.
--
-- wrk's own Latency line and percentiles are corrected for coordinated omission: before printing, wrk
-- adds, for every response slower than twice the mean interval between one connection's requests,
-- synthetic samples for the requests an evenly paced client would have sent meanwhile (its
-- stats_correct). At one fast connection that interval is a few hundred microseconds, so one 5-ms
-- stall adds dozens of samples and wrk's p99 describes a client sending at a fixed rate, not the
-- requests sent. This module times the requests themselves: request() notes when a request is
-- handed to wrk (wrk writes it at once and starts its own clock there), response() when its
-- response is complete, paired by a key both carry (the user of a status query). done() merges
-- the threads' counts and prints one line:
--   RAW count=N p50=Nms p90=Nms p99=Nms p99.9=Nms max=Nms max-at=Ns over-50ms=N
-- where max-at is when the slowest response came, in seconds from the first request (to find what the
-- machine was doing then), and over-50ms counts the responses slower than 50 ms.
--
-- Usage in a script: local timing = dofile(<dir> .. "timing.lua"); timing.sent(key) in request();
-- timing.received(key) in response(); timing.setup(thread) in setup(); timing.done() in done().

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now_us()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
   return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local M = {}

-- in a thread's Lua state: key -> start times of its requests in flight, oldest first. A request wrk
-- asked for but then did not send (it asks again after a failed write or a reconnect) leaves its
-- time behind; a response is therefore paired with the newest request of its key, never the oldest.
local started = {}
-- in a thread's Lua state, read by done() through thread:get: microseconds -> responses
raw_latency_us = {}
raw_unpaired = 0
-- in a thread's Lua state: when it sent its first request and when its slowest response came (monotonic us)
raw_first_us = nil
raw_slowest_us = 0
raw_slowest_at_us = 0

function M.sent(key)
   raw_first_us = raw_first_us or now_us()
   local list = started[key]
   if list then
      list[#list + 1] = now_us()
   else
      started[key] = { now_us() }
   end
end

function M.received(key)
   local list = key and started[key]
   if not list then
      raw_unpaired = raw_unpaired + 1
      return
   end
   local at = now_us()
   local us = at - table.remove(list)
   if us > raw_slowest_us then
      raw_slowest_us, raw_slowest_at_us = us, at
   end
   if #list == 0 then
      started[key] = nil
   end
   raw_latency_us[us] = (raw_latency_us[us] or 0) + 1
end

-- in the main Lua state
local threads = {}

function M.setup(thread)
   threads[#threads + 1] = thread
end

function M.done()
   local counts, total, unpaired = {}, 0, 0
   local first, slowest, slowest_at = nil, 0, 0
   for _, thread in ipairs(threads) do
      local f = thread:get("raw_first_us")
      if f and (not first or f < first) then
         first = f
      end
      local s = thread:get("raw_slowest_us") or 0
      if s > slowest then
         slowest, slowest_at = s, thread:get("raw_slowest_at_us")
      end
      for us, n in pairs(thread:get("raw_latency_us") or {}) do
         counts[us] = (counts[us] or 0) + n
         total = total + n
      end
      unpaired = unpaired + (thread:get("raw_unpaired") or 0)
   end
   if total == 0 then
      io.write("RAW count=0\n")
      return
   end
   local values = {}
   for us in pairs(counts) do
      values[#values + 1] = us
   end
   table.sort(values)
   local function percentile(p)
      local rank, seen = math.ceil(total * p / 100), 0
      for _, us in ipairs(values) do
         seen = seen + counts[us]
         if seen >= rank then
            return us / 1000
         end
      end
      return values[#values] / 1000
   end
   local over = 0
   for _, us in ipairs(values) do
      if us > 50000 then
         over = over + counts[us]
      end
   end
   io.write(string.format("RAW count=%d unpaired=%d p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.1fms"
      .. " max-at=%.1fs over-50ms=%d\n", total, unpaired, percentile(50), percentile(90), percentile(99),
      percentile(99.9), values[#values] / 1000, (slowest_at - (first or slowest_at)) / 1e6, over))
end

return M
