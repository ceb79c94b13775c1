#!/usr/bin/env python3
"""Writes a Label Studio JSON export as a review team would after correcting unspin's
predictions on some labelled articles to their gold spans: one task per article, one
non-cancelled annotation holding the article's gold technique spans.

It stands in for a real review when measuring what reviewed articles add to training
(docs/techniques.md, "Learning from reviewers"):

    python3 experiments/probes/simulate_review.py ../shared/data/ptc-dev 20 > reviewed-20.json
    unspin eval techniques --data ../shared/data/ptc-train --reviewed reviewed-20.json

Articles are taken in id order (the first N). Offsets are code points, as in the export.
"""
import json
import os
import sys


def main():
    folder, n = sys.argv[1], int(sys.argv[2])
    arts = os.path.join(folder, "articles")
    ids = sorted(
        (f[len("article"):-len(".txt")] for f in os.listdir(arts) if f.startswith("article") and f.endswith(".txt")),
        key=lambda i: (len(i), i),
    )[:n]
    spans = {}
    with open(os.path.join(folder, "techniques.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4 and parts[0] in ids:
                spans.setdefault(parts[0], []).append((parts[1], int(parts[2]), int(parts[3])))
    tasks = []
    for k, i in enumerate(ids, 1):
        with open(os.path.join(arts, f"article{i}.txt"), encoding="utf-8", newline="") as f:
            text = f.read()
        result = []
        for r, (t, s, e) in enumerate(sorted(spans.get(i, []), key=lambda x: (x[1], x[2], x[0]))):
            e = min(e, len(text))
            if s >= e:
                continue
            result.append({
                "id": f"g{r}", "type": "labels", "from_name": "label", "to_name": "text",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [t]},
            })
        tasks.append({
            "id": k,
            "data": {"text": text, "meta": {"id": i, "input": f"articles/article{i}.txt"}},
            "annotations": [{"id": k, "was_cancelled": False, "updated_at": "2026-12-06T12:00:00Z", "result": result}],
            "predictions": [],
        })
    json.dump(tasks, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
