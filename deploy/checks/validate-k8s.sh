#!/usr/bin/env bash
# Validates every manifest of deploy/k8s offline against the Kubernetes API schemas that
# kubernetes-validate ships (no cluster needed), in strict mode (an unknown field fails), and
# the overlay deploy/k8s-postgres rendered over it (deploy/checks/k8s_overlay.py).
# Usage: deploy/checks/validate-k8s.sh [KUBERNETES_VERSION ...]
#   (default: K8S_VERSIONS, else 1.31 (the oldest the manifests target: the pod-level
#   appArmorProfile field is 1.30+) and 1.37 (the newest kubernetes-validate 1.37.0 knows))
# Run from the project venv (deploy/.venv, kubernetes-validate pinned in requirements.txt).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${TEST_PYTHON:-$ROOT/deploy/.venv/bin/python}"
if [ $# -gt 0 ]; then VERSIONS=("$@"); else read -r -a VERSIONS <<< "${K8S_VERSIONS:-1.31 1.37}"; fi
cd "$ROOT/deploy/k8s"

# kustomization.yaml is kustomize's own kind, not an API object: check instead that it
# lists every manifest of the directory (but the *.example.yaml ones, adapted and applied by
# hand) and nothing that is missing.
listed="$(sed -n 's/^  - \([a-z0-9.-]*\.yaml\)$/\1/p' kustomization.yaml | sort)"
present="$(ls *.yaml | grep -vx kustomization.yaml | sort)"
expected="$(echo "$present" | grep -v '\.example\.yaml$')"
if [ "$listed" != "$expected" ]; then
    echo "deploy/k8s/kustomization.yaml resources differ from the directory's manifests:" >&2
    diff <(echo "$listed") <(echo "$expected") >&2 || true
    exit 1
fi

# --strict: fields the schema does not know fail (a typo is not silently dropped).
for version in "${VERSIONS[@]}"; do
    echo "kubernetes-validate --strict, Kubernetes $version: deploy/k8s/{$(echo $present | tr ' ' ',')}"
    "$PYTHON" -m kubernetes_validate --strict --quiet --kubernetes-version "$version" $present
done

# The PostgreSQL overlay (two replicas of each service, DATABASE_URL from a Secret): rendered
# offline and validated the same way, with what it promises checked.
"$PYTHON" "$ROOT/deploy/checks/k8s_overlay.py" "$ROOT/deploy/k8s-postgres" "${VERSIONS[@]}"
