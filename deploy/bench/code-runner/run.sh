#!/usr/bin/env bash
# code-runner against a Jupyter kernel: makes the bench venv (the kernel packages plus
# ipykernel and jupyter_client), builds code-runner (release), runs bench.py with the venv.
# Options go to bench.py (--warm N, --cold N, --jupyter-cold N, --sessions N, --rounds N).
source "$(dirname "$0")/../../lib.sh"
cd "$ROOT"
ensure_python_venv
venv="$ROOT/deploy/bench/code-runner/.venv"
( umask 022
  [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/deploy/bench/code-runner/requirements.txt" )
swift build -c release --product code-runner 2>&1 | tail -n 2
"$venv/bin/python" "$ROOT/deploy/bench/code-runner/bench.py" --binary "$(swift build -c release --show-bin-path)/code-runner" \
    --python "$ROOT/deploy/.venv/bin/python" "$@"
