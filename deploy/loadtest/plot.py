#!/usr/bin/env python3
"""Plots a load test's result (aidevtools-loadtest's JSON): requests per second and latency
(p50, p99, max) over time, one point per second, unexpected answers marked.

Usage: plot.py RESULT.json OUT.png   (matplotlib: deploy/.venv, from requirements-kernel.txt)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        result = json.load(f)
    timeline = result["timeline"]
    seconds = [bucket["second"] + 0.5 for bucket in timeline]
    figure, (throughput, latency) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    throughput.plot(seconds, [bucket["requests"] for bucket in timeline], label="requests/s", color="tab:blue")
    unexpected = [bucket["unexpected"] for bucket in timeline]
    if any(unexpected):
        throughput.bar(seconds, unexpected, width=0.8, color="tab:red", alpha=0.6, label="unexpected answers/s")
    throughput.set_ylabel("requests/s")
    throughput.set_ylim(bottom=0)
    throughput.legend(loc="lower right")
    throughput.grid(alpha=0.3)
    for key, color in (("p50", "tab:green"), ("p99", "tab:orange"), ("max", "tab:red")):
        latency.plot(seconds, [bucket["latency_ms"][key] for bucket in timeline], label=key, color=color)
    latency.set_ylabel("latency (ms)")
    latency.set_xlabel("seconds since start")
    latency.set_ylim(bottom=0)
    latency.legend(loc="upper right")
    latency.grid(alpha=0.3)
    total = result["total"]
    driver = result["driver"]
    figure.suptitle(f"{result['scenario']}: {total['requests_per_second']:.0f} req/s, p50 {total['latency_ms']['p50']:.1f} ms, "
                    f"p99 {total['latency_ms']['p99']:.1f} ms, {result['connections']} connections; "
                    f"driver {driver['cores']:.2f} cores", fontsize=10)
    figure.tight_layout()
    figure.savefig(sys.argv[2], dpi=100)
    print(f"plot: {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
