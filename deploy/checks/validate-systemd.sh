#!/usr/bin/env bash
# Runs `systemd-analyze verify` on every unit of deploy/systemd. verify needs each
# ExecStart= binary to exist, and the units name the installed paths
# (/opt/aidevtools/bin/<service>), so it reads copies whose ExecStart= points at stand-ins
# in a temporary directory (this runs before any build). Any warning fails the check:
# verify itself exits 0 on unknown keys and unparsable values.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
units="$ROOT/deploy/systemd"
command -v systemd-analyze >/dev/null || { echo "validate-systemd: systemd-analyze is not installed" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
for service in auth-gateway predictor task-manager aibridge-query orchestrator code-runner; do
    unit="$units/aidevtools-$service.service"
    [ -f "$unit" ] || { echo "validate-systemd: $unit missing" >&2; exit 1; }
    [ -f "$units/env/$service.env" ] || { echo "validate-systemd: $units/env/$service.env missing" >&2; exit 1; }
    grep -qx "ExecStart=/opt/aidevtools/bin/$service" "$unit" || { echo "validate-systemd: $unit does not run /opt/aidevtools/bin/$service" >&2; exit 1; }
    grep -q "aidevtools-$service.service" "$units/aidevtools.target" || { echo "validate-systemd: aidevtools.target does not start $service" >&2; exit 1; }
    cp /bin/true "$work/bin/$service"
    sed "s|^ExecStart=/opt/aidevtools/bin/|ExecStart=$work/bin/|" "$unit" > "$work/aidevtools-$service.service"
done
cp "$units/aidevtools.target" "$work/"
set +e
output="$(cd "$work" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./*.service ./aidevtools.target 2>&1)"
status=$?
set -e
if [ "$status" -ne 0 ] || [ -n "$output" ]; then
    echo "validate-systemd: systemd-analyze verify (exit $status):" >&2
    printf '%s\n' "$output" | sed "s|$work|deploy/systemd|g" >&2
    exit 1
fi
bash -n "$units/install" || { echo "validate-systemd: deploy/systemd/install has a syntax error" >&2; exit 1; }
echo "validate-systemd: systemd-analyze verify OK on 6 units and aidevtools.target; install parses"
