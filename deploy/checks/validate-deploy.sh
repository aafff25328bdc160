#!/usr/bin/env bash
# The deployment files' checks (deploy/test runs this before building): the Dockerfile's
# sources, the compose file (docker-compose config), the systemd units (systemd-analyze verify).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
for check in validate-dockerfile.sh validate-compose.sh validate-systemd.sh; do
    "$here/$check" || status=1
done
exit "$status"
