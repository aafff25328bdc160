#!/usr/bin/env python3
"""The bridge's cost, in one run with the targets alternating:

  * non-streamed `POST /v1/chat/completions` with wrk: requests/s and p50/p99 against the
    local LLM upstream (deploy/checks/llm_upstream.py) directly, through aibridge-query's
    bridge alone (internal token and identity headers, as our services call it), through
    the gateway and the bridge (a session id as `Authorization: Bearer`, as the OpenAI SDK
    sends), and through LiteLLM's proxy (`litellm[proxy]`, no database) in front of the
    same upstream; the latency each adds over the direct call;
  * streamed calls: the time to the first event of the answer, sequential calls, p50/p99,
    and the time each adds over the direct call.

    deploy/bench/aibridge/bench.py [--duration 5] [--rounds 3] [--conns 1,32] [--ttfb-calls 300]
                                   [--scratch .build] [--no-litellm] [--litellm-venv PATH]

LiteLLM runs from a venv of its own (default `<repo>/.build-litellm-venv`, created with pip
when missing; never the test venv). Builds what is missing (release), writes
deploy/bench/aibridge/RESULTS-bridge.md and prints it.
"""
import argparse, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
UP, BRIDGE, GW, LITE = 18290, 18283, 18280, 18291
TOKEN = "bench-internal-token"
# LiteLLM's proxy refuses to start without a master key (no database: the master key is the
# only key); clients send it as a bearer token, as ours send a session id.
LITELLM_KEY = "sk-" + os.urandom(24).hex()
BODY = json.dumps({"model": "gpt-test", "messages": [{"role": "user", "content": "Say hello in three words."}]})
STREAM_BODY = json.dumps({"model": "gpt-test", "stream": True,
                          "messages": [{"role": "user", "content": "Say hello in three words."}]})


def wait_port(port, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} not ready")


