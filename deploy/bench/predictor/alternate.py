#!/usr/bin/env python3
"""Runs two predictor-bench binaries on the same cases, alternating, and reports per-kind
latency p50/p99 (wall and process CPU, median over rounds, with each round's p50) and how
often their predictions agree (line extension has a time budget, so runs of one binary
differ a little too).

    python3 deploy/bench/predictor/alternate.py <base.ngram> <cases.json> <kinds.json> <rounds> \
        before=<old predictor-bench> after=<new predictor-bench>

cases.json is the `cases.json` accuracy.py writes into its --work directory; kinds.json lists
each case's kind in the same order (id0/id1 pairs, then line, lat200, lat5000 for accuracy.py's
--ids/--lines/--latency-points)."""
import json, subprocess, sys, statistics, os
base, cases_path, kinds_path, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
bins = dict(arg.split("=", 1) for arg in sys.argv[5:])
kinds = json.load(open(kinds_path))
res = {name: [] for name in bins}
preds = {}
for r in range(rounds):
    for name, b in (bins.items() if r % 2 == 0 else reversed(list(bins.items()))):
        out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"predictor-alternate-{name}.json")
        subprocess.run([b, "predict", base, cases_path, out], check=True, stderr=subprocess.DEVNULL)
        o = json.load(open(out))
        preds.setdefault(name, []).append([x["preds"] for x in o])
        per = {}
        for k, x in zip(kinds, o):
            per.setdefault(k, []).append(x["ms"])
            per.setdefault(k + "_cpu", []).append(x.get("cpu_ms", 0))
        res[name].append(per)
def q(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
for k in sorted(res[list(bins)[0]][0].keys()):
    line = [k]
    for name in bins:
        p50 = statistics.median(q(run[k], 50) for run in res[name])
        p99 = statistics.median(q(run[k], 99) for run in res[name])
        allp50 = [round(q(run[k], 50), 3) for run in res[name]]
        print(f"{k:12s} {name:5s} p50 {p50:7.3f} p99 {p99:7.3f}   per-run p50s {allp50}")
names = list(bins)
def same(a, b): return sum(1 for x, y in zip(a, b) if x == y)
print(f"identical predictions {names[0]} run1 vs run2: {same(preds[names[0]][0], preds[names[0]][1])}; {names[1]} run1 vs run2: {same(preds[names[1]][0], preds[names[1]][1])}; {names[0]} vs {names[1]} (run1): {same(preds[names[0]][0], preds[names[1]][0])} of {len(kinds)}")
first = lambda n: [p[0].split("(")[0] if p else "" for p, k in zip(preds[n][0], kinds) if k in ("id0","id1")]
print("first identifiers equal main vs mine (id points):", sum(1 for a, b in zip(first(names[0]), first(names[1])) if a == b), "of", sum(1 for k in kinds if k in ("id0","id1")))
