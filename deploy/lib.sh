# Shared helpers for deploy/run-local and deploy/test (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(auth-gateway predictor task-manager aibridge-query orchestrator code-runner)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian -dev packages the build links against, when missing.
ensure_system_packages() {
    local missing=()
    for p in libsqlite3-dev zlib1g-dev libssl-dev openssl python3 unzip; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
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
