#!/usr/bin/env python3
"""code-runner against a Jupyter kernel (ipykernel + jupyter_client), same machine, same run.

  deploy/bench/code-runner/run.sh        (makes the bench venv, builds, runs this with it)

Measures, each side with the same code and the same dataset (code-runner's built-in
sample, rebuilt in the Jupyter kernel by kernel.py's own generator):
  warm     execute round trip on a warm kernel: `print(df.shape)` and a small groupby
  cold     a new session's first execute (code-runner: fork from the zygote, load the
           dataset, run) against starting a fresh Jupyter kernel and running the same code
  many     32 sessions with a kernel each: memory per kernel (RSS, PSS, private) and the
           p99 of executes sent by 32 clients at once
code-runner is called directly on its port with the gateway's identity headers (the
gateway's own cost is measured in deploy/bench/gateway). Results go to RESULTS.md.
"""

import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
KERNEL_DIR = os.path.join(ROOT, "Services", "CodeRunner", "Kernel")
TOKEN = "bench-internal-token"
SHAPE = "print(df.shape)"
GROUPBY = "print(df.groupby('region').revenue.sum().round(2))"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def summary(values):
    return {"n": len(values), "p50_ms": round(percentile(values, 0.5) * 1000, 3),
            "p99_ms": round(percentile(values, 0.99) * 1000, 3), "mean_ms": round(statistics.fmean(values) * 1000, 3)}


# --- code-runner ------------------------------------------------------------------------

class CodeRunner:
    def __init__(self, binary, python, max_kernels):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix="code-runner-bench-")
        os.chmod(self.data, 0o755)
        env = dict(os.environ, PORT=str(self.port), DATA_DIR=os.path.join(self.data, "data"), PYTHON=python,
                   INTERNAL_TOKEN=TOKEN, LOG_LEVEL="warning", ACCESS_LOG="0", MAX_KERNELS=str(max_kernels),
                   KERNEL_WORK_DIR=os.path.join(self.data, "work"))
        self.process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("code-runner did not become ready")

    def client(self, user="bench"):
        return CodeRunnerClient(self.port, user)

    def kernel_pids(self):
        """The zygote's children: the session kernels."""
        zygotes = [pid for pid, ppid in _processes() if ppid == self.process.pid]
        return [pid for pid, ppid in _processes() if ppid in zygotes]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.data, ignore_errors=True)


class CodeRunnerClient:
    def __init__(self, port, user):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Content-Type": "application/json", "X-Internal-Token": TOKEN, "X-User-Id": user,
                        "X-User-Name": user, "X-User-Roles": "user"}

    def execute(self, code, session):
        body = json.dumps({"code": code, "session_id": session})
        started = time.perf_counter()
        self.connection.request("POST", "/code/execute", body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        result = json.loads(data)
        if response.status != 200 or not result.get("is_successful"):
            raise RuntimeError("execute failed: %s %s" % (response.status, data[:300]))
        return elapsed, result["output"]


def _processes():
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                yield int(name), int(fields[1])
            except OSError:
                continue


def memory(pid):
    """RSS, PSS and private (USS) bytes of a process."""
    values = {}
    with open("/proc/%d/smaps_rollup" % pid) as rollup:
        for line in rollup:
            parts = line.split()
            if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
                values[parts[0]] = int(parts[1]) * 1024
    return values.get("Rss:", 0), values.get("Pss:", 0), values.get("Private_Clean:", 0) + values.get("Private_Dirty:", 0)


# --- Jupyter ----------------------------------------------------------------------------

JUPYTER_SETUP = """
import sys
sys.path.insert(0, %r)
import matplotlib
matplotlib.use("Agg")
import pandas as pd, numpy as np, plotly.express as px, plotly.graph_objects as go, matplotlib.pyplot as plt
from kernel import _sample_dataset
df = _sample_dataset()
""" % KERNEL_DIR


class Jupyter:
    def __init__(self):
        from jupyter_client import KernelManager
        # ipykernel's own spec runs this interpreter (the bench venv: same packages).
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel()
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)

    def execute(self, code):
        captured = []
        started = time.perf_counter()
        reply = self.client.execute_interactive(code, timeout=120, output_hook=lambda message: captured.append(message))
        elapsed = time.perf_counter() - started
        if reply["content"]["status"] != "ok":
            raise RuntimeError("jupyter execute failed: %s" % reply["content"])
        text = "".join(m["content"].get("text", "") for m in captured if m["msg_type"] == "stream")
        return elapsed, text

    def pid(self):
        return self.manager.provisioner.process.pid

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


