#!/usr/bin/env python3
"""Scores post-processing rules on held-out span predictions with the task's SI metric.

Input: the predictions `si_cv --dump FILE` writes (`ID<TAB>start<TAB>end`, code points) and
the PTC folder (articles/, spans.tsv). Prints SI precision, recall, F1 and the span count for
the predictions as they are, with leading / trailing function words trimmed, and with spans
dropped by length. Used to check whether span boundaries or lengths are where the span model
loses F1 (docs/techniques-si.md).

    python3 experiments/probes/si_postprocess.py ../shared/data/ptc-train /tmp/oof.tsv
"""
import collections
import os
import re
import sys


def read(ptc, dump):
    arts = {}
    for f in os.listdir(os.path.join(ptc, "articles")):
        m = re.match(r"article(\d+)\.txt$", f)
        if m:
            with open(os.path.join(ptc, "articles", f), encoding="utf-8", newline="") as fh:
                arts[m.group(1)] = fh.read()
    gold = collections.defaultdict(list)
    with open(os.path.join(ptc, "spans.tsv"), encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 3 and p[1].isdigit():
                gold[p[0]].append((int(p[1]), int(p[2])))
    pred = collections.defaultdict(list)
    with open(dump, encoding="utf-8") as fh:
        for line in fh:
            a, s, e = line.split("\t")
            pred[a].append((int(s), int(e)))
    return arts, gold, pred


def merge(spans):
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def overlap(s, e, spans):
    return sum(max(0, min(e, b) - max(s, a)) for a, b in spans)


def si_score(ids, gold, pred):
    """The task's SI metric: partial credit by overlap, gold spans merged per article."""
    ps = rs = 0.0
    n_pred = n_gold = 0
    for a in ids:
        g = merge(gold.get(a, []))
        p = pred.get(a, [])
        for s, e in p:
            n_pred += 1
            ps += overlap(s, e, g) / (e - s)
        mp = merge(p)
        for s, e in g:
            n_gold += 1
            rs += overlap(s, e, mp) / (e - s)
    prec, rec = ps / max(n_pred, 1), rs / max(n_gold, 1)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, n_pred


def trimmed(text, s, e, lead, trail):
    while True:
        m = re.match(r"\W*(\w+)\W+", text[s:e])
        if m and m.group(1).lower() in lead and m.end() < e - s:
            s += m.end()
            continue
        break
    while True:
        m = re.search(r"\W+(\w+)\W*$", text[s:e])
        if m and m.group(1).lower() in trail and m.start() > 0:
            e = s + m.start()
            continue
        break
    return s, e


def main():
    ptc, dump = sys.argv[1], sys.argv[2]
    arts, gold, pred = read(ptc, dump)
    ids = sorted(arts)
    show = lambda name, p: print("%-40s P %.4f  R %.4f  F1 %.4f  spans %d" % ((name,) + si_score(ids, gold, p)))
    show("as predicted", pred)
    for name, lead, trail in [
        ("trim leading and/but", {"and", "but"}, set()),
        ("trim leading that/which/who", {"that", "which", "who"}, set()),
        ("trim leading because/so/as/if/while/when", {"because", "so", "as", "if", "while", "when", "then"}, set()),
        ("trim leading the/a/an", {"the", "a", "an"}, set()),
        ("trim trailing to/of/the/a/and/in/on", set(), {"to", "of", "the", "a", "an", "and", "in", "on"}),
    ]:
        show(name, {a: [trimmed(arts[a], s, e, lead, trail) for s, e in v] for a, v in pred.items()})
    for n in (150, 300, 400):
        show("drop spans over %d code points" % n, {a: [x for x in v if x[1] - x[0] <= n] for a, v in pred.items()})
    for n in (3, 5, 8):
        show("drop spans under %d code points" % n, {a: [x for x in v if x[1] - x[0] >= n] for a, v in pred.items()})


if __name__ == "__main__":
    main()
