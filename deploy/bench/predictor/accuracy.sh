#!/usr/bin/env bash
# Accuracy + latency benchmark of the Predictor models vs jedi on code outside the base corpus.
# Usage: deploy/bench/predictor/accuracy.sh [extra accuracy.py args, e.g. --ids 300 --lines 200]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SCRATCH="${SCRATCH:-$PWD/.build-pred}"
WORK="${WORK:-/tmp/predictor-bench}"
mkdir -p "$WORK"
python3 -c 'import jedi' 2>/dev/null || python3 -m pip install -q jedi
swift build -c release --product predictor-bench --scratch-path "$SCRATCH" >&2
BIN="$SCRATCH/release/predictor-bench"
BASE="$WORK/base.ngram"
if [ ! -s "$BASE" ]; then "$BIN" train "$BASE" >&2; fi
python3 deploy/bench/predictor/accuracy.py --runner "$BIN" --base "$BASE" --work "$WORK" \
  --out deploy/bench/predictor/RESULTS.md --command "deploy/bench/predictor/accuracy.sh $*" "$@"
