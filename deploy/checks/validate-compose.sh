#!/usr/bin/env bash
# Validates deploy/docker-compose.yml offline with Debian's docker-compose (1.29: `config`
# needs no engine), filled from deploy/compose.env.example, then checks what the file
# promises: the six services, only the gateway published, every DATA_DIR a named volume,
# a /health check on each, and that it refuses to start without INTERNAL_TOKEN.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
compose="$ROOT/deploy/docker-compose.yml"
example="$ROOT/deploy/compose.env.example"
command -v docker-compose >/dev/null || { echo "validate-compose: docker-compose is not installed (deploy/lib.sh ensure_system_packages installs it)" >&2; exit 1; }
# No engine is asked: DOCKER_HOST points nowhere, so nothing here can reach one.
export DOCKER_HOST="unix:///nonexistent/docker.sock"
docker-compose --env-file "$example" -f "$compose" config -q
resolved="$(docker-compose --env-file "$example" -f "$compose" config)"
empty="$(mktemp)"; trap 'rm -f "$empty"' EXIT
if docker-compose --env-file "$empty" -f "$compose" config -q 2>/dev/null; then
    echo "validate-compose: the file is valid without INTERNAL_TOKEN (it must be required)" >&2
    exit 1
fi
# The resolved file is YAML; docker-compose's own Python has PyYAML.
/usr/bin/python3 - "$resolved" <<'PY'
import sys, yaml
doc = yaml.safe_load(sys.argv[1])
services = doc["services"]
want = {"auth-gateway", "predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"}
problems = []
if set(services) != want:
    problems.append(f"services are {sorted(services)}, want {sorted(want)}")
for name, service in services.items():
    env = service.get("environment", {})
    if name != "auth-gateway" and service.get("ports"):
        problems.append(f"{name} publishes ports (only the gateway may)")
    data_dir = env.get("DATA_DIR")
    mounts = [v.split(":")[1] if isinstance(v, str) else v.get("target") for v in service.get("volumes", [])]
    if not data_dir or data_dir not in mounts:
        problems.append(f"{name}: DATA_DIR {data_dir!r} is not a mounted volume ({mounts})")
    test = " ".join(service.get("healthcheck", {}).get("test", []))
    if f":{env.get('PORT')}/health" not in test:
        problems.append(f"{name}: no health check on its /health (port {env.get('PORT')})")
    if not env.get("INTERNAL_TOKEN"):
        problems.append(f"{name}: no INTERNAL_TOKEN")
    if not service.get("restart"):
        problems.append(f"{name}: no restart policy")
    if not service.get("mem_limit"):
        problems.append(f"{name}: no memory limit")
gateway = services.get("auth-gateway", {})
if [p.get("target") if isinstance(p, dict) else p for p in gateway.get("ports", [])] == []:
    problems.append("auth-gateway is not published")
for name in want - {"auth-gateway"}:
    url_name = {"task-manager": "TASK_MANAGER_URL", "aibridge-query": "AIBRIDGE_URL", "predictor": "PREDICTOR_URL",
                "orchestrator": "ORCHESTRATOR_URL", "code-runner": "CODE_RUNNER_URL"}[name]
    port = services.get(name, {}).get("environment", {}).get("PORT")
    if gateway.get("environment", {}).get(url_name) != f"http://{name}:{port}":
        problems.append(f"auth-gateway: {url_name} does not point at {name}:{port}")
if problems:
    print("validate-compose: " + "\nvalidate-compose: ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
echo "validate-compose: docker-compose $(docker-compose version --short) config OK; six services, only the gateway published"
