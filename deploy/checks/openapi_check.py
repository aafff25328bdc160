#!/usr/bin/env python3
"""Checks every service's OpenAPI document against the real services, through the gateway.

Starts the six real binaries (TEST_BIN_DIR) on loopback with a throwaway data directory
(dashboard_metrics_check's System and start_all: the same binaries, settings and admin key),
every service reachable behind the gateway and no rate limit. Then:
  1. fetches the six documents from the gateway without credentials (/openapi/<service>.json)
     and validates each with openapi-spec-validator (OpenAPI 3.1);
  2. runs schemathesis against each service through the gateway with the admin key,
     bounded (MAX_EXAMPLES per operation, fixed seed), checking not_a_server_error,
     response_schema_conformance and status_code_conformance.
The gateway's own document runs last: its admin operations may disable users and revoke
keys (a revoked key is then a documented 403, not a failure). A 502/504 can only come from
routes that call an outside upstream the check cannot reach (the LLM and GitHub upstreams
are a dead port here), and each such route documents it.
Exits 1 naming what failed. Reports are kept in the work directory on failure.

Usage: TEST_BIN_DIR=$(swift build --show-bin-path) deploy/.venv/bin/python deploy/checks/openapi_check.py
Settings: MAX_EXAMPLES (default 30), SERVICES (comma-separated subset), KEEP_WORK=1.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboard_metrics_check as system_start  # noqa: E402  (the same six binaries, started the same way)

from openapi_spec_validator import validate  # noqa: E402

# The gateway last: its admin operations may disable users and revoke keys (ours included).
SERVICES = ["predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner", "auth-gateway"]
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
MAX_EXAMPLES = int(os.environ.get("MAX_EXAMPLES", "30"))
OUTSIDE_UPSTREAM = "x-calls-outside-upstream"


def gateway_settings(system):
    """The gateway in front of every service (the orchestrator too), without a rate limit."""
    return {"ORCHESTRATOR_URL": f"http://127.0.0.1:{system.ports['orchestrator']}", "RATE_LIMIT_RPS": "0",
            "RATE_LIMIT_BURST": "0", "SESSION_RATE_PER_KEY": "0"}


def checker_key(system):
    """A key of a user with every role the documented routes need (user, admin, compute),
    made with the gateway's CLI on its database (the running gateway reads new keys there)."""
    binary = os.path.join(system.bin_dir, "auth-gateway")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": system.work, "LOG_LEVEL": "warning",
           "DATA_DIR": os.path.join(system.work, "auth-gateway"), "INTERNAL_TOKEN": system_start.TOKEN}
    for command in (["users", "create", "openapi-check", "--role", "user", "--role", "admin", "--role", "compute"],
                    ["keys", "create", "openapi-check", "--label", "openapi check"]):
        made = subprocess.run([binary] + command, env=env, cwd=system.work, capture_output=True, text=True, timeout=60)
        if made.returncode != 0:
            raise RuntimeError(f"auth-gateway {' '.join(command)}: {made.returncode} {made.stderr}")
    return made.stdout.strip().splitlines()[-1]


def fetch_document(port, service):
    """The document as the gateway serves it, without credentials."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi/{service}.json", timeout=30) as answer:
        if answer.status != 200:
            raise RuntimeError(f"/openapi/{service}.json: {answer.status}")
        return json.load(answer)


def outside_upstream_config(document):
    """schemathesis configuration: a 502/504 is expected only on the operations marked
    x-calls-outside-upstream (each documents it); every other 5xx fails not_a_server_error."""
    lines = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get(OUTSIDE_UPSTREAM):
                responses = operation.get("responses", {})
                if not {"502", "504"} <= set(responses):
                    raise RuntimeError(f"{method.upper()} {path} calls an outside upstream but does not document 502 and 504")
                lines += ["[[operations]]", f"include-path = {json.dumps(path)}", f"include-method = {json.dumps(method.upper())}",
                          'checks.not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", "502", "504"]', ""]
    return "\n".join(lines)


def run_schemathesis(python, port, service, document, key, work):
    """schemathesis against `service` through the gateway; (passed, seconds, output)."""
    server = (document.get("servers") or [{"url": "/"}])[0]["url"].rstrip("/")
    path = os.path.join(work, f"{service}.openapi.json")
    with open(path, "w") as f:
        json.dump(document, f)
    config = os.path.join(work, f"{service}.schemathesis.toml")
    with open(config, "w") as f:
        f.write(outside_upstream_config(document))
    command = [
        os.path.join(os.path.dirname(python), "schemathesis"), "--config-file", config, "run", path,
        "--url", f"http://127.0.0.1:{port}{server}",
        "-H", f"API-Key: {key}",
        "--checks", CHECKS,
        "--max-examples", str(MAX_EXAMPLES), "--seed", "14", "--workers", "1",
        "--phases", "examples,coverage,fuzzing", "--no-shrink",
        "--request-timeout", "60", "--suppress-health-check", "all",
        "--report", "junit", "--report-junit-path", os.path.join(work, f"{service}.junit.xml"),
        "--warnings", "off",
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=work, timeout=900,
                          env={**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"})
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    with open(os.path.join(work, f"{service}.schemathesis.txt"), "w") as f:
        f.write(output)
    return done.returncode == 0, seconds, output


def main():
    bin_dir = os.environ.get("TEST_BIN_DIR")
    if not bin_dir:
        print("TEST_BIN_DIR (the built executables) is required", file=sys.stderr)
        return 2
    python = os.environ.get("TEST_PYTHON", os.path.join(system_start.ROOT, "deploy", ".venv", "bin", "python"))
    services = [s for s in os.environ.get("SERVICES", ",".join(SERVICES)).split(",") if s]
    work = tempfile.mkdtemp(prefix="openapi-check-")
    os.chmod(work, 0o711)  # code-runner's kernel uids must pass through to their directories
    system = system_start.System(bin_dir, work)
    failures, summary = [], []
    try:
        system_start.start_all(system, python, gateway_settings)
        key = checker_key(system)
        port = system.ports["auth-gateway"]
        documents = {}
        for service in SERVICES:
            try:
                documents[service] = fetch_document(port, service)
                validate(documents[service])
            except Exception as error:  # noqa: BLE001  (every failure is reported by name)
                failures.append(f"{service}: document not valid: {str(error)[:2000]}")
        for service in services:
            if service not in documents:
                continue
            passed, seconds, output = run_schemathesis(python, port, service, documents[service], key, work)
            operations = len([1 for item in documents[service]["paths"].values() for method in item])
            summary.append(f"{service}: {operations} operations, {seconds:.0f} s, {'passed' if passed else 'FAILED'}")
            if not passed:
                failures.append(f"{service}: schemathesis found problems:\n{output[-6000:]}")
    finally:
        system.stop()
    print("openapi check:\n  " + "\n  ".join(summary))
    if failures:
        print("\n\n".join(failures))
        print(f"(logs and reports kept in {work})")
        return 1
    if os.environ.get("KEEP_WORK") != "1":
        shutil.rmtree(work, ignore_errors=True)
    print(f"openapi check: {len(SERVICES)} documents valid (openapi-spec-validator), schemathesis passed on "
          f"{', '.join(services)} ({CHECKS}, {MAX_EXAMPLES} examples per operation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