# --- runs -------------------------------------------------------------------------------

def warm(runner, count):
    client = runner.client()
    client.execute(SHAPE, "warm")
    client.execute(GROUPBY, "warm")
    results = {}
    for label, code in (("print(df.shape)", SHAPE), ("groupby", GROUPBY)):
        ours = [client.execute(code, "warm")[0] for _ in range(count)]
        results[label] = {"code-runner": summary(ours)}
    jupyter = Jupyter()
    try:
        jupyter.execute(JUPYTER_SETUP)
        for label, code in (("print(df.shape)", SHAPE), ("groupby", GROUPBY)):
            jupyter.execute(code)
            theirs = [jupyter.execute(code)[0] for _ in range(count)]
            results[label]["jupyter"] = summary(theirs)
        results["jupyter_kernel_memory"] = memory(jupyter.pid())
    finally:
        jupyter.stop()
    return results


def cold(runner, ours_count, theirs_count):
    client = runner.client("cold")
    ours = [client.execute(GROUPBY, "cold-%d" % index)[0] for index in range(ours_count)]
    theirs = []
    for _ in range(theirs_count):
        started = time.perf_counter()
        jupyter = Jupyter()
        try:
            jupyter.execute(JUPYTER_SETUP + "\n" + GROUPBY)
            theirs.append(time.perf_counter() - started)
        finally:
            jupyter.stop()
    return {"code-runner": summary(ours), "jupyter": summary(theirs)}


def many(runner, sessions, rounds):
    clients = [runner.client("many-%d" % index) for index in range(sessions)]
    for index, client in enumerate(clients):
        client.execute(SHAPE, "many-%d" % index)
    pids = runner.kernel_pids()
    usage = [memory(pid) for pid in pids]
    latencies = queue.Queue()
    barrier = threading.Barrier(sessions)

    def work(index, client):
        barrier.wait()
        for _ in range(rounds):
            latencies.put(client.execute(GROUPBY, "many-%d" % index)[0])

    threads = [threading.Thread(target=work, args=(index, client)) for index, client in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    values = [latencies.get() for _ in range(latencies.qsize())]
    mib = 1024 * 1024
    return {
        "kernels": len(pids),
        "rss_mib_mean": round(statistics.fmean(u[0] for u in usage) / mib, 1),
        "pss_mib_mean": round(statistics.fmean(u[1] for u in usage) / mib, 1),
        "private_mib_mean": round(statistics.fmean(u[2] for u in usage) / mib, 1),
        "execute": summary(values),
        "executes_per_s": round(len(values) / wall, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--python", required=True, help="the project venv (code-runner's kernels)")
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--cold", type=int, default=20)
    parser.add_argument("--jupyter-cold", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", default=os.path.join(HERE, "results.json"))
    arguments = parser.parse_args()
    runner = CodeRunner(arguments.binary, arguments.python, max_kernels=max(arguments.sessions, 4) + 8)
    try:
        results = {
            "machine": {"cores": os.cpu_count(), "load_before": os.getloadavg()},
            "warm": warm(runner, arguments.warm),
            "cold": cold(runner, arguments.cold, arguments.jupyter_cold),
            "many": many(runner, arguments.sessions, arguments.rounds),
        }
        results["machine"]["load_after"] = os.getloadavg()
    finally:
        runner.stop()
    with open(arguments.out, "w") as out:
        json.dump(results, out, indent=1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
