#!/usr/bin/env python3
"""Accuracy and latency benchmark of the Predictor models, side by side with jedi.

Completion points are sampled deterministically from real Python code that is not in the
base corpus (the installed `requests` and `pip._internal` sources). At each point the text
right of the cursor on its line is removed (the user is typing a new line); later lines stay.

Point kinds:
  id0   cursor at the start of an identifier, nothing typed
  id1   cursor after the identifier's first character
  line  cursor at a random token start; the target is the rest of the line's code
Metrics: identifier top-1/top-5 exact match (the leading identifier of a prediction),
rest-of-line top-1/top-5 exact match and mean top-1 edit similarity, latency p50/p99.
"""
import argparse, io, json, os, random, re, subprocess, sys, sysconfig, time, tokenize, keyword

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def corpus_files():
    sp = sysconfig.get_paths()["purelib"]
    roots = [os.path.join(sp, "requests"), os.path.join(sp, "pip", "_internal")]
    out = []
    for r in roots:
        for d, _, fs in os.walk(r):
            for f in fs:
                if f.endswith(".py"):
                    out.append(os.path.join(d, f))
    return sorted(out)


def line_offsets(text):
    offs, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        offs.append(pos)
    return offs


def points_of(path):
    """(kind, char_offset, ident, rest_of_line, eol_char_offset) candidates of one file."""
    text = open(path, encoding="utf-8").read()
    offs = line_offsets(text)
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return text, [], []
    comment_at = {}
    for t in toks:
        if t.type == tokenize.COMMENT:
            comment_at[t.start[0]] = t.start[1]
    ids, lines = [], []
    skip = {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    for t in toks:
        if t.type in skip or t.start[0] != t.end[0] and t.type != tokenize.STRING:
            continue
        row, col = t.start
        if row >= len(offs):
            continue
        line = text[offs[row - 1]:offs[row]]
        code = line.rstrip("\r\n")
        if row in comment_at:
            code = code[:comment_at[row]]
        rest = code[col:].rstrip()
        if not rest:
            continue
        start = offs[row - 1] + col
        eol = offs[row - 1] + len(line.rstrip("\r\n"))
        if t.type == tokenize.NAME and not keyword.iskeyword(t.string) and len(t.string) >= 2 and t.string.isascii():
            ids.append((start, t.string, rest, eol))
        lines.append((start, None, rest, eol))
    return text, ids, lines


def byte_off(text, i):
    return len(text[:i].encode("utf-8"))


def lead_ident(s):
    m = IDENT.match(s.lstrip())
    return m.group(0) if m else ""


def edit_sim(a, b):
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(q / 100.0 * (len(xs) - 1)))))
    return xs[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--base", required=True, help="base model cache file")
    ap.add_argument("--work", default="/tmp/predictor-bench")
    ap.add_argument("--ids", type=int, default=300)
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--latency-points", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="")
    ap.add_argument("--no-jedi", action="store_true")
    ap.add_argument("--no-workspace", action="store_true", help="skip the personal-model run (tuning)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rng = random.Random(a.seed)

    files = corpus_files()
    texts, all_ids, all_lines = {}, [], []
    for f in files:
        text, ids, lines = points_of(f)
        texts[f] = text
        all_ids += [(f,) + p for p in ids]
        all_lines += [(f,) + p for p in lines]
    id_pts = rng.sample(all_ids, min(a.ids, len(all_ids)))
    line_pts = rng.sample(all_lines, min(a.lines, len(all_lines)))

    cases = []  # dicts for the runner + metadata
    for f, start, ident, rest, eol in id_pts:
        t = texts[f]
        cases.append(dict(kind="id0", file=f, cur=start, eol=eol, ident=ident, rest=rest))
        cases.append(dict(kind="id1", file=f, cur=start + 1, eol=eol, ident=ident, rest=rest[1:]))
    for f, start, _, rest, eol in line_pts:
        cases.append(dict(kind="line", file=f, cur=start, eol=eol, ident=lead_ident(rest), rest=rest))

    # Latency files: a ~200-line real file and a ~5,000-line file made of several real files.
    small = min((f for f in files if 170 <= texts[f].count("\n") <= 260), key=lambda f: f)
    big_path = os.path.join(a.work, "big_5000.py")
    parts, n = [], 0
    for f in files:
        if n >= 5000:
            break
        parts.append(texts[f]); n += texts[f].count("\n")
    big = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
    big = "\n".join(big.split("\n")[:5000]) + "\n"
    open(big_path, "w", encoding="utf-8").write(big)
    texts[big_path] = big
    for group, f in (("lat200", small), ("lat5000", big_path)):
        _, ids, lines = points_of(f)
        pts = lines if lines else ids
        for start, _, rest, eol in random.Random(a.seed + 1).sample(pts, min(a.latency_points, len(pts))):
            cases.append(dict(kind=group, file=f, cur=start, eol=eol, ident="", rest=rest))

    for c in cases:
        t = texts[c["file"]]
        c["offset"], c["eolb"] = byte_off(t, c["cur"]), byte_off(t, c["eol"])
    runner_cases = [dict(file=c["file"], offset=c["offset"], eol=c["eolb"]) for c in cases]
    cpath, opath = os.path.join(a.work, "cases.json"), os.path.join(a.work, "ours.json")
    json.dump(runner_cases, open(cpath, "w"))
    t0 = time.time()
    subprocess.run([a.runner, "predict", a.base, cpath, opath], check=True)
    ours = json.load(open(opath))
    print(f"ours: {len(ours)} cases in {time.time() - t0:.1f}s", file=sys.stderr)
    # Second run: the user's personal model holds the other files of the same package.
    sp = sysconfig.get_paths()["purelib"]
    def ws_of(f):
        if f == big_path:  # latency only: the concatenated file gets the pip workspace
            return os.path.join(sp, "pip")
        for r in ("requests", "pip"):
            root = os.path.join(sp, r)
            if f.startswith(root + os.sep):
                return root
        return None
    ws_cases = [dict(rc, workspace=ws_of(rc["file"])) if ws_of(rc["file"]) else rc for rc in runner_cases]
    wpath, wopath = os.path.join(a.work, "cases_ws.json"), os.path.join(a.work, "ours_ws.json")
    json.dump(ws_cases if not a.no_workspace else runner_cases, open(wpath, "w"))
    t0 = time.time()
    subprocess.run([a.runner, "predict", a.base, wpath, wopath], check=True)
    ours_ws = json.load(open(wopath))
    print(f"ours+workspace: {len(ours_ws)} cases in {time.time() - t0:.1f}s", file=sys.stderr)

    jedi_res = [None] * len(cases)
    jedi_ms = []
    if not a.no_jedi:
        import jedi
        t0 = time.time()
        # jedi's answers do not depend on our engine: cache them per point (same jedi version).
        jcache_path = os.path.join(a.work, f"jedi-cache-{jedi.__version__}.json")
        jcache = json.load(open(jcache_path)) if os.path.exists(jcache_path) else {}
        for i, c in enumerate(cases):
            if c["kind"].startswith("lat") and c["kind"] != "lat200":
                continue
            key = f'{c["file"]}:{c["cur"]}:{c["eol"]}'
            if key in jcache:
                jedi_res[i], ms = jcache[key]
                jedi_ms.append((c["kind"], ms))
                continue
            t = texts[c["file"]]
            code = t[:c["cur"]] + t[c["eol"]:]
            line = t.count("\n", 0, c["cur"]) + 1
            col = c["cur"] - (t.rfind("\n", 0, c["cur"]) + 1)
            s = time.time()
            try:
                comps = jedi.Script(code=code, path=c["file"]).complete(line, col)
                names = [x.name for x in comps[:5]]
            except Exception:
                names = []
            jedi_ms.append((c["kind"], (time.time() - s) * 1000))
            jedi_res[i] = names
            jcache[key] = [names, jedi_ms[-1][1]]
        json.dump(jcache, open(jcache_path, "w"))
        print(f"jedi: {time.time() - t0:.1f}s", file=sys.stderr)

    def typed_of(c):
        t = texts[c["file"]]
        i = c["cur"]
        j = i
        while j > 0 and (t[j - 1].isalnum() or t[j - 1] == "_"):
            j -= 1
        return t[j:i]

    rows = {}
    def preds_of(engine, i):
        return ours[i]["preds"] if engine == "ours" else ours_ws[i]["preds"] if engine == "ours+workspace" else jedi_res[i]
    engines = ("ours", "ours+workspace", "jedi")
    for engine in engines:
        for kind in ("id0", "id1", "line"):
            sel = [(c, preds_of(engine, i)) for i, c in enumerate(cases) if c["kind"] == kind]
            if engine == "jedi" and a.no_jedi:
                continue
            n = len(sel)
            if kind in ("id0", "id1"):
                top1 = sum(1 for c, p in sel if p and lead_ident(p[0]) == c["ident"]) / n
                top5 = sum(1 for c, p in sel if any(lead_ident(x) == c["ident"] for x in p[:5])) / n
                rows[(engine, kind)] = (top1, top5)
            else:
                def full(c, x):
                    # jedi returns names only: its "line" is the completed name
                    return x
                ex1 = sum(1 for c, p in sel if p and full(c, p[0]).rstrip() == c["rest"]) / n
                ex5 = sum(1 for c, p in sel if any(full(c, x).rstrip() == c["rest"] for x in p[:5])) / n
                sim = sum(edit_sim(full(c, p[0]).rstrip() if p else "", c["rest"]) for c, p in sel) / n
                id1 = sum(1 for c, p in sel if p and c["ident"] and lead_ident(p[0]) == c["ident"]) / max(1, sum(1 for c, _ in sel if c["ident"]))
                rows[(engine, kind)] = (ex1, ex5, sim, id1)
    # rest-of-line on identifier points too (ours extends the line; jedi completes the name only)
    for engine in engines:
        if engine == "jedi" and a.no_jedi:
            continue
        for kind in ("id0", "id1"):
            sel = [(c, preds_of(engine, i)) for i, c in enumerate(cases) if c["kind"] == kind]
            n = len(sel)
            def target(c):
                return typed_of(c) + c["rest"] if kind == "id1" else c["rest"]
            ex1 = sum(1 for c, p in sel if p and p[0].rstrip() == target(c)) / n
            sim = sum(edit_sim(p[0].rstrip() if p else "", target(c)) for c, p in sel) / n
            rows[(engine, kind + "_line")] = (ex1, sim)

    lat = {}
    for name, res in (("ours", ours), ("ours+workspace", ours_ws)):
        for g in ("lat200", "lat5000"):
            ms = [res[i]["ms"] for i, c in enumerate(cases) if c["kind"] == g]
            cpu = [res[i].get("cpu_ms", float("nan")) for i, c in enumerate(cases) if c["kind"] == g]
            lat[(name, g)] = (pct(ms, 50), pct(ms, 99), max(ms) if ms else float("nan"), len(ms), pct(cpu, 50), pct(cpu, 99))
    jl = [m for k, m in jedi_ms if k in ("id0", "id1", "line", "lat200")]

    f = lambda x: f"{100 * x:.1f}%"
    md = []
    md.append("# Predictor accuracy benchmark\n")
    md.append("Reproduce (from the repository root):\n\n```\n" + (a.command or "deploy/bench/predictor/accuracy.sh") + "\n```\n")
    md.append(f"Code: the installed `requests` and `pip._internal` sources ({len(files)} files), not in the base corpus "
              "(the Python standard library). Points sampled with seed "
              f"{a.seed}: {a.ids} identifier starts (each asked with 0 and with 1 character typed) and {a.lines} "
              "line-completion points at random token starts. At every point the rest of the cursor's line is removed "
              "(the user is typing it); the following lines stay. Both engines get the same text; jedi also gets the "
              "file's path (so it can resolve imports). Our engine: model `auto` (base n-gram + file cache n-gram + "
              "symbols), n=5. `ours+workspace`: the same, with the user's personal model built from the "
              "other `.py` files of the same package (the completed file left out), as the editor client uploads its "
              "workspace.\n")
    md.append("## Identifier completion (leading identifier of each prediction vs. the real one)\n")
    md.append("| engine | top-1, 0 typed | top-5, 0 typed | top-1, 1 typed | top-5, 1 typed |")
    md.append("|---|---|---|---|---|")
    for e in engines:
        if (e, "id0") in rows:
            r0, r1 = rows[(e, "id0")], rows[(e, "id1")]
            md.append(f"| {e} | {f(r0[0])} | {f(r0[1])} | {f(r1[0])} | {f(r1[1])} |")
    md.append("\n## Rest of the line (code up to the end of the line, trailing comment excluded)\n")
    md.append("| engine | points | exact top-1 | exact top-5 | edit similarity top-1 | next identifier top-1 |")
    md.append("|---|---|---|---|---|---|")
    for e in engines:
        if (e, "line") in rows:
            r = rows[(e, "line")]
            md.append(f"| {e} | random token starts | {f(r[0])} | {f(r[1])} | {r[2]:.3f} | {f(r[3])} |")
    for e in engines:
        for k, lbl in (("id0_line", "identifier starts, 0 typed"), ("id1_line", "identifier starts, 1 typed")):
            if (e, k) in rows:
                r = rows[(e, k)]
                md.append(f"| {e} | {lbl} | {f(r[0])} | – | {r[1]:.3f} | – |")
    md.append("\njedi completes names only, so its line prediction is the completed name.\n")
    md.append("## Latency (ours: whole `PredictorEngine.predict` call incl. cursor parsing, release build, 1 thread)\n")
    md.append("| engine | file | points | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |")
    md.append("|---|---|---|---|---|---|---|---|")
    for name in ("ours", "ours+workspace"):
        for g, lbl in (("lat200", f"~200 lines (`{os.path.relpath(small, sysconfig.get_paths()['purelib'])}`)"),
                       ("lat5000", "5,000 lines (concatenated pip sources)")):
            p50, p99, mx, n, c50, c99 = lat[(name, g)]
            md.append(f"| {name} | {lbl} | {n} | {p50:.2f} | {p99:.2f} | {mx:.2f} | {c50:.2f} | {c99:.2f} |")
    md.append(f"\nWall-clock times include preemption by other processes (load average when measured: "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); CPU times are the process CPU time spent per call (one call at a time).")
    if jl:
        md.append(f"\njedi for comparison (all its calls above, ~200-line to ~2,000-line files): p50 {pct(jl, 50):.1f} ms, p99 {pct(jl, 99):.1f} ms.\n")
    open(a.out, "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