def wrk(url, conns, duration, headers):
    env = dict(os.environ, BODY=BODY, HEADERS="|".join(f"{k}: {v}" for k, v in headers.items()))
    out = subprocess.run(["wrk", "-t1", f"-c{conns}", f"-d{duration}s", "--latency", "-s", os.path.join(HERE, "post.lua"), url],
                         env=env, capture_output=True, text=True, check=True).stdout
    f = dict(kv.split("=") for kv in re.search(r"RESULT (.*)", out).group(1).split())
    errors = sum(int(f[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
    return float(f["rps"]), int(f["p50_us"]), int(f["p99_us"]), errors


def call(url, headers, body=BODY):
    request = urllib.request.Request(url, data=body.encode(), headers=dict(headers, **{"Content-Type": "application/json"}))
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


def ttfb(port, path, headers, calls):
    """Sequential streamed calls on one keep-alive connection: microseconds from sending the
    request to the first byte of the first event (the body's first chunk), per call."""
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + \
           "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + f"Content-Length: {len(STREAM_BODY)}\r\n\r\n"
    request = (head + STREAM_BODY).encode()
    times = []
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        for _ in range(calls):
            started = time.perf_counter()
            sock.sendall(request)
            buffer, first = b"", None
            while True:
                data = sock.recv(65536)
                if not data:
                    raise RuntimeError(f"connection closed by {path}")
                buffer += data
                if first is None and b"\r\n\r\n" in buffer and b"data:" in buffer.split(b"\r\n\r\n", 1)[1]:
                    first = time.perf_counter()
                if buffer.endswith(b"0\r\n\r\n") and b"[DONE]" in buffer:
                    break
            times.append((first - started) * 1e6)
    finally:
        sock.close()
    return statistics.median(times), sorted(times)[int(len(times) * 0.99) - 1]


def spread(values, ratio=False):
    return f"{min(values):.2f}–{max(values):.2f}" if ratio else f"{min(values):,.0f}–{max(values):,.0f}"


def litellm_python(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, "bin", "litellm")):
        print(f"installing litellm[proxy] into {venv}", file=sys.stderr)
        subprocess.run(["/usr/bin/python3", "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check", "litellm[proxy]"], check=True)
    version = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(venv, "bin", "litellm"), version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--conns", default="1,32")
    ap.add_argument("--ttfb-calls", type=int, default=300)
    ap.add_argument("--scratch", default=os.path.join(ROOT, ".build"))
    ap.add_argument("--no-litellm", action="store_true")
    ap.add_argument("--litellm-venv", default=os.path.join(ROOT, ".build-litellm-venv"))
    a = ap.parse_args()
    load_start = os.getloadavg()
    for product in ("auth-gateway", "aibridge-query"):
        subprocess.run(f"cd {ROOT} && swift build -c release --scratch-path {a.scratch} --product {product} >/dev/null",
                       shell=True, check=True)
    rel = os.path.join(a.scratch, "release")
    tmp = tempfile.mkdtemp(prefix="aibridge-bench-")
    procs = []
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        procs.append(subprocess.Popen([sys.executable, os.path.join(ROOT, "deploy/checks/llm_upstream.py"), "--port", str(UP),
                                       "--forever"], **quiet))
        base = dict(os.environ, ACCESS_LOG="0", LOG_LEVEL="warning", INTERNAL_TOKEN=TOKEN)
        procs.append(subprocess.Popen([os.path.join(rel, "aibridge-query")], env=dict(
            base, PORT=str(BRIDGE), DATA_DIR=os.path.join(tmp, "aibridge"), AIBRIDGE_OPENAI_BASE_URL=f"http://127.0.0.1:{UP}/v1",
            AIBRIDGE_OPENAI_KEY="sk-bench", AIBRIDGE_ANTHROPIC_BASE_URL=f"http://127.0.0.1:{UP}"), **quiet))
        genv = dict(base, PORT=str(GW), DATA_DIR=os.path.join(tmp, "gw"), AIBRIDGE_URL=f"http://127.0.0.1:{BRIDGE}",
                    SESSION_RATE_PER_KEY="0")
        key = subprocess.run([os.path.join(rel, "auth-gateway"), "bootstrap-admin"], env=genv, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        procs.append(subprocess.Popen([os.path.join(rel, "auth-gateway")], env=genv, **quiet))
        for port in (UP, BRIDGE, GW):
            wait_port(port)
        session = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{GW}/session", headers={"API-Key": key})).read().decode()
        litellm_version = None
        if not a.no_litellm:
            binary, litellm_version = litellm_python(a.litellm_venv)
            config = os.path.join(tmp, "litellm.yaml")
            with open(config, "w") as f:
                f.write(f"model_list:\n  - model_name: gpt-test\n    litellm_params:\n      model: openai/gpt-test\n"
                        f"      api_base: http://127.0.0.1:{UP}/v1\n      api_key: sk-bench\n"
                        "litellm_settings:\n  set_verbose: false\n  telemetry: false\n")
            # One worker (LiteLLM's default): with --num_workers 2 its worker processes kept
            # restarting here and the proxy never answered.
            procs.append(subprocess.Popen([binary, "--config", config, "--port", str(LITE), "--host", "127.0.0.1"],
                                          env=dict(os.environ, LITELLM_LOG="ERROR", LITELLM_TELEMETRY="False", LITELLM_MASTER_KEY=LITELLM_KEY,
                                                   LITELLM_LOCAL_MODEL_COST_MAP="True"), **quiet))
            wait_port(LITE, timeout=300)

        gateway_auth = {"Authorization": f"Bearer {session}"}
        bridge_auth = {"X-Internal-Token": TOKEN, "X-User-Id": "1", "X-User-Name": "admin", "X-User-Roles": "admin"}
        targets = {
            "direct": (UP, "/v1/chat/completions", {}),
            "bridge": (BRIDGE, "/api/v2/aibridge/openai/v1/chat/completions", bridge_auth),
            "gateway + bridge": (GW, "/api/v2/aibridge/openai/v1/chat/completions", gateway_auth),
        }
        if litellm_version:
            targets["litellm proxy"] = (LITE, "/v1/chat/completions", {"Authorization": f"Bearer {LITELLM_KEY}"})
        # Sanity: every target answers the upstream's text, streamed and not.
        for name, (port, path, headers) in targets.items():
            status, text = call(f"http://127.0.0.1:{port}{path}", headers)
            assert status == 200 and "Hello from the upstream." in text, (name, status, text)
            status, text = call(f"http://127.0.0.1:{port}{path}", headers, STREAM_BODY)
            assert status == 200 and "[DONE]" in text, (name, status, text)

        conns = [int(c) for c in a.conns.split(",")]
        results, firsts = {}, {}
        for rnd in range(a.rounds):
            for c in conns:
                for name, (port, path, headers) in targets.items():
                    results.setdefault((name, c), []).append(wrk(f"http://127.0.0.1:{port}{path}", c, a.duration, headers))
                    print(f"  {c} {name} {results[(name, c)][-1]}", file=sys.stderr)
            for name, (port, path, headers) in targets.items():
                firsts.setdefault(name, []).append(ttfb(port, path, headers, a.ttfb_calls))
                print(f"  ttfb {name} {firsts[name][-1]}", file=sys.stderr)
            print(f"round {rnd + 1}/{a.rounds} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        load_end = os.getloadavg()
        recorded = None
        try:
            listing = urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{GW}/api/v2/aibridge/interceptions?limit=1", headers=gateway_auth)).read()
            recorded = json.loads(listing).get("count")
        except Exception as error:  # the query API may not be there (bridge-only builds)
            print(f"count of recorded calls unavailable: {error}", file=sys.stderr)

        def med(rows, i):
            return statistics.median(r[i] for r in rows)

        lines = ["# aibridge-query bridge benchmark", "",
                 f"wrk -t1, {a.duration} s per run, {a.rounds} rounds with the targets alternating, medians. Upstream: "
                 "`deploy/checks/llm_upstream.py` (Python, threaded, non-streamed chat completion of ~330 bytes). "
                 "`bridge`: aibridge-query (release) called as our services call it (internal token + identity); "
                 "`gateway + bridge`: auth-gateway → aibridge-query, a session id as `Authorization: Bearer`; every call is "
                 "recorded (interception stored before forwarding, ended with usage and prompt before the answer is released)"
                 + (f"; `litellm proxy`: LiteLLM {litellm_version} (`litellm --config`, master key, no database, "
                    "its default single worker) to the same upstream" if litellm_version else "")
                 + f". All processes and wrk share this machine's {os.cpu_count()} cores.", "",
                 "Reproduce: `deploy/bench/aibridge/bench.py " + " ".join(sys.argv[1:]) + "`.", "",
                 f"Load average (1/5/15 min) at the start {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, "
                 f"at the end {load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f}.", "",
                 "## Non-streamed calls", "",
                 "| conns | target | req/s | req/s spread | p50 µs | p99 µs | errors | added p50 vs direct µs |"
                 + (" req/s vs litellm |" if litellm_version else ""),
                 "|---:|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if litellm_version else "")]
        for c in conns:
            d50 = med(results[("direct", c)], 1)
            for name in targets:
                rows = results[(name, c)]
                added = "" if name == "direct" else f"{med(rows, 1) - d50:+.0f}"
                row = (f"| {c} | {name} | {med(rows, 0):,.0f} | {spread([r[0] for r in rows])} | {med(rows, 1):.0f} | "
                       f"{med(rows, 2):.0f} | {sum(r[3] for r in rows)} | {added} |")
                if litellm_version:
                    per_round = [x[0] / y[0] for x, y in zip(rows, results[("litellm proxy", c)])]
                    row += f" {statistics.median(per_round):.2f}× ({spread(per_round, ratio=True)}) |"
                lines.append(row)
        lines += ["", f"## Streamed calls: time to the first event ({a.ttfb_calls} sequential calls per round, one keep-alive connection)", "",
                  "| target | p50 µs | p99 µs | added p50 vs direct µs |", "|---|---:|---:|---:|"]
        direct_first = statistics.median(r[0] for r in firsts["direct"])
        for name in targets:
            p50 = statistics.median(r[0] for r in firsts[name])
            p99 = statistics.median(r[1] for r in firsts[name])
            lines.append(f"| {name} | {p50:.0f} | {p99:.0f} | {'' if name == 'direct' else f'{p50 - direct_first:+.0f}'} |")
        if recorded is not None:
            lines += ["", f"Interceptions recorded by the bridge during the run (query API `count`): {recorded:,}."]
        notes = os.path.join(HERE, "notes-bridge.md")
        if os.path.exists(notes):
            lines += ["", open(notes).read().rstrip()]
        text = "\n".join(lines) + "\n"
        with open(os.path.join(HERE, "RESULTS-bridge.md"), "w") as f:
            f.write(text)
        print(text)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
