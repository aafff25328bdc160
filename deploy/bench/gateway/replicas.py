#!/usr/bin/env python3
"""auth-gateway replicas on PostgreSQL against one gateway on SQLite, with wrk (bench.py's
runner and wrk script), the configurations alternating in each round:

  * sessions/s: `GET /session` with API keys, 16 connections: `sessions, 64 keys` (each
    request the next of 64 keys of 64 users, keys.lua: a realistic mix, and what the per-key
    rate limit, 1/s by default, leaves anyway) and `sessions, one key` (bench.py's figure:
    every session of one key, past its MAX_SESSIONS_PER_KEY cap, so each ends its oldest;
    on PostgreSQL concurrent ones conflict on the key's rows and are retried);
  * proxied requests/s: `GET /orchestrator/ping` with a Session-ID through the gateway to
    bench-server's `/ping` (64 connections);

for `sqlite x1` (one gateway, SQLite in its DATA_DIR), `postgres x1` (one gateway on a
throwaway local PostgreSQL cluster, deploy/lib.sh start_postgres_cluster) and `postgres x2`
(two gateways on that database, each driven by its own wrk with half the connections at
the same time; their requests/s added). Everything shares this machine's cores.

    deploy/bench/gateway/replicas.py [--duration 5] [--rounds 2] [--synchronous-commit off]
                                     [--scratch .build]

PostgreSQL runs with `synchronous_commit=off` unless told (a commit is acknowledged before
its WAL is flushed: a crash of the server, not of a gateway, may lose the last moments,
like SQLite's `synchronous=NORMAL` in WAL mode that the gateway uses); `on` measures the
flush per session. Writes deploy/bench/gateway/REPLICAS.md and prints it.
"""
import argparse, concurrent.futures, os, shlex, shutil, statistics, subprocess, sys, tempfile, urllib.request

import bench

HERE = bench.HERE
ROOT = bench.ROOT
UP, SQLITE, PG1, PG2 = 18191, 18192, 18193, 18194
CONFIGS = {"sqlite x1": [SQLITE], "postgres x1": [PG1], "postgres x2": [PG1, PG2]}
MEASURES = {"sessions, 64 keys": 16, "sessions, one key": 16, "proxied": 64}


def lib(command):
    """Runs `command` in bash after sourcing deploy/lib.sh; its stdout."""
    return subprocess.run(["bash", "-c", f"source {shlex.quote(os.path.join(ROOT, 'deploy', 'lib.sh'))}; {command}"],
                          capture_output=True, text=True, check=True).stdout


