#!/usr/bin/env bash
# Orchestrator claims/s on SQLite, on PostgreSQL with one replica and with two replicas
# (in-process instances, each with its own connection pool and claim batcher, on one
# database), same workload each time: orchestrator-bench --claims-only (a fresh database
# per run). PostgreSQL: a throwaway local cluster (deploy/lib.sh start_test_postgres) on a
# unix socket, with fsync and full-page writes on and synchronous_commit off, the closest
# to the orchestrator's SQLite setting (WAL, synchronous=NORMAL: commits survive a crash of
# the process, not necessarily of the machine). Extra arguments go to every run.
#
#   deploy/bench/orchestrator/replicas.sh [--data 10000 --algos 10 --claims 5000 --mode fleet]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
source deploy/lib.sh
ARGS=("$@")
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
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## SQLite"
"$BENCH" --claims-only "${ARGS[@]}" | grep -E "^#|^- "
for replicas in 1 2; do
    echo "## PostgreSQL, $replicas replica(s)"
    DATABASE_URL="$(fresh_database)" "$BENCH" --claims-only --replicas "$replicas" "${ARGS[@]}" | grep -E "^#|^- "
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
