#!/usr/bin/env python3
"""HTTP server benchmark: our stack (bench-server) against the Hummingbird 2 and plain
SwiftNIO peers of ../shared/peers, with wrk, same run, servers alternating, medians.

    deploy/bench/http.py [--duration 10] [--rounds 3] [--conns 64,256] [--routes ping,echo,json]
                         [--extra NAME=PATH ...] [--servers ours,hummingbird,nio]
                         [--wrk-cpus 1] [--server-cpus 0,1] [--no-build] [--output FILE]

`--extra NAME=PATH` adds another bench-server binary (e.g. a build of the commit before
a change) as one more server in the same alternating rounds; `--wrk-cpus` /
`--server-cpus` pin wrk and every server alike with taskset.

Builds what is missing (release), writes deploy/bench/results/http.md (or `--output`)
and prints it. Ratios are medians of per-round ratios; spreads are the lowest and
highest round.
"""
import argparse, os, re, signal, socket, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# ../shared/peers beside the repository (or beside the folder holding a git worktree of it).
PEERS = os.environ.get("PEERS_DIR") or next(
    (p for p in (os.path.join(os.path.dirname(ROOT), "shared", "peers"),
                 os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "peers")) if os.path.isdir(p)),
    os.path.join(os.path.dirname(ROOT), "shared", "peers"))
BENCH_DIR = os.path.join(PEERS, "bench")


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def build():
    sh(f"cd {ROOT} && swift build -c release --product bench-server >/dev/null")
    for name, scratch in (("hb-peer", "/tmp/peer-hummingbird"), ("nio-peer", "/tmp/peer-nio")):
        sh(f"swift build -c release --package-path {PEERS}/{name} --scratch-path {scratch} >/dev/null")


def servers(extra):
    ours = os.path.join(ROOT, ".build", "release", "bench-server")
    found = {
        "ours": [ours],
        "hummingbird": ["/tmp/peer-hummingbird/release/HBServer"],
        "nio": ["/tmp/peer-nio/release/NIOServer"],
    }
    for item in extra:
        name, path = item.split("=", 1)
        found[name] = [os.path.abspath(path)]
    return found


def pinned(cmd, cpus):
    return ["taskset", "-c", cpus] + cmd if cpus else cmd


def wait_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
                if s.recv(100).startswith(b"HTTP/1.1 200"):
                    return time.time()
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"port {port} not ready")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(cmd, port, cpus):
    env = dict(os.environ, PORT=str(port), ACCESS_LOG="0", LOG_LEVEL="warning")
    t0 = time.time()
    p = subprocess.Popen(pinned(cmd, cpus), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ready = wait_port(port)
    return p, (ready - t0) * 1000


def wrk(route, conns, duration, port, cpus):
    script = "post.lua" if route == "echo" else "get.lua"
    method_route = f"http://127.0.0.1:{port}/{route}"
    out = subprocess.run(
        pinned(["wrk", "-t1", f"-c{conns}", f"-d{duration}s", "--latency", "-s", os.path.join(BENCH_DIR, script), method_route], cpus),
        env=dict(os.environ, BENCH_DIR=BENCH_DIR), capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT (.*)", out)
    if not m:
        raise RuntimeError(f"wrk printed no RESULT line:\n{out}")
    fields = dict(kv.split("=") for kv in m.group(1).split())
    errors = sum(int(fields[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
    return float(fields["rps"]), int(fields["p50_us"]), int(fields["p99_us"]), errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--conns", default="64,256")
    ap.add_argument("--routes", default="ping,echo,json")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--servers", help="only these (comma-separated; default all)")
    ap.add_argument("--wrk-cpus", help="taskset CPU list for wrk")
    ap.add_argument("--server-cpus", help="taskset CPU list for every server")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--output", default=os.path.join(ROOT, "deploy", "bench", "results", "http.md"))
    a = ap.parse_args()
    if not a.no_build:
        build()
    srv = servers(a.extra)
    if a.servers:
        srv = {k: v for k, v in srv.items() if k in a.servers.split(",")}
    load_start = os.getloadavg()
    routes = a.routes.split(",")
    conns = [int(c) for c in a.conns.split(",")]
    results = {}  # (server, route, conns) -> list of (rps, p50, p99, errors)
    idle = {}
    startup = {}
    port = 18090
    for rnd in range(a.rounds):
        for name, cmd in srv.items():
            port += 1
            p, ms = start(cmd, port, a.server_cpus)
            time.sleep(0.3)
            idle.setdefault(name, []).append(rss_kib(p.pid) / 1024)
            startup.setdefault(name, []).append(ms)
            try:
                for r in routes:
                    for c in conns:
                        results.setdefault((name, r, c), []).append(wrk(r, c, a.duration, port, a.wrk_cpus))
                        print(name, r, c, results[(name, r, c)][-1], file=sys.stderr)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=15)
        print(f"round {rnd + 1}/{a.rounds} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    load_end = os.getloadavg()
    med = lambda xs: statistics.median(xs)
    names = list(srv)
    ref = names[0]
    others = names[1:]
    pins = f" wrk pinned to CPUs {a.wrk_cpus}." if a.wrk_cpus else ""
    pins += f" Servers pinned to CPUs {a.server_cpus}." if a.server_cpus else ""
    lines = ["# HTTP server benchmark", "",
             f"wrk -t1, {a.duration}s per run, {a.rounds} rounds with the servers alternating, medians; "
             f"server and wrk share this machine's {os.cpu_count()} cores.{pins} "
             f"Load average (1/5/15 min) at the start {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, "
             f"at the end {load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f}. "
             f"Ratios are medians of the per-round ratios ({ref}'s req/s over the other's, measured back to back); "
             "spreads are the lowest–highest round. Reproduce: `deploy/bench/http.py "
             + " ".join(sys.argv[1:]) + "`.", "",
             "| route | conns | " + " | ".join(f"{n} req/s" for n in names) + " | "
             + " | ".join(f"{ref}/{o} (spread)" for o in others)
             + " | p50 " + "/".join(names) + " (ms) | p99 " + "/".join(names) + " (ms) | p99 spread " + "/".join(names) + " | errors |",
             "|---|---|" + "---|" * (len(names) + len(others) + 4)]
    for r in routes:
        for c in conns:
            row = {}
            for name in names:
                xs = results[(name, r, c)]
                row[name] = (med([x[0] for x in xs]), med([x[1] for x in xs]) / 1000, med([x[2] for x in xs]) / 1000,
                             sum(x[3] for x in xs), min(x[2] for x in xs) / 1000, max(x[2] for x in xs) / 1000)
            ratios = []
            for o in others:
                per = [x[0] / y[0] for x, y in zip(results[(ref, r, c)], results[(o, r, c)])]
                ratios.append(f"{med(per):.2f}× ({min(per):.2f}–{max(per):.2f})")
            lines.append(f"| /{r} | {c} | " + " | ".join(f"{row[n][0]:,.0f}" for n in names) + " | " + " | ".join(ratios)
                         + " | " + " / ".join(f"{row[n][1]:.2f}" for n in names)
                         + " | " + " / ".join(f"{row[n][2]:.2f}" for n in names)
                         + " | " + " / ".join(f"{row[n][4]:.1f}–{row[n][5]:.1f}" for n in names)
                         + " | " + "/".join(str(row[n][3]) for n in names) + " |")
    lines += ["", "| server | idle RSS (MiB) | start to first answer (ms) |", "|---|---|---|"]
    for name in srv:
        lines.append(f"| {name} | {med(idle[name]):.1f} | {med(startup[name]):.0f} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(a.output)), exist_ok=True)
    with open(a.output, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
