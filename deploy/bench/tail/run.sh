#!/bin/bash
# Where a server's tail latency comes from (deploy/bench/tail/README.md):
#   deploy/bench/tail/run.sh NAME BINARY ROUTE CONNS [SECONDS, default 10: the recordings must fall inside the load]
# Starts BINARY on a free port, loads it with tailgen (closed loop, every request's latency
# recorded with its connection), maps each connection to the server thread that reads it
# (strace, a moment), records the scheduler (perf sched, 3 s) and prints: percentiles,
# per-connection and per-loop latency, how slow requests cluster in time, and per thread
# of the server and of the client: run time, sleep, and time runnable but waiting for a CPU.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${TAIL_OUT:-/tmp/tail-bench}
mkdir -p "$OUT"
[ "$OUT/tailgen" -nt "$HERE/tailgen.c" ] || cc -O2 -o "$OUT/tailgen" "$HERE/tailgen.c"
name=$1; bin=$2; route=$3; conns=$4; dur=${5:-10}
port=$((18500 + RANDOM % 400))
PORT=$port ACCESS_LOG=0 LOG_LEVEL=warning $bin >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 1.5
args=("$port" "/$route" "$conns" "$dur")
[ "$route" = echo ] && args+=('{"text":"the quick brown fox jumps over the lazy dog, service-to-service"}')
"$OUT/tailgen" "${args[@]}" > "$OUT/$name.csv" &
gen=$!
sleep 1
python3 "$HERE/loopmap.py" $pid 0.3 > "$OUT/$name.map"
perf sched record -o "$OUT/$name.sched" -- sleep 3 >/dev/null 2>&1
wait $gen
echo "== $name (load $(cut -d' ' -f1 /proc/loadavg))"
python3 "$HERE/tailstat.py" "$OUT/$name.csv" "$OUT/$name.map"
perf sched timehist -i "$OUT/$name.sched" 2>/dev/null | awk -v pid=$pid -v gen=$gen '
  NR > 3 { s = $3; sub(/]$/, "", s); n = split(s, b, /[\[\/]/); p = b[n];
           if (p == pid || p == gen) { t = $3; w[t] += $4; d[t] += $5; r[t] += $6; c[t]++; if ($5 > m[t]) m[t] = $5; if ($5 > 1.0) { big[t]++; bd[t] += $5 } } }
  END { for (t in c) if (r[t] > 1) printf "  %-30s runs %6d  run %7.1f ms  sleep %7.1f ms  runnable-wait %7.1f ms (avg %.3f, max %.2f; waits > 1 ms: %d, %.1f ms)\n", t, c[t], r[t], w[t], d[t], d[t]/c[t], m[t], big[t], bd[t] }'
