#!/usr/bin/env bash
# Checks deploy/observability offline with promtool (Debian's prometheus package):
#   - the Prometheus scrape configuration prometheus.yml (`promtool check config`);
#     prometheus-kubernetes.yml cannot be: Debian's promtool is built without the
#     Kubernetes service discovery ("field kubernetes_sd_configs not found");
#   - the PromQL of every Grafana dashboard panel: each expression, with the dashboard's
#     variables given values ($__rate_interval: 5m, $service: .*), becomes a recording
#     rule that `promtool check rules` parses.
# Whether each metric the dashboard names exists is dashboard_metrics_check.py's job.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${TEST_PYTHON:-$ROOT/deploy/.venv/bin/python}"
cd "$ROOT/deploy/observability"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

promtool check config --syntax-only prometheus.yml

"$PYTHON" - grafana-dashboard.json "$work/dashboard-rules.yml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
rules = []
def walk(panels):
    for panel in panels:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", "5m").replace("$service", ".*")
            rules.append({"record": f"dashboard:panel_{panel['id']}:{target['refId'].lower()}", "expr": expr})
        walk(panel.get("panels", []))
walk(dashboard["panels"])
if not rules:
    sys.exit("no expressions found in the dashboard")
# JSON is YAML: promtool reads it as a rules file.
json.dump({"groups": [{"name": "grafana-dashboard", "rules": rules}]}, open(sys.argv[2], "w"), indent=1)
print(f"{len(rules)} dashboard expressions")
PY
promtool check rules "$work/dashboard-rules.yml"
