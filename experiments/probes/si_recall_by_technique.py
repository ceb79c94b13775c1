#!/usr/bin/env python3
"""Span-identification recall of held-out predictions, per technique of the gold spans.

Input: the PTC folder (techniques.tsv) and held-out predictions (`ID<TAB>start<TAB>end`,
code points) as `si_cv --dump FILE` or `dense_cv --dump FILE` write them. For each technique,
prints the number of gold spans, the mean share of each gold span's code points covered by a
prediction (the task's SI recall, restricted to that technique) and the share of gold spans
that any prediction touches. Shows which techniques the technique-agnostic span model finds
least (docs/techniques-si.md).

    python3 experiments/probes/si_recall_by_technique.py ../shared/data/ptc-train /tmp/oof.tsv
"""
import collections
import os
import sys


def main(ptc, dump):
    pred = collections.defaultdict(list)
    with open(dump, encoding="utf-8") as f:
        for line in f:
            i, a, b = line.rstrip("\n").split("\t")
            pred[i].append((int(a), int(b)))
    covered = collections.defaultdict(float)
    touched = collections.Counter()
    count = collections.Counter()
    with open(os.path.join(ptc, "techniques.tsv"), encoding="utf-8") as f:
        for line in f:
            i, t, a, b = line.rstrip("\n").split("\t")
            a, b = int(a), int(b)
            if b <= a:
                continue
            hit = set()
            for x, y in pred[i]:
                hit.update(range(max(a, x), min(b, y)))
            count[t] += 1
            covered[t] += len(hit) / (b - a)
            touched[t] += bool(hit)
    print(f"{'technique':40s} {'gold':>5s} {'recall':>7s} {'touched':>8s}")
    for t in sorted(count, key=lambda t: -count[t]):
        n = count[t]
        print(f"{t:40s} {n:5d} {covered[t] / n:7.3f} {touched[t] / n:8.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: si_recall_by_technique.py PTC_DIR PREDICTIONS.tsv")
    main(sys.argv[1], sys.argv[2])
