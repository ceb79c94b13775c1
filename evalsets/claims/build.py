#!/usr/bin/env python3
"""Builds the claims evaluation set (JSONL with code-point offsets) from its markup sources.

Usage (from the repository root):
    python3 evalsets/claims/build.py

Reads evalsets/claims/src/{dev-articles,dev-passages,heldout}.txt and writes
evalsets/claims/dev.jsonl and evalsets/claims/heldout.jsonl. The markup is described in
evalsets/claims/README.md. The JSONL files are what the tools read; the markup is kept so
that annotations stay easy to review and edit.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"numeric", "event", "attributed", "comparison", "causal", "prediction"}
CASES = {"opinion", "question", "hedge", "idiom", "sarcasm", "call"}
MARK = re.compile(r"⟦([012]) ([a-z]+)\|(.*?)⟧", re.S)
HEADER = re.compile(r"^### (\S+) \| (article|passage) \| (.+)$")


def parse(path):
    docs = []
    cur = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = HEADER.match(line)
        if m:
            cur = {"id": m[1], "genre": m[2], "topic": m[3], "lines": []}
            docs.append(cur)
        elif line.strip():
            if cur is None:
                sys.exit(f"{path}: text before the first ### header")
            cur["lines"].append(line)
    return [build(path, d) for d in docs]


def build(path, d):
    marked = "\n".join(d["lines"]) + "\n"
    text, claims, pos = [], [], 0
    n = 0  # code points written so far
    for m in MARK.finditer(marked):
        before = marked[pos : m.start()]
        text.append(before)
        n += len(before)
        label, tag, span = int(m[1]), m[2], m[3]
        if label > 0 and tag not in KINDS:
            sys.exit(f"{path}: {d['id']}: unknown kind {tag!r}")
        if label == 0 and tag not in CASES:
            sys.exit(f"{path}: {d['id']}: unknown case {tag!r}")
        claims.append(
            {
                "start": n,
                "end": n + len(span),
                "text": span,
                "label": label,
                "kind": tag if label > 0 else None,
                "case": tag if label == 0 else None,
            }
        )
        text.append(span)
        n += len(span)
        pos = m.end()
    text.append(marked[pos:])
    text = "".join(text)
    if "⟦" in text or "⟧" in text:
        sys.exit(f"{path}: {d['id']}: unbalanced markup")
    for c in claims:
        assert text[c["start"] : c["end"]] == c["text"]
    return {"id": d["id"], "genre": d["genre"], "topic": d["topic"], "text": text, "claims": claims}


def write(name, docs):
    out = HERE / name
    with out.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    sents = lambda d: len(re.findall(r"[.?!](?:\"|”)?(?:\s|$)", d["text"]))
    long = sum(1 for d in docs if d["genre"] == "article")
    short_articles = [d["id"] for d in docs if d["genre"] == "article" and sents(d) < 10]
    if short_articles:
        sys.exit(f"{name}: articles with fewer than 10 sentences: {short_articles}")
    pos = sum(1 for d in docs for c in d["claims"] if c["label"] == 2)
    bord = sum(1 for d in docs for c in d["claims"] if c["label"] == 1)
    neg = sum(1 for d in docs for c in d["claims"] if c["label"] == 0)
    print(f"{name}: {len(docs)} documents ({long} articles), clauses: {pos} label 2, {bord} label 1, {neg} label 0")


src = HERE / "src"
write("dev.jsonl", parse(src / "dev-articles.txt") + parse(src / "dev-passages.txt"))
write("heldout.jsonl", parse(src / "heldout.txt"))
