#!/usr/bin/env bash
# Validates deploy/docker-compose.yml offline with Debian's docker-compose (1.29: `config`
# needs no engine), filled from deploy/compose.env.example, then checks what the file
# promises: the six services, only the gateway published, every DATA_DIR a named volume,
# a /health check on each, and that it refuses to start without INTERNAL_TOKEN; and for the
# `postgres` profile: a postgres service with a volume and a pg_isready health check, at
# least two replicas of each of the six services, each with DATABASE_URL on that postgres
# and waiting for it to be healthy, only the gateways published, pointed at the profile's
# services.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
compose="$ROOT/deploy/docker-compose.yml"
example="$ROOT/deploy/compose.env.example"
command -v docker-compose >/dev/null || { echo "validate-compose: docker-compose is not installed (deploy/lib.sh ensure_system_packages installs it)" >&2; exit 1; }
# No engine is asked: DOCKER_HOST points nowhere, so nothing here can reach one.
export DOCKER_HOST="unix:///nonexistent/docker.sock"
docker-compose --env-file "$example" -f "$compose" config -q
resolved="$(docker-compose --env-file "$example" -f "$compose" --profile postgres config)"
empty="$(mktemp)"; trap 'rm -f "$empty"' EXIT
if docker-compose --env-file "$empty" -f "$compose" config -q 2>/dev/null; then
    echo "validate-compose: the file is valid without INTERNAL_TOKEN (it must be required)" >&2
    exit 1
fi
# The resolved file is YAML; docker-compose's own Python has PyYAML.
/usr/bin/python3 - "$resolved" <<'PY'
import sys, yaml
doc = yaml.safe_load(sys.argv[1])
# docker-compose 1.29's `config` lists every profile's services: the default ones have none.
services = {name: service for name, service in doc["services"].items() if not service.get("profiles")}
postgres_profile = {name: service for name, service in doc["services"].items() if "postgres" in service.get("profiles", [])}
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

# The `postgres` profile. A replica is a service of the profile running `command[0]`; its count
# is `deploy.replicas` (1 when absent), summed over the services running the same program.
pg = postgres_profile.get("postgres")
if not pg:
    problems.append("profile postgres: no postgres service")
else:
    if "/var/lib/postgresql/data" not in [v.split(":")[1] if isinstance(v, str) else v.get("target") for v in pg.get("volumes", [])]:
        problems.append("postgres: its data directory is not on a volume")
    if "pg_isready" not in " ".join(pg.get("healthcheck", {}).get("test", [])):
        problems.append("postgres: no pg_isready health check")
    if pg.get("ports"):
        problems.append("postgres: published (it must stay on the internal network)")
replicas = {}
names = {}
for name, service in postgres_profile.items():
    if name == "postgres":
        continue
    program = (service.get("command") or [None])[0]
    replicas[program] = replicas.get(program, 0) + int(service.get("deploy", {}).get("replicas", 1))
    aliases = [alias for network in (service.get("networks") or {}).values() if network for alias in network.get("aliases", [])]
    for host in [name] + aliases:
        names[host] = program
    env = service.get("environment", {})
    if "@postgres:5432/" not in env.get("DATABASE_URL", ""):
        problems.append(f"{name}: DATABASE_URL does not name the postgres service ({env.get('DATABASE_URL')!r})")
    if (service.get("depends_on") or {}).get("postgres", {}).get("condition") != "service_healthy":
        problems.append(f"{name}: does not wait for postgres to be healthy")
    if program != "auth-gateway" and service.get("ports"):
        problems.append(f"{name} publishes ports (only the gateways may)")
    if program == "auth-gateway" and not service.get("ports"):
        problems.append(f"{name}: a gateway that is not published")
    test = " ".join(service.get("healthcheck", {}).get("test", []))
    if f":{env.get('PORT')}/health" not in test:
        problems.append(f"{name}: no health check on its /health (port {env.get('PORT')})")
    for required, what in [("INTERNAL_TOKEN", env.get("INTERNAL_TOKEN")), ("restart", service.get("restart")), ("mem_limit", service.get("mem_limit"))]:
        if not what:
            problems.append(f"{name}: no {required}")
for program in sorted(want):
    if replicas.get(program, 0) < 2:
        problems.append(f"profile postgres: {replicas.get(program, 0)} replica(s) of {program}, want at least 2")
for name, service in postgres_profile.items():
    if (service.get("command") or [None])[0] != "auth-gateway":
        continue
    for variable in ["PREDICTOR_URL", "TASK_MANAGER_URL", "AIBRIDGE_URL", "ORCHESTRATOR_URL", "CODE_RUNNER_URL"]:
        url = service.get("environment", {}).get(variable, "")
        host = url.split("//")[-1].split(":")[0]
        if host not in names or names[host] == "auth-gateway":
            problems.append(f"{name}: {variable} {url!r} is not a service of the postgres profile")

if problems:
    print("validate-compose: " + "\nvalidate-compose: ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
echo "validate-compose: docker-compose $(docker-compose version --short) config OK; six services, only the gateway published; profile postgres: postgres and two replicas of each service"
