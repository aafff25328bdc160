#!/usr/bin/env python3
"""CPU time per proxied request of two gateway builds, wrk 64 connections, alternating rounds:
robust to machine load, unlike req/s.

    deploy/bench/gateway/cpu.py AFTER_GATEWAY BEFORE_GATEWAY BENCH_SERVER ROUNDS SECONDS
"""
import os, subprocess, sys, tempfile, time, urllib.request, socket, re, statistics
after, before, upbin = sys.argv[1], sys.argv[2], sys.argv[3]
rounds, dur = int(sys.argv[4]), int(sys.argv[5])
tmp = tempfile.mkdtemp()
base = dict(os.environ, ACCESS_LOG="0", LOG_LEVEL="warning")
def wait(port):
    for _ in range(300):
        try: socket.create_connection(("127.0.0.1", port), timeout=0.2).close(); return
        except OSError: time.sleep(0.05)
procs = [subprocess.Popen([upbin], env=dict(base, PORT="18281"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
wait(18281)
gws = {}
for name, binary, port in (("after", after, 18280), ("before", before, 18284)):
    env = dict(base, PORT=str(port), DATA_DIR=f"{tmp}/{name}", ORCHESTRATOR_URL="http://127.0.0.1:18281", INTERNAL_TOKEN="t")
    key = subprocess.run([binary, "bootstrap-admin"], env=env, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); procs.append(p)
    wait(port)
    sid = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/session", headers={"API-Key": key})).read().decode()
    gws[name] = (p.pid, port, sid)
def ticks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]), int(f[12])
res = {"after": [], "before": []}
up = procs[0].pid
try:
    for r in range(rounds):
        for name in (("after", "before") if r % 2 == 0 else ("before", "after")):
            pid, port, sid = gws[name]
            u0, s0 = ticks(pid); uu0, us0 = ticks(up)
            out = subprocess.run(["wrk", "-t1", "-c64", f"-d{dur}s", "-H", f"Session-ID: {sid}", f"http://127.0.0.1:{port}/orchestrator/ping"],
                                 capture_output=True, text=True).stdout
            u1, s1 = ticks(pid); uu1, us1 = ticks(up)
            n = int(re.search(r"(\d+) requests in", out).group(1))
            hz = os.sysconf("SC_CLK_TCK")
            res[name].append(((u1-u0)/hz*1e6/n, (s1-s0)/hz*1e6/n, n/dur, ((uu1-uu0)+(us1-us0))/hz*1e6/n))
            print(name, [round(x, 1) for x in res[name][-1]], file=sys.stderr)
finally:
    for p in procs: p.terminate()
for name in res:
    us = [x[0] for x in res[name]]; sy = [x[1] for x in res[name]]; tot = [x[0]+x[1] for x in res[name]]
    print(f"{name}: gateway CPU per request median {statistics.median(tot):.1f} µs (user {statistics.median(us):.1f}, system {statistics.median(sy):.1f}); "
          f"spread {min(tot):.1f}–{max(tot):.1f}; req/s median {statistics.median([x[2] for x in res[name]]):,.0f}; upstream CPU/request {statistics.median([x[3] for x in res[name]]):.1f} µs")
ratio = [a[0]+a[1] for a in res["after"]]; rb = [b[0]+b[1] for b in res["before"]]
per = [x/y for x, y in zip(ratio, rb)]
print(f"after/before CPU per request: median {statistics.median(per):.2f} (rounds {min(per):.2f}–{max(per):.2f})")
