#!/usr/bin/env python3
"""Reads a tailgen dump (stdin or file) and attributes the tail:
overall percentiles; per-connection p99 spread; per-group (loop) percentiles when a
port->group map is given; clustering in time of the slow requests."""
import csv, sys, statistics, collections

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]

rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
if len(sys.argv) > 2:  # file "port group" lines
    for line in open(sys.argv[2]):
        port, g = line.split()
        groups[int(port)] = g
skip = 500_000  # first 0.5 s: warm-up
rows = [r for r in rows if int(r["t_us"]) >= skip]
lat = [int(r["lat_us"]) for r in rows]
dur = (max(int(r["t_us"]) for r in rows) - skip) / 1e6
p99 = pct(lat, 99)
print(f"requests {len(lat)}  req/s {len(lat)/dur:,.0f}  p50 {pct(lat,50)/1000:.2f} ms  p90 {pct(lat,90)/1000:.2f}  p99 {p99/1000:.2f}  p99.9 {pct(lat,99.9)/1000:.2f}  max {max(lat)/1000:.2f}")
byconn = collections.defaultdict(list)
for r in rows:
    byconn[int(r["conn"])].append(int(r["lat_us"]))
cp99 = sorted(pct(v, 99) for v in byconn.values())
cp50 = sorted(pct(v, 50) for v in byconn.values())
cnt = sorted(len(v) for v in byconn.values())
print(f"per connection: p50 of conn-p50 {statistics.median(cp50)/1000:.2f} ms (min {cp50[0]/1000:.2f} max {cp50[-1]/1000:.2f}); "
      f"conn-p99 min {cp99[0]/1000:.2f} median {statistics.median(cp99)/1000:.2f} max {cp99[-1]/1000:.2f} ms; requests per conn min {cnt[0]} max {cnt[-1]}")
slow = collections.Counter(int(r["conn"]) for r in rows if int(r["lat_us"]) > p99)
top = slow.most_common(5)
print(f"slow (> p99) requests: {sum(slow.values())} over {len(slow)} of {len(byconn)} connections; most on one conn: {top[:3]}")
if groups:
    byg = collections.defaultdict(list)
    gconns = collections.Counter()
    port_of = {int(r["conn"]): int(r["localport"]) for r in rows}
    for c, p in port_of.items():
        gconns[groups.get(p, "?")] += 1
    for r in rows:
        byg[groups.get(int(r["localport"]), "?")].append(int(r["lat_us"]))
    for g, v in sorted(byg.items()):
        print(f"  group {g}: conns {gconns[g]}  requests {len(v)} ({len(v)/dur:,.0f}/s)  p50 {pct(v,50)/1000:.2f}  p99 {pct(v,99)/1000:.2f}  share of slow {sum(1 for x in v if x > p99)/max(1,sum(slow.values())):.0%}")
# Clustering in time: slow requests per 10 ms window of send time.
win = collections.Counter(int(r["t_us"]) // 10_000 for r in rows if int(r["lat_us"]) > p99)
windows = int(dur * 100)
hit = len(win)
print(f"slow requests fall in {hit} of {windows} 10-ms windows ({hit/windows:.1%}); "
      f"mean per hit window {sum(win.values())/max(1,hit):.1f} (a stall of the whole server puts ~all conns in one window)")
gaps = sorted(win)
if len(gaps) > 2:
    d = [b - a for a, b in zip(gaps, gaps[1:]) if b - a > 1]
    if d:
        print(f"  gaps between slow windows (x10 ms): median {statistics.median(d)}  common: {collections.Counter(d).most_common(5)}")
