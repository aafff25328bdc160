#!/usr/bin/env python3
"""Issue 10, finding 4, against a real predictor binary (release): user B predicts in a loop
while user A uploads ~12 MB of the machine's Python sources three times; then a restart and
A's first predict (A's model loaded from disk) while B predicts. Prints B's latency
p50/p99/max in each phase, the resident size, and the personal-model gauges.

    python3 deploy/bench/predictor/upload_scenario.py .build/release/predictor

Loopback only; the data goes to a temporary directory, removed at the end."""
import http.client, json, os, subprocess, sys, tempfile, threading, time, glob, statistics, shutil, socket

binary = sys.argv[1]
token = "bench-token"

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def request(port, method, path, body, user, ctype):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    c.request(method, path, body=body, headers={"Content-Type": ctype, "X-Internal-Token": token, "X-User-Id": user,
                                                 "X-User-Name": user, "X-User-Roles": "user"})
    r = c.getresponse(); data = r.read(); c.close(); return r.status, data

def start(data_dir, corpus, port):
    env = dict(os.environ, DATA_DIR=data_dir, CORPUS_DIR=corpus, PORT=str(port), INTERNAL_TOKEN=token, LOG_LEVEL="warning", ACCESS_LOG="0")
    p = subprocess.Popen([binary], env=env, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2); c.request("GET", "/health"); r = c.getresponse(); r.read()
            if r.status == 200: return p
        except OSError: pass
        time.sleep(0.1)
    raise SystemExit("not healthy")

def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1]) // 1024
    return 0

src_files = sorted(glob.glob("/usr/lib/python3*/**/*.py", recursive=True))
files, total = {}, 0
for f in src_files:
    try: t = open(f, encoding="utf-8").read()
    except Exception: continue
    if len(t) > 200_000: continue
    files[f.split("/", 4)[-1]] = t; total += len(t)
    if total > 12_000_000: break
upload_body = json.dumps({"workspace": "big", "files": files}).encode()
predict_body = "current_file=" + __import__("urllib.parse").parse.quote("import os\nresult = os.path.jo<cursor>\n")

def predict_loop(port, stop, out):
    while not stop.is_set():
        t = time.perf_counter(); st, _ = request(port, "POST", "/predict", predict_body, "u-bob", "application/x-www-form-urlencoded")
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(0.005)

def summary(xs):
    xs = sorted(xs)
    return f"n={len(xs)} p50={statistics.median(xs):.1f} ms p99={xs[int(0.99 * (len(xs) - 1))]:.1f} ms max={xs[-1]:.1f} ms"

work = tempfile.mkdtemp(prefix="hpred-scenario-")
corpus = os.path.join(work, "corpus"); os.makedirs(corpus)
for f in sorted(glob.glob("/usr/lib/python3*/json/*.py")): shutil.copy(f, corpus)
data = os.path.join(work, "data")
port = free_port()
p = start(data, corpus, port)
base = []
stop = threading.Event(); t = threading.Thread(target=predict_loop, args=(port, stop, base)); t.start(); time.sleep(2); stop.set(); t.join()
print(f"{len(upload_body)/1e6:.1f} MB body, {len(files)} files; idle RSS {rss(p.pid)} MB; B alone: {summary(base)}")
during = []
stop = threading.Event(); t = threading.Thread(target=predict_loop, args=(port, stop, during)); t.start()
for i in range(3):
    t0 = time.time(); st, body = request(port, "POST", "/mass_upload", upload_body, "u-alice", "application/json")
    print(f"upload {i+1}: {st} in {time.time()-t0:.1f} s, RSS {rss(p.pid)} MB")
stop.set(); t.join()
print(f"B during A's uploads: {summary(during)}; RSS after {rss(p.pid)} MB"); time.sleep(3); print(f"RSS 3 s later {rss(p.pid)} MB")
c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/metrics", headers={"X-Internal-Token": token, "X-User-Id": "op", "X-User-Roles": "admin"}); m = c.getresponse().read().decode()
print("\n".join(l for l in m.splitlines() if l.startswith("user_model")))
p.terminate(); p.wait()
port = free_port()
p = start(data, corpus, port)
during = []
stop = threading.Event(); t = threading.Thread(target=predict_loop, args=(port, stop, during)); t.start(); time.sleep(0.3)
t0 = time.time(); st, _ = request(port, "POST", "/predict", predict_body, "u-alice", "application/x-www-form-urlencoded")
print(f"after restart: A's first predict (loads A's model) {st} in {(time.time()-t0)*1000:.0f} ms")
time.sleep(0.3); stop.set(); t.join()
print(f"B during A's model load: {summary(during)}; RSS {rss(p.pid)} MB")
p.terminate(); p.wait()
shutil.rmtree(work)