def cli(binary, env, *args):
    return subprocess.run([binary, *args], env=env, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


def session(port, key):
    return urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/session", headers={"API-Key": key})).read().decode()


def drive(ports, path, conns, duration, header_of=lambda port: None, script="headers.lua", environment=None):
    """wrk on every port at once, `conns` connections split between them: summed req/s,
    the highest p50 and p99, errors."""
    with concurrent.futures.ThreadPoolExecutor(len(ports)) as pool:
        rows = list(pool.map(lambda port: bench.wrk(f"http://127.0.0.1:{port}{path}", conns // len(ports), duration, header_of(port),
                                                    script, environment), ports))
    return sum(r[0] for r in rows), max(r[1] for r in rows), max(r[2] for r in rows), sum(r[3] for r in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--synchronous-commit", choices=["on", "off"], default="off")
    ap.add_argument("--scratch", default=os.path.join(ROOT, ".build"))
    a = ap.parse_args()
    subprocess.run(f"cd {ROOT} && swift build -c release --scratch-path {a.scratch} --product auth-gateway >/dev/null && "
                   f"swift build -c release --scratch-path {a.scratch} --product bench-server >/dev/null", shell=True, check=True)
    rel = os.path.join(a.scratch, "release")
    gateway = os.path.join(rel, "auth-gateway")
    tmp = tempfile.mkdtemp(prefix="gw-replicas-bench-")
    procs = []
    cluster = lib(f"start_postgres_cluster gw-bench-postgres -c synchronous_commit={a.synchronous_commit} -c max_connections=100 >&2; "
                  'echo "$POSTGRES_CLUSTER_DIR $POSTGRES_CLUSTER_OWNER $POSTGRES_CLUSTER_URL"').split()
    try:
        load_start = os.getloadavg()
        base = dict(os.environ, ACCESS_LOG="0", LOG_LEVEL="warning")
        procs.append(subprocess.Popen([os.path.join(rel, "bench-server")], env=dict(base, PORT=str(UP)),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        bench.wait_port(UP)
        # As in bench.py: the per-key session rate limit off, MAX_SESSIONS_PER_KEY at its
        # default (past it each new session ends the key's oldest: on PostgreSQL that is
        # also announced to every replica), sessions made with a key of their own.
        common = dict(base, ORCHESTRATOR_URL=f"http://127.0.0.1:{UP}", INTERNAL_TOKEN="bench-token", SESSION_RATE_PER_KEY="0")
        envs = {SQLITE: dict(common, PORT=str(SQLITE), DATA_DIR=os.path.join(tmp, "sqlite")),
                PG1: dict(common, PORT=str(PG1), DATA_DIR=os.path.join(tmp, "pg1"), DATABASE_URL=cluster[2]),
                PG2: dict(common, PORT=str(PG2), DATA_DIR=os.path.join(tmp, "pg2"), DATABASE_URL=cluster[2])}
        keys, many = {}, {}
        for port in (SQLITE, PG1):
            admin = cli(gateway, envs[port], "bootstrap-admin")
            keys[port] = (admin, cli(gateway, envs[port], "keys", "create", "admin", "--label", "sessions"))
            many[port] = []
            for index in range(64):
                cli(gateway, envs[port], "users", "create", f"user{index}", "--role", "user")
                many[port].append(cli(gateway, envs[port], "keys", "create", f"user{index}"))
        keys[PG2], many[PG2] = keys[PG1], many[PG1]
        for port in (SQLITE, PG1, PG2):
            procs.append(subprocess.Popen([gateway], env=envs[port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            bench.wait_port(port)
        sessions = {port: session(port, keys[port][0]) for port in (SQLITE, PG1, PG2)}
        for port in (SQLITE, PG1, PG2):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/orchestrator/ping", headers={"Session-ID": sessions[port]})
            assert urllib.request.urlopen(request).read() == b"pong", port
        # A session made on one replica works on the other (what the replicas share).
        request = urllib.request.Request(f"http://127.0.0.1:{PG2}/orchestrator/ping", headers={"Session-ID": session(PG1, keys[PG1][0])})
        assert urllib.request.urlopen(request).read() == b"pong"

        results = {}
        for rnd in range(a.rounds):
            for name, ports in CONFIGS.items():
                results.setdefault(("sessions, 64 keys", name), []).append(
                    drive(ports, "/session", 16, a.duration, script="keys.lua", environment={"API_KEYS": ",".join(many[ports[0]])}))
                results.setdefault(("sessions, one key", name), []).append(
                    drive(ports, "/session", 16, a.duration, lambda port: ("API-Key", keys[port][1])))
                results.setdefault(("proxied", name), []).append(
                    drive(ports, "/orchestrator/ping", 64, a.duration, lambda port: ("Session-ID", sessions[port])))
                print(f"  round {rnd + 1} {name}: " + ", ".join(f"{m} {results[(m, name)][-1]}" for m in MEASURES), file=sys.stderr)
        load_end = os.getloadavg()
        count = lib(f"psql -Atq {shlex.quote(cluster[2])} -c 'SELECT count(*) FROM auth_gateway.sessions'").strip()

        def med(rows, i):
            return statistics.median(r[i] for r in rows)

        lines = ["# auth-gateway replicas on PostgreSQL", "",
                 f"wrk -t1 per gateway, {a.duration} s per run, {a.rounds} rounds with the configurations alternating, medians. "
                 "Release builds; bench-server `GET /ping` upstream; access log off. PostgreSQL: Debian's "
                 + lib('"$(postgres_bin_dir)/postgres" --version').strip().split()[-1]
                 + f", a throwaway cluster over a unix socket, `synchronous_commit={a.synchronous_commit}`, each gateway's pool 4 "
                 f"(DATABASE_POOL_SIZE). `postgres x2`: two gateways on one database, each driven by its own wrk with half the "
                 f"connections, at once; req/s summed, latency the higher of the two. All processes share this machine's "
                 f"{os.cpu_count()} cores.", "",
                 f"Reproduce: `deploy/bench/gateway/replicas.py {' '.join(sys.argv[1:])}`.", "",
                 f"Load average (1/5/15 min) at the start {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, "
                 f"at the end {load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f}. Sessions in the PostgreSQL database at the end: {count} "
                 "(every key's cap of 100 ends one per session made beyond it, announced to both replicas). "
                 "Errors are non-2xx answers: on PostgreSQL, sessions of one key still in conflict after the store's 10 "
                 "attempts are answered 503 with Retry-After: 1 (`gateway_sessions_contended_total`).", "",
                 "| measure | configuration | req/s | spread | p50 µs | p99 µs | errors | vs sqlite x1 |",
                 "|---|---|---:|---:|---:|---:|---:|---:|"]
        for measure, conns in MEASURES.items():
            for name in CONFIGS:
                rows = results[(measure, name)]
                ratio = statistics.median(x[0] / y[0] for x, y in zip(rows, results[(measure, "sqlite x1")]))
                lines.append(f"| {measure} ({conns} conns) | {name} | {med(rows, 0):,.0f} | {bench.spread([r[0] for r in rows])} | "
                             f"{med(rows, 1):.0f} | {med(rows, 2):.0f} | {sum(r[3] for r in rows)} | {ratio:.2f}× |")
        text = "\n".join(lines) + "\n"
        with open(os.path.join(HERE, "REPLICAS.md"), "w") as f:
            f.write(text)
        print(text)
    finally:
        bench.stop_processes(procs)
        lib(f"stop_postgres_cluster {shlex.quote(cluster[0])} {shlex.quote(cluster[1])}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
