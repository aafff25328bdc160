# Shared helpers for deploy/run-local and deploy/test (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(auth-gateway predictor task-manager aibridge-query orchestrator code-runner)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian -dev packages the build links against, when missing.
ensure_system_packages() {
    local missing=()
    for p in libsqlite3-dev libpq-dev zlib1g-dev libssl-dev openssl python3 unzip; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    # deploy/checks/validate-deploy.sh: docker-compose 1.29 (`config` validates offline; its recommended engine is not installed) and systemd-analyze.
    if ! dpkg -s docker-compose >/dev/null 2>&1 || ! command -v systemd-analyze >/dev/null; then
        log "installing docker-compose and systemd (for systemd-analyze), without a Docker engine"
        $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get install -y -qq --no-install-recommends docker-compose systemd >/dev/null
    fi
    command -v swift >/dev/null || { echo "swift (6.0 or newer) is required on PATH" >&2; exit 1; }
}

# A random secret shared by the gateway and the services, kept under ./data.
internal_token() {
    local f="$ROOT/data/internal-token"
    mkdir -p "$ROOT/data"
    if [ ! -s "$f" ]; then
        head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f"
        chmod 600 "$f"
    fi
    cat "$f"
}

# The project's Python environment (deploy/.venv): protocol checkers for the tests
# (deploy/checks/requirements.txt) and code-runner's kernel packages
# (deploy/checks/requirements-kernel.txt: pandas, numpy, plotly, matplotlib).
# Made with umask 022 whatever the caller's (deploy/run-local runs with 077): code-runner's
# kernels run as unprivileged uids and must be able to read and run it.
ensure_python_venv() {
    local venv="$ROOT/deploy/.venv"
    (
        umask 022
        if [ ! -x "$venv/bin/python" ]; then
            log "creating $venv"
            /usr/bin/python3 -m venv "$venv" 2>/dev/null || {
                local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
                $sudo apt-get install -y -qq python3-venv >/dev/null
                /usr/bin/python3 -m venv "$venv"
            }
        fi
        local stamp="$venv/.requirements"
        local want
        want="$(cat "$ROOT"/deploy/checks/requirements.txt "$ROOT"/deploy/checks/requirements-kernel.txt)"
        if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
            log "installing Python packages into $venv"
            "$venv/bin/pip" install -q --disable-pip-version-check \
                -r "$ROOT/deploy/checks/requirements.txt" -r "$ROOT/deploy/checks/requirements-kernel.txt"
            printf '%s' "$want" > "$stamp"
        fi
    )
}

# Harbor 0.25 (task-manager's tests load exported and generated tasks with Harbor's own
# loader and linter) needs Python >= 3.12, which Debian's python3 here is not: the venv
# deploy/.venv-harbor is made from a pyenv interpreter (3.12 or newer; `pyenv versions`).
# Fails loudly when there is none. Sets TEST_HARBOR_PYTHON to its interpreter.
ensure_harbor_venv() {
    local venv="$ROOT/deploy/.venv-harbor"
    if [ ! -x "$venv/bin/python" ]; then
        local base=""
        if command -v pyenv >/dev/null 2>&1; then
            local version
            for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -V); do
                base="$(pyenv prefix "$version")/bin/python"
                break
            done
        fi
        if [ -z "$base" ]; then
            local candidate
            for candidate in python3.13 python3.12; do
                if command -v "$candidate" >/dev/null 2>&1; then base="$(command -v "$candidate")"; break; fi
            done
        fi
        if [ -z "$base" ] || ! "$base" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
            echo "Harbor needs Python >= 3.12: none found (pyenv versions; install one with: pyenv install 3.12)" >&2
            exit 1
        fi
        log "creating $venv from $base"
        "$base" -m venv "$venv"
    fi
    local stamp="$venv/.requirements"
    local want
    want="$(cat "$ROOT"/deploy/checks/harbor-requirements.txt)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "installing Harbor into $venv"
        "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$ROOT/deploy/checks/harbor-requirements.txt"
        "$venv/bin/python" -c 'from harbor.models.task.task import Task; from harbor.lint import lint_task'
        printf '%s' "$want" > "$stamp"
    fi
    export TEST_HARBOR_PYTHON="$venv/bin/python"
}

