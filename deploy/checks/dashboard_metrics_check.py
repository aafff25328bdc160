#!/usr/bin/env python3
"""Checks that every metric the Grafana dashboard queries exists in the services' /metrics.

Starts the six real binaries (TEST_BIN_DIR) on loopback, each with a METRICS_PORT as the
scrape configuration expects, exercises each a little (the requests that make its own
metrics appear), reads every /metrics listener, and compares with the metric names parsed
out of the PromQL of deploy/observability/grafana-dashboard.json:
  - a selector with service="X" must name a metric in X's output (else any service's);
  - a route="..." matcher must be a route label X really reports.
Exits 1 listing what is missing. Bounded: start-up waits at most START_TIMEOUT_S (60 s).

Usage: TEST_BIN_DIR=$(swift build --show-bin-path) deploy/.venv/bin/python deploy/checks/dashboard_metrics_check.py
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DASHBOARD = os.path.join(ROOT, "deploy", "observability", "grafana-dashboard.json")
START_TIMEOUT_S = float(os.environ.get("START_TIMEOUT_S", "60"))
TOKEN = "dashboard-check-" + uuid.uuid4().hex

# PromQL words that are not metric names.
PROMQL_WORDS = {
    "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "histogram_quantile",
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "topk", "bottomk", "abs", "clamp_min", "clamp_max", "offset", "bool",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, port, path, body=None, headers=None, timeout=30):
    """(status, text) of one request to 127.0.0.1:port."""
    data = None
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def identity(roles="user,admin"):
    """Headers the gateway would add: the services trust them with the internal token."""
    return {"X-Internal-Token": TOKEN, "X-User-Id": "dashboard-check", "X-User-Name": "dashboard-check",
            "X-User-Roles": roles}


def dashboard_selectors():
    """[(metric, {label: value})] of every selector in the dashboard's expressions."""
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    expressions = []
    def walk(panels):
        for panel in panels:
            expressions.extend(t["expr"] for t in panel.get("targets", []) if t.get("expr"))
            walk(panel.get("panels", []))
    walk(dashboard["panels"])
    selectors = []
    for expr in expressions:
        # Aggregation clauses name labels, not metrics.
        text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", expr)
        text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges
        # A matcher's value may hold braces (route="/{collection}/{uuid}"): strings are skipped whole.
        for match in re.finditer(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{(?:[^{}"]|"[^"]*")*\})?', text):
            name, matchers = match.group(1), match.group(2) or ""
            if name in PROMQL_WORDS or re.fullmatch(r"[0-9.]+", name):
                continue
            # A word followed by "(" is a function.
            rest = text[match.end():].lstrip()
            if rest.startswith("(") and not matchers:
                continue
            labels = dict(re.findall(r'([a-zA-Z_]+)\s*=\s*"([^"]*)"', matchers))
            selectors.append((name, labels))
    return selectors


def parse_exposition(text):
    """(metric names, route label values) of a Prometheus text exposition."""
    names, routes = set(), set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0)
        names.add(name)
        route = re.search(r'route="([^"]*)"', line)
        if route:
            routes.add(route.group(1))
    return names, routes


class System:
    """The six binaries, each on a free loopback port with a METRICS_PORT of its own."""

    def __init__(self, bin_dir, work):
        self.bin_dir, self.work = bin_dir, work
        self.processes, self.ports, self.metrics_ports = {}, {}, {}
        self.dead_port = free_port()  # nothing listens here: an unreachable upstream
        self.upstream = None  # deploy/checks/llm_upstream.py: the bridge's calls get answers (token counters)

    def environment(self, service, extra):
        port, metrics_port = free_port(), free_port()
        self.ports[service], self.metrics_ports[service] = port, metrics_port
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.work,
            "HOST": "127.0.0.1", "PORT": str(port), "METRICS_HOST": "127.0.0.1", "METRICS_PORT": str(metrics_port),
            "DATA_DIR": os.path.join(self.work, service), "INTERNAL_TOKEN": TOKEN,
            "LOG_LEVEL": "warning", "ACCESS_LOG": "0", "EVENT_LOOPS": "1",
        }
        env.update(extra)
        return env

    def start(self, service, extra):
        env = self.environment(service, extra)
        log = open(os.path.join(self.work, f"{service}.log"), "wb")
        self.processes[service] = subprocess.Popen([os.path.join(self.bin_dir, service)], env=env,
                                                   stdout=log, stderr=log, cwd=self.work)

    def wait_ready(self, service, any_answer=False):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.processes[service].poll() is not None:
                raise RuntimeError(f"{service} exited: see {self.work}/{service}.log\n" + self.log_tail(service))
            try:
                status, _ = request("GET", self.ports[service], "/health", timeout=5)
                if status == 200 or (any_answer and status == 503):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{service} not ready after {START_TIMEOUT_S} s\n" + self.log_tail(service))

    def log_tail(self, service):
        try:
            with open(os.path.join(self.work, f"{service}.log"), "rb") as f:
                return f.read()[-2000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def scrape(self, service):
        status, text = request("GET", self.metrics_ports[service], "/metrics")
        if status != 200:
            raise RuntimeError(f"{service} /metrics on METRICS_PORT: {status}")
        return text

    def start_upstream(self, python):
        """The local LLM upstream (serves until its standard input closes); returns its port."""
        script = os.path.join(ROOT, "deploy", "checks", "llm_upstream.py")
        self.upstream = subprocess.Popen([python, script, "--port", "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True)
        line = self.upstream.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError(f"llm_upstream.py did not print its port: {line}")
        return int(line[1])

    def stop(self):
        if self.upstream is not None:
            self.upstream.stdin.close()
            try:
                self.upstream.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.upstream.kill()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def start_all(system, python, gateway_settings=None):
    """Starts the five services, then the gateway in front of them (with `gateway_settings`,
    a function of the system returning settings that replace the defaults below); returns
    an admin API key made with the gateway's CLI."""
    corpus = os.path.join(system.work, "corpus")
    os.makedirs(corpus)
    with open(os.path.join(corpus, "sample.py"), "w") as f:
        f.write("import os\n\ndef greet(name):\n    return 'hello ' + name\n\nfor item in range(3):\n    print(greet(str(item)))\n")
    dead = f"http://127.0.0.1:{system.dead_port}"
    system.start("predictor", {"CORPUS_DIR": corpus, "MAX_UPLOAD_FILES": "1"})
    system.start("task-manager", {"AIBRIDGE_URL": dead, "GITHUB_API_URL": dead})
    upstream = f"http://127.0.0.1:{system.start_upstream(python)}"
    system.start("aibridge-query", {"AIBRIDGE_OPENAI_BASE_URL": upstream + "/v1", "AIBRIDGE_ANTHROPIC_BASE_URL": upstream,
                                     "AIBRIDGE_OPENAI_KEY": "none", "AIBRIDGE_ANTHROPIC_KEY": "none"})
    system.start("orchestrator", {})
    kernels = os.path.join(system.work, "kernels")
    system.start("code-runner", {"PYTHON": python, "KERNEL_WORK_DIR": kernels, "AIBRIDGE_URL": dead, "MAX_KERNELS": "2"})
    for service in ("predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"):
        system.wait_ready(service)
    # The gateway: an admin key made with its CLI; the orchestrator upstream is a dead port
    # (gateway_upstream_errors_total), the others are the services started above.
    gateway_env = system.environment("auth-gateway", {
        "PREDICTOR_URL": f"http://127.0.0.1:{system.ports['predictor']}",
        "TASK_MANAGER_URL": f"http://127.0.0.1:{system.ports['task-manager']}",
        "AIBRIDGE_URL": f"http://127.0.0.1:{system.ports['aibridge-query']}",
        "CODE_RUNNER_URL": f"http://127.0.0.1:{system.ports['code-runner']}",
        "ORCHESTRATOR_URL": dead, "RATE_LIMIT_RPS": "1", "RATE_LIMIT_BURST": "1",
        **(gateway_settings(system) if gateway_settings else {}),
    })
    binary = os.path.join(system.bin_dir, "auth-gateway")
    made = subprocess.run([binary, "bootstrap-admin"], env=gateway_env, cwd=system.work,
                          capture_output=True, text=True, timeout=60)
    if made.returncode != 0:
        raise RuntimeError(f"auth-gateway bootstrap-admin: {made.returncode} {made.stderr}")
    key = made.stdout.strip().splitlines()[-1]
    log = open(os.path.join(system.work, "auth-gateway.log"), "wb")
    system.processes["auth-gateway"] = subprocess.Popen([binary], env=gateway_env, stdout=log, stderr=log, cwd=system.work)
    system.wait_ready("auth-gateway", any_answer=True)  # 503 "degraded": the orchestrator is down
    return key


def exercise(system, key):
    """The requests that make each service's own metrics appear."""
    gateway = system.ports["auth-gateway"]
    status, session = request("GET", gateway, "/session", headers={"API-Key": key})
    assert status == 200, f"gateway /session: {status} {session}"
    request("GET", gateway, "/api/tasks", headers={"Authorization": "Bearer not-a-key"})  # auth failure
    request("GET", gateway, "/orchestrator/problem", headers={"Authorization": f"Bearer {key}"})  # upstream down
    for _ in range(3):                                                              # rate limit (1/s)
        request("GET", gateway, "/api/tasks", headers={"Authorization": f"Bearer {key}"})

    predictor = system.ports["predictor"]
    form = "current_file=" + urllib.parse.quote("import os\n\ndef greet(name):\n    return gr<cursor>")
    status, text = request("POST", predictor, "/predict", body=form,
                           headers={**identity(), "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, f"predictor /predict: {status} {text}"
    request("POST", predictor, "/mass_upload", body={"workspace": "check", "files": {"a.py": "x = 1\n"}}, headers=identity())
    request("POST", predictor, "/mass_upload", body={"workspace": "check", "files": {"a.py": "x\n", "b.py": "y\n"}},
            headers=identity())                                                      # 413: MAX_UPLOAD_FILES=1

    orchestrator = system.ports["orchestrator"]
    request("POST", orchestrator, f"/worker/learnuplet/{uuid.uuid4()}", body={"worker": str(uuid.uuid4())},
            headers=identity("compute"))
    request("POST", orchestrator, f"/learndone/{uuid.uuid4()}", body={}, headers=identity("compute"))

    aibridge = system.ports["aibridge-query"]
    status, text = request("POST", aibridge, "/api/v2/aibridge/openai/v1/chat/completions",
                           body={"model": "check", "messages": [{"role": "user", "content": "hi"}]}, headers=identity())
    assert status == 200, f"aibridge-query chat through the local upstream: {status} {text}"   # token counters

    code = system.ports["code-runner"]
    status, text = request("POST", code, "/code/execute", body={"code": "print(6 * 7)", "session_id": "check"},
                           headers=identity(), timeout=60)
    assert status == 200, f"code-runner /code/execute: {status} {text}"
    for session in ("second", "third"):                                             # MAX_KERNELS=2: an eviction
        request("POST", code, "/code/execute", body={"code": "print(1)", "session_id": session}, headers=identity(), timeout=60)
    request("POST", code, "/code/edit", body={"original_code": "x = 1", "user_prompt": "add one", "session_id": "check"},
            headers=identity(), timeout=60)
    request("POST", code, "/code/fix", body={"code": "x = (", "error": "SyntaxError", "session_id": "check"},
            headers=identity(), timeout=60)


def main():
    bin_dir = os.environ.get("TEST_BIN_DIR")
    if not bin_dir:
        print("TEST_BIN_DIR (the built executables) is required", file=sys.stderr)
        return 2
    python = os.environ.get("TEST_PYTHON", os.path.join(ROOT, "deploy", ".venv", "bin", "python"))
    selectors = dashboard_selectors()
    work = tempfile.mkdtemp(prefix="dashboard-check-")
    os.chmod(work, 0o711)  # code-runner's kernel uids must pass through to their directories
    system = System(bin_dir, work)
    try:
        key = start_all(system, python)
        exercise(system, key)
        exposed = {service: parse_exposition(system.scrape(service)) for service in system.processes}
    finally:
        system.stop()
    all_names = set().union(*(names for names, _ in exposed.values()))
    missing = []
    for name, labels in selectors:
        service = labels.get("service")
        if service and service in exposed:
            names, routes = exposed[service]
            if name not in names:
                missing.append(f"{name} (service {service})")
            elif "route" in labels and labels["route"] not in routes:
                missing.append(f'{name}{{route="{labels["route"]}"}} (service {service}: routes {sorted(routes)})')
        elif name not in all_names:
            missing.append(name)
    checked = sorted({name for name, _ in selectors})
    if missing:
        print("metrics the dashboard queries but no service exposes:\n  " + "\n  ".join(sorted(set(missing))))
        print(f"(logs kept in {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"dashboard metrics check: {len(checked)} metric names in {len(selectors)} selectors, all exposed "
          f"by the six services ({', '.join(checked)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
