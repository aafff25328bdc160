#!/usr/bin/env python3
"""HTTP server benchmark: our stack (bench-server) against the Hummingbird 2 and plain
SwiftNIO peers of ../shared/peers, with wrk, same run, servers alternating, medians.

    deploy/bench/http.py [--duration 10] [--rounds 3] [--conns 64,256]

Builds what is missing (release), writes deploy/bench/results/http.md and prints it.
"""
import argparse, os, re, signal, socket, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")
BENCH_DIR = os.path.join(PEERS, "bench")


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def build():
    sh(f"cd {ROOT} && swift build -c release --product bench-server >/dev/null")
    for name, scratch in (("hb-peer", "/tmp/peer-hummingbird"), ("nio-peer", "/tmp/peer-nio")):
        sh(f"swift build -c release --package-path {PEERS}/{name} --scratch-path {scratch} >/dev/null")


def servers():
    ours = os.path.join(ROOT, ".build", "release", "bench-server")
    return {
        "ours": [ours],
        "hummingbird": ["/tmp/peer-hummingbird/release/HBServer"],
        "nio": ["/tmp/peer-nio/release/NIOServer"],
    }


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


def start(cmd, port):
    env = dict(os.environ, PORT=str(port), ACCESS_LOG="0", LOG_LEVEL="warning")
    t0 = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ready = wait_port(port)
    return p, (ready - t0) * 1000


def wrk(route, conns, duration, port):
    script = "post.lua" if route == "echo" else "get.lua"
    method_route = f"http://127.0.0.1:{port}/{route}"
    out = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{duration}s", "--latency", "-s", os.path.join(BENCH_DIR, script), method_route],
        env=dict(os.environ, BENCH_DIR=BENCH_DIR), capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT (.*)", out)
    fields = dict(kv.split("=") for kv in m.group(1).split())
    errors = sum(int(fields[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
    return float(fields["rps"]), int(fields["p50_us"]), int(fields["p99_us"]), errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--conns", default="64,256")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        build()
    srv = servers()
    routes = ["ping", "echo", "json"]
    conns = [int(c) for c in a.conns.split(",")]
    results = {}  # (server, route, conns) -> list of (rps, p50, p99, errors)
    idle = {}
    startup = {}
    port = 18090
    for rnd in range(a.rounds):
        for name, cmd in srv.items():
            port += 1
            p, ms = start(cmd, port)
            time.sleep(0.3)
            idle.setdefault(name, []).append(rss_kib(p.pid) / 1024)
            startup.setdefault(name, []).append(ms)
            try:
                for r in routes:
                    for c in conns:
                        results.setdefault((name, r, c), []).append(wrk(r, c, a.duration, port))
                        print(name, r, c, results[(name, r, c)][-1], file=sys.stderr)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=15)
    med = lambda xs: statistics.median(xs)
    lines = ["# HTTP server benchmark", "",
             f"wrk -t1, {a.duration}s per run, {a.rounds} rounds with the servers alternating, medians; "
             "server and wrk share this machine's 2 cores. Reproduce: `deploy/bench/http.py`.", "",
             "| route | conns | ours req/s | HB req/s | NIO req/s | ours/HB | ours/NIO | p50 ours/HB/NIO (ms) | p99 ours/HB/NIO (ms) | errors |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in routes:
        for c in conns:
            row = {}
            for name in srv:
                xs = results[(name, r, c)]
                row[name] = (med([x[0] for x in xs]), med([x[1] for x in xs]) / 1000, med([x[2] for x in xs]) / 1000, sum(x[3] for x in xs))
            o, h, n = row["ours"], row["hummingbird"], row["nio"]
            lines.append(f"| /{r} | {c} | {o[0]:,.0f} | {h[0]:,.0f} | {n[0]:,.0f} | {o[0]/h[0]:.2f}× | {o[0]/n[0]:.2f}× | "
                         f"{o[1]:.2f} / {h[1]:.2f} / {n[1]:.2f} | {o[2]:.2f} / {h[2]:.2f} / {n[2]:.2f} | {o[3]}/{h[3]}/{n[3]} |")
    lines += ["", "| server | idle RSS (MiB) | start to first answer (ms) |", "|---|---|---|"]
    for name in srv:
        lines.append(f"| {name} | {med(idle[name]):.1f} | {med(startup[name]):.0f} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(ROOT, "deploy", "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "deploy", "bench", "results", "http.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