# The toml-test cases the TOML tests run: TOML_TEST_DIR when set, else the copy in the
# repository (Tests/Fixtures/toml-test, toml-test's MIT-licensed cases, so a clean clone has
# them), else ../shared/toml-test beside it. Fails loudly when they are nowhere.
toml_test_dir() {
    local candidate
    for candidate in "${TOML_TEST_DIR:-}" "$ROOT/Tests/Fixtures/toml-test" "$ROOT/../shared/toml-test" "$ROOT/../../shared/toml-test"; do
        if [ -n "$candidate" ] && [ -f "$candidate/tests/files-toml-1.0.0" ]; then
            (cd "$candidate" && pwd)
            return 0
        fi
    done
    echo "toml-test cases not found: set TOML_TEST_DIR or put shared/toml-test beside the repository ($ROOT/../shared/toml-test)" >&2
    return 1
}

# promtool (Debian's prometheus package, without its recommends; no daemon is started by
# the tests): deploy/checks/validate-observability.sh checks the scrape configurations
# and the PromQL of the Grafana dashboard with it.
ensure_promtool() {
    command -v promtool >/dev/null && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing prometheus (for promtool)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
}

# PostgreSQL for the store tests (Debian's `postgresql`: initdb, pg_ctl, postgres; `postgresql-contrib`: pg_trgm for task-manager's search index; no
# cluster of its own is used) and libpq's headers for Shared/CPostgres, when missing.
ensure_postgres() {
    local missing=()
    for p in postgresql postgresql-contrib libpq-dev; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        log "installing ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# The directory of Debian's PostgreSQL server binaries (the newest installed major version).
postgres_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql (ensure_postgres installs them)" >&2; return 1; }
    echo "$dir"
}

# Starts a throwaway PostgreSQL cluster (Debian's server binaries; no cluster of the package's
# own is used): initdb into a fresh temporary directory ($1: its name prefix), owned by an
# unprivileged user when run as root (the `postgres` system user the package creates, else
# `nobody`: postgres refuses to run as root); no TCP listener, only a unix socket inside that
# directory (port number 5432 names the socket); trust authentication for that socket alone
# (its directory is 0700). Further arguments are server settings (`-c name=value ...`).
# Sets POSTGRES_CLUSTER_DIR, POSTGRES_CLUSTER_OWNER and POSTGRES_CLUSTER_URL (database
# `postgres`, user `postgres`); stop_postgres_cluster stops and deletes it.
start_postgres_cluster() {
    local prefix="$1"; shift
    ensure_postgres
    local bin dir owner
    bin="$(postgres_bin_dir)" || return 1
    dir="$(mktemp -d "${TMPDIR:-/tmp}/$prefix.XXXXXX")"
    chmod 0700 "$dir"
    owner="$(id -un)"
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        owner=postgres
        id -u postgres >/dev/null 2>&1 || owner=nobody
        chown "$owner" "$dir"
        as=(runuser -u "$owner" --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -p 5432 $*" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    POSTGRES_CLUSTER_DIR="$dir"
    POSTGRES_CLUSTER_OWNER="$owner"
    POSTGRES_CLUSTER_URL="postgresql://postgres@/postgres?host=$dir&port=5432"
}

# Stops the cluster in directory $1 (owned by user $2) that start_postgres_cluster started,
# at once (its data is thrown away), and deletes the directory.
stop_postgres_cluster() {
    local dir="${1:-}" owner="${2:-}"
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    local bin as=()
    bin="$(postgres_bin_dir)" || return 0
    [ "$(id -u)" -eq 0 ] && as=(runuser -u "$owner" --)
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

# The cluster of the tests (start_postgres_cluster): fsync off (the data is thrown away) and
# room for many connections. Exports TEST_DATABASE_URL and TEST_POSTGRES_DIR, and stops and
# deletes the cluster when the calling shell exits. An argument adds server settings, which
# override those above (benchmarks: "-c fsync=on -c full_page_writes=on").
start_test_postgres() {
    start_postgres_cluster test-postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000 ${1:-}
    TEST_POSTGRES_DIR="$POSTGRES_CLUSTER_DIR"
    TEST_POSTGRES_OWNER="$POSTGRES_CLUSTER_OWNER"
    export TEST_POSTGRES_DIR
    export TEST_DATABASE_URL="$POSTGRES_CLUSTER_URL"
    trap stop_test_postgres EXIT
    log "test PostgreSQL cluster in $TEST_POSTGRES_DIR (TEST_DATABASE_URL=$TEST_DATABASE_URL)"
}

# Stops the cluster start_test_postgres started and deletes its directory.
stop_test_postgres() {
    stop_postgres_cluster "${TEST_POSTGRES_DIR:-}" "${TEST_POSTGRES_OWNER:-}"
    unset TEST_POSTGRES_DIR TEST_DATABASE_URL
}
