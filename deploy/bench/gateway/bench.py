#!/usr/bin/env python3
"""auth-gateway benchmark, with wrk, in one run with the targets alternating:

  * sessions created per second (GET /session with an API key: hash, SQLite insert, cache);
  * GET /ping on bench-server called directly, through the gateway (Session-ID auth,
    /orchestrator/ping -> /ping), and through nginx as a reverse proxy (keep-alive
    upstream pool) to the same bench-server: requests/s and p50/p99, and the latency the
    proxy adds over the direct call.

    deploy/bench/gateway/bench.py [--duration 10] [--rounds 3] [--conns 1,64] [--scratch .build]
                                  [--baseline-bin PATH]

`--baseline-bin` adds a second auth-gateway binary (an older build, e.g. of the commit
before a change) as the target "gateway (before)", started the same way on its own
port and data directory and measured in the same alternating rounds, so the
before/after ratio is a same-run ratio.

Builds what is missing (release), writes deploy/bench/gateway/RESULTS.md and prints it.
"""
import argparse, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
UP, GW, NGX, NGXH, GWB = 18181, 18180, 18182, 18183, 18184
BEFORE = "gateway (before)"


def wait_port(port, path="/ping", timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                if s.recv(100).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"port {port} not ready")


def wrk(url, conns, duration, header=None, script="headers.lua", environment=None):
    """wrk with `script` (of this directory) and `header` (name, value) or `environment` for
    it: (req/s, p50 µs, p99 µs, errors)."""
    env = dict(os.environ, WRK_SCRIPTS_DIR=HERE, **(environment or {}))
    if header:
        env["HEADER_NAME"], env["HEADER_VALUE"] = header
    out = subprocess.run(["wrk", "-t1", f"-c{conns}", f"-d{duration}s", "--latency", "-s", os.path.join(HERE, script), url],
                         env=env, capture_output=True, text=True, check=True).stdout
    f = dict(kv.split("=") for kv in re.search(r"RESULT (.*)", out).group(1).split())
    errors = sum(int(f[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
    return float(f["rps"]), int(f["p50_us"]), int(f["p99_us"]), errors


def start_gateway(binary, env, port, procs):
    """Creates the first admin and a key, starts the gateway, returns (key, session id)."""
    key = subprocess.run([binary, "bootstrap-admin"], env=env, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    procs.append(subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_port(port)
    sid = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/session", headers={"API-Key": key})).read().decode()
    return key, sid


def stop_processes(procs):
    """SIGTERM to each, then waits up to 10 s for each (SIGKILL after)."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def spread(xs, ratio=False):
    """The lowest and highest of the rounds."""
    return f"{min(xs):.2f}–{max(xs):.2f}" if ratio else f"{min(xs):,.0f}–{max(xs):,.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--conns", default="1,64")
    ap.add_argument("--scratch", default=os.path.join(ROOT, ".build"))
    ap.add_argument("--baseline-bin", help="another auth-gateway binary, measured as 'gateway (before)' in the same run")
    a = ap.parse_args()
    load_start = os.getloadavg()
    subprocess.run(f"cd {ROOT} && swift build -c release --scratch-path {a.scratch} --product auth-gateway >/dev/null && "
                   f"swift build -c release --scratch-path {a.scratch} --product bench-server >/dev/null", shell=True, check=True)
    rel = os.path.join(a.scratch, "release")
    tmp = tempfile.mkdtemp(prefix="gw-bench-")
    procs = []
    try:
        base = dict(os.environ, ACCESS_LOG="0", LOG_LEVEL="warning")
        procs.append(subprocess.Popen([os.path.join(rel, "bench-server")], env=dict(base, PORT=str(UP)),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(UP)
        # The sessions figure is how fast one key can be turned into sessions, so the per-key
        # session rate limit is off; MAX_SESSIONS_PER_KEY stays at its default (past it each
        # new session ends the key's oldest, part of what is measured), so the sessions are
        # made with a key of their own, not the one whose session the proxy runs use. The
        # per-user cap on requests in flight stays at its default (a quarter of the
        # 256-connection pool: 64, as many as wrk's connections).
        genv = dict(base, PORT=str(GW), DATA_DIR=os.path.join(tmp, "gw"), ORCHESTRATOR_URL=f"http://127.0.0.1:{UP}",
                    INTERNAL_TOKEN="bench-token", SESSION_RATE_PER_KEY="0")
        key, sid = start_gateway(os.path.join(rel, "auth-gateway"), genv, GW, procs)
        session_key = subprocess.run([os.path.join(rel, "auth-gateway"), "keys", "create", "admin", "--label", "sessions"], env=genv,
                                     capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        if a.baseline_bin:
            benv = dict(genv, PORT=str(GWB), DATA_DIR=os.path.join(tmp, "gw-before"))
            _, bsid = start_gateway(os.path.abspath(a.baseline_bin), benv, GWB, procs)
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  upstream up {{ server 127.0.0.1:{UP}; keepalive 256; }}
  server {{
    listen 127.0.0.1:{NGX};
    location /orchestrator/ {{ proxy_pass http://up/; proxy_http_version 1.1; proxy_set_header Connection ""; }}
  }}
  # The same proxy sending what the gateway sends upstream: forwarding headers, a request
  # id, and identity headers (constants: nginx has no session store to look them up in).
  server {{
    listen 127.0.0.1:{NGXH};
    location /orchestrator/ {{
      proxy_pass http://up/; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id; proxy_set_header X-User-Id 1; proxy_set_header X-User-Name admin;
      proxy_set_header X-User-Roles admin; proxy_set_header X-Internal-Token bench-token;
    }}
  }}
}}
""")
        procs.append(subprocess.Popen(["nginx", "-c", conf, "-p", tmp, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(NGX, "/orchestrator/ping")
        wait_port(NGXH, "/orchestrator/ping")

        targets = {
            "direct": (f"http://127.0.0.1:{UP}/ping", None),
            "gateway": (f"http://127.0.0.1:{GW}/orchestrator/ping", ("Session-ID", sid)),
            **({BEFORE: (f"http://127.0.0.1:{GWB}/orchestrator/ping", ("Session-ID", bsid))} if a.baseline_bin else {}),
            "nginx": (f"http://127.0.0.1:{NGX}/orchestrator/ping", None),
            "nginx+headers": (f"http://127.0.0.1:{NGXH}/orchestrator/ping", None),
        }
        # Sanity: every target answers 200 with pong.
        for name, (url, h) in targets.items():
            req = urllib.request.Request(url, headers=dict([h]) if h else {})
            assert urllib.request.urlopen(req).read() == b"pong", name
        conns = [int(c) for c in a.conns.split(",")]
        results = {}
        sessions = []
        for rnd in range(a.rounds):
            for c in conns:
                for name, (url, h) in targets.items():
                    results.setdefault((name, c), []).append(wrk(url, c, a.duration, h))
                    print(f"  {c} {name} {results[(name, c)][-1]}", file=sys.stderr)
            sessions.append(wrk(f"http://127.0.0.1:{GW}/session", 16, a.duration, ("API-Key", session_key)))
            print(f"round {rnd + 1}/{a.rounds} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        load_end = os.getloadavg()

        def med(rows, i):
            return statistics.median(r[i] for r in rows)

        lines = ["# auth-gateway benchmark", "",
                 f"wrk -t1, {a.duration} s per run, {a.rounds} rounds with the targets alternating, medians. "
                 "Upstream: bench-server `GET /ping` (release). Gateway: release build, Session-ID auth, "
                 "`/orchestrator/ping` → `/ping`, access log off. nginx: "
                 + subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
                 + ", `worker_processes auto`, upstream keepalive pool. All processes and wrk share this machine's "
                 f"{os.cpu_count()} cores.", "",
                 "Reproduce: `deploy/bench/gateway/bench.py " + " ".join(sys.argv[1:]) + "` (options: `--duration 10 --rounds 3 "
                 "--conns 1,64 --baseline-bin PATH`).", "",
                 "`nginx+headers` is the same nginx also setting what the gateway sends upstream "
                 "(X-Forwarded-For, X-Forwarded-Host, X-Request-Id, and the four identity headers as constants).", "",
                 f"Load average (1/5/15 min) at the start {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, "
                 f"at the end {load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f}. "
                 "Ratios are medians of the per-round ratios (each round runs the targets back to back); "
                 "the spread columns give the lowest and highest round.", "",
                 "| conns | target | req/s | req/s spread | p50 µs | p99 µs | errors | added p50 vs direct µs | req/s vs nginx | vs nginx spread | vs nginx+headers |",
                 "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c in conns:
            d50 = med(results[("direct", c)], 1)
            nrps = med(results[("nginx", c)], 0)
            hrps = med(results[("nginx+headers", c)], 0)
            def per_round(name, other):
                return [x[0] / y[0] for x, y in zip(results[(name, c)], results[(other, c)])]
            for name in targets:
                rows = results[(name, c)]
                rps, p50, p99 = med(rows, 0), med(rows, 1), med(rows, 2)
                err = sum(r[3] for r in rows)
                added = "" if name == "direct" else f"{p50 - d50:+.0f}"
                vs_nginx = per_round(name, "nginx")
                ratio = f"{statistics.median(vs_nginx):.2f}×" if name != "direct" else ""
                ratio_spread = spread(vs_nginx, ratio=True) if name != "direct" else ""
                hratio = f"{statistics.median(per_round(name, 'nginx+headers')):.2f}×" if name != "direct" else ""
                lines.append(f"| {c} | {name} | {rps:,.0f} | {spread([r[0] for r in rows])} | {p50:.0f} | {p99:.0f} | {err} | "
                             f"{added} | {ratio} | {ratio_spread} | {hratio} |")
            if a.baseline_bin:
                after_before = per_round("gateway", BEFORE)
                lines.append(f"| {c} | gateway / gateway (before) | **{statistics.median(after_before):.2f}×** | "
                             f"{spread(after_before, ratio=True)} | | | | | | | |")
        lines += ["", "## Sessions", "",
                  f"`GET /session` with an API key (SHA-256 of the key, cached principal, a new 256-bit id, SQLite insert "
                  f"of its hash, WAL), 16 connections: **{med(sessions, 0):,.0f} sessions/s** "
                  f"(p50 {med(sessions, 1):.0f} µs, p99 {med(sessions, 2):.0f} µs, errors {sum(r[3] for r in sessions)}).", ""]
        notes = os.path.join(HERE, "notes.md")
        if os.path.exists(notes):
            lines += [open(notes).read().rstrip(), ""]
        text = "\n".join(lines)
        with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
            f.write(text)
        print(text)
    finally:
        stop_processes(procs)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
