#!/usr/bin/env bash
# Orchestrator claims/s on SQLite, on PostgreSQL with one replica and with two replicas
# (in-process instances, each with its own connection pool and claim batcher, on one
# database), same workload each time: orchestrator-bench --claims-only (a fresh database
# per run). PostgreSQL: a throwaway local cluster (deploy/lib.sh start_test_postgres) on a
# unix socket, with fsync and full-page writes on and synchronous_commit off, the closest
# to the orchestrator's SQLite setting (WAL, synchronous=NORMAL: commits survive a crash of
# the process, not necessarily of the machine).
#
# Each round runs the three configurations; the order of the two PostgreSQL runs alternates
# between rounds (so neither always runs first). At the end: each configuration's claims/s
# per round and median, and the paired ratios (2 replicas / 1 replica, 1 replica / SQLite)
# with their median and minimum. Extra arguments go to every run.
#
#   deploy/bench/orchestrator/replicas.sh [--rounds 3] [--data 10000 --algos 10 --claims 5000 --mode fleet]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
source deploy/lib.sh
ROUNDS=1
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
[ ${#ARGS[@]} -gt 0 ] || ARGS=(--data 10000 --algos 10 --claims 5000 --mode fleet)
swift build -c release --product orchestrator-bench >/dev/null
BENCH="$ROOT/.build/release/orchestrator-bench"
start_test_postgres "-c fsync=on -c full_page_writes=on -c synchronous_commit=off"
BIN="$(postgres_bin_dir)"
BENCH_POSTMASTER_PID="$(head -n 1 "$TEST_POSTGRES_DIR/data/postmaster.pid")"
export BENCH_POSTMASTER_PID
fresh_database() {
    local name="bench_$RANDOM$RANDOM"
    "$BIN/createdb" -h "$TEST_POSTGRES_DIR" -p 5432 -U postgres "$name"
    echo "postgresql://postgres@/$name?host=$TEST_POSTGRES_DIR&port=5432"
}
SUMMARY="$(mktemp)"
trap 'rm -f "$SUMMARY"; stop_test_postgres' EXIT
# One run: prints the bench's lines and appends "configuration claims/s" to the summary.
run() {
    local name="$1"; shift
    echo "## $name"
    local output
    output="$("$@" | grep -E "^#|^- ")"
    echo "$output"
    echo "$name $(echo "$output" | sed -n 's/.*\*\*\([0-9]*\) successful claims\/s.*/\1/p' | head -n 1)" >>"$SUMMARY"
}
for round in $(seq 1 "$ROUNDS"); do
    echo "# round $round of $ROUNDS, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    run sqlite "$BENCH" --claims-only "${ARGS[@]}"
    order="1 2"
    [ $((round % 2)) -eq 0 ] && order="2 1"
    for replicas in $order; do
        run "postgres-x$replicas" env DATABASE_URL="$(fresh_database)" "$BENCH" --claims-only --replicas "$replicas" "${ARGS[@]}"
    done
    echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
python3 - "$SUMMARY" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, value = line.split()
    runs.setdefault(name, []).append(int(value))
print("\n# Summary: successful claims/s per round (median)")
for name in ("sqlite", "postgres-x1", "postgres-x2"):
    values = runs.get(name, [])
    print(f"- {name}: {', '.join(f'{v:,}' for v in values)} (median {statistics.median(values):,.0f})")
def ratios(top, bottom):
    pairs = [a / b for a, b in zip(runs[top], runs[bottom]) if b]
    print(f"- {top} / {bottom}, paired by round: {', '.join(f'{r:.2f}' for r in pairs)} "
          f"(median {statistics.median(pairs):.2f}, min {min(pairs):.2f})")
ratios("postgres-x2", "postgres-x1")
ratios("postgres-x1", "sqlite")
EOF
