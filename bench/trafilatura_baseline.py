#!/usr/bin/env python3
"""Python trafilatura baseline on an article-extraction dev set.

Usage: taskset -c 1 python3 bench/trafilatura_baseline.py /work/shared/data/extraction-dev [--repeat N]

Reads every html/<id>.html listed in ground-truth.json into memory first, then times only
`trafilatura.extract(html)` (default settings) single-threaded, and scores with the same
metric as `unspin_extract::eval`: \\w+ tokens, 4-word shingles with counts, per-page
TP/FP/FN, P and R as means over pages, F1 = 2PR/(P+R).
"""
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

TOKEN = re.compile(r"\w+")


def shingles(text):
    toks = TOKEN.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < 4:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


def score(pred, gold):
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec


def main():
    d = Path(sys.argv[1])
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    gt = json.loads((d / "ground-truth.json").read_text())
    pages = []
    for pid in sorted(gt):
        f = d / "html" / f"{pid}.html"
        if f.exists():
            pages.append((pid, f.read_bytes().decode("utf-8", "replace"), gt[pid]["articleBody"]))
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        outs = [trafilatura.extract(html) or "" for _, html, _ in pages]
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    ps, rs = [], []
    for (pid, _, gold), out in zip(pages, outs):
        p, r = score(out, gold)
        ps.append(p)
        rs.append(r)
        if "-v" in sys.argv:
            print(f"{pid[:16]} {p:.3f} {r:.3f}")
    P, R = sum(ps) / len(ps), sum(rs) / len(rs)
    F = 2 * P * R / (P + R) if P + R else 0.0
    print(
        f"python-trafilatura {trafilatura.__version__}: pages={len(pages)} "
        f"P={P:.4f} R={R:.4f} F1={F:.4f} pages/s={len(pages) / best:.1f} (best of {repeat})"
    )


if __name__ == "__main__":
    main()
