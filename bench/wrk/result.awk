# Turns the output of `wrk --latency` into one line in ConsentBench's former RESULT format:
#   WHAT clients=N ok=N failed=N rate=N/s p50=Nms p99=Nms max=Nms
# Usage: awk -v what="POST /consents" -v clients=16 [-v out=FILE] -f bench/wrk/result.awk FILE
# failed = responses with status > 399 ("Non-2xx or 3xx responses") plus socket errors (connect,
# read, write, timeout); ok = completed requests less those with status > 399 and timeouts;
# rate = ok per second (wrk's Requests/sec counts every completed request). p50, p99 and max are
# wrk's, corrected for coordinated omission (bench/wrk/timing.lua says how). When the script printed a
# RAW line (bench/wrk/timing.lua), the requests' own percentiles follow:
#   raw-p50=Nms raw-p99=Nms raw-p99.9=Nms
# A line with failures ends with "FAILURES: ..." naming them.

function ms(v,   n, unit) {  # "1.23ms", "456.00us", "1.20s", "2.00m" -> milliseconds
  n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
  if (unit == "us") return n / 1000
  if (unit == "ms") return n
  if (unit == "s") return n * 1000
  if (unit == "m") return n * 60000
  if (unit == "h") return n * 3600000
  bad = bad " unparsed time '" v "'"
  return -1
}

$1 == "Latency" && NF >= 5 { max = ms($4) }
$1 == "50%" { p50 = ms($2) }
$1 == "99%" { p99 = ms($2) }
$2 == "requests" && $3 == "in" { requests = $1 + 0 }
/^ *Non-2xx or 3xx responses:/ { status = $NF + 0 }
/^ *Socket errors:/ {
  # Socket errors: connect 0, read 0, write 0, timeout 0
  for (i = 3; i < NF; i += 2) { v = $(i + 1); sub(/,/, "", v); sock[$i] = v + 0 }
}
/^Requests\/sec:/ { rps = $2 + 0; seen = 1 }
$1 == "RAW" {
  for (i = 2; i <= NF; i++) { split($i, kv, "="); raw[kv[1]] = kv[2] }
  if (raw["count"] > 0) rawline = sprintf(" raw-p50=%s raw-p99=%s raw-p99.9=%s", raw["p50"], raw["p99"], raw["p99.9"])
}

END {
  if (!seen) {
    printf "%s clients=%d ok=0 failed=0 rate=0/s p50=NaNms p99=NaNms max=NaNms FAILURES: no wrk summary in %s\n", what, clients, (out == "" ? "the output" : out)
    exit 1
  }
  ok = requests - status - sock["timeout"]; if (ok < 0) ok = 0
  failed = status + sock["connect"] + sock["read"] + sock["write"] + sock["timeout"]
  rate = requests > 0 ? rps * ok / requests : 0
  line = sprintf("%s clients=%d ok=%d failed=%d rate=%.0f/s p50=%.2fms p99=%.2fms max=%.1fms",
                 what, clients, ok, failed, rate, p50, p99, max) rawline
  if (failed > 0)
    line = line sprintf(" FAILURES: %d of %d requests with status > 399, socket errors connect %d read %d write %d timeout %d",
                        status, requests, sock["connect"], sock["read"], sock["write"], sock["timeout"])
  if (bad != "") line = line " PARSE:" bad
  print line
}
