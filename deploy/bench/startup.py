#!/usr/bin/env python3
"""Start-to-first-answer and idle RSS of each service binary (release build).

    deploy/bench/startup.py [--runs 5]

Each run starts the binary with a fresh DATA_DIR, polls GET /health until it answers,
and reads VmRSS one second later. Medians; writes deploy/bench/results/startup.md.
"""
import argparse, os, shutil, signal, socket, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = ["auth-gateway", "predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def health(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.05) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 ")  # any answer (the gateway's /health is 503 alone)
    except OSError:
        return False


def memory_mib(pid):
    """(RSS, anonymous) in MiB: anonymous is the process's own memory; the rest of RSS is
    file-backed library pages (Swift runtime, Foundation) shared by every service."""
    rss = anon = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Anonymous:"):
                anon = int(line.split()[1])
    return rss / 1024, anon / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    rows = []
    for name in SERVICES:
        starts, rss, anon = [], [], []
        for _ in range(a.runs):
            data = tempfile.mkdtemp(prefix=f"startup-{name}-")
            port = free_port()
            env = dict(os.environ, PORT=str(port), DATA_DIR=data, LOG_LEVEL="warning")
            t0 = time.perf_counter()
            p = subprocess.Popen([os.path.join(bin_dir, name)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not health(port):
                if time.perf_counter() - t0 > 20:
                    raise RuntimeError(f"{name} did not answer")
                time.sleep(0.001)
            starts.append((time.perf_counter() - t0) * 1000)
            time.sleep(1.0)
            r, a_ = memory_mib(p.pid)
            rss.append(r)
            anon.append(a_)
            p.send_signal(signal.SIGTERM); p.wait(timeout=15)
            shutil.rmtree(data, ignore_errors=True)
        rows.append((name, statistics.median(starts), statistics.median(rss), statistics.median(anon)))
    lines = ["# Start-up and idle memory", "",
             f"Release build, fresh `DATA_DIR`, medians of {a.runs} runs. Reproduce: `deploy/bench/startup.py`.", "",
             "Anonymous memory is the process's own; the rest of RSS is file-backed pages of the Swift",
             "runtime and Foundation libraries, shared by all six services when they run together.", "",
             "| service | start to first answer (ms) | idle RSS after 1 s (MiB) | of which anonymous (MiB) |", "|---|---|---|---|"]
    lines += [f"| {n} | {s:.0f} | {r:.1f} | {a:.1f} |" for n, s, r, a in rows]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(ROOT, "deploy", "bench", "results"), exist_ok=True)
    open(os.path.join(ROOT, "deploy", "bench", "results", "startup.md"), "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
