#!/usr/bin/env python3
"""Builds the quotes-and-actors evaluation set (JSONL) from its annotated source files.

    python3 evalsets/quotes-actors/build.py        # writes dev.jsonl and heldout.jsonl

The source files (dev.ann, heldout.ann) hold the passages with inline tags; FORMAT.md
describes both the tags and the JSONL that this script writes. Offsets in the JSONL are
Unicode code points into the passage text, end exclusive (Python string indices).
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"name": "name", "surname": "surname", "role": "role_phrase", "pronoun": "pronoun"}
TYPES = {"person", "organisation", "country", "place", "document"}
QKINDS = {"direct", "partial", "mixed", "indirect"}
TAG = re.compile(r"<(/?)([mdqc])((?: [^<>]*)?)>")


class AnnError(Exception):
    pass


def parse_passage(pid, header, body):
    actors, quotes, topic = {}, {}, ""
    for line in header:
        if line.startswith("# topic:"):
            topic = line[len("# topic:"):].strip()
        elif line.startswith("@a"):
            m = re.fullmatch(r"@(a\d+) (\w+) (.+)", line)
            if not m or m.group(2) not in TYPES:
                raise AnnError(f"{pid}: bad actor line {line!r}")
            actors[m.group(1)] = {"id": m.group(1), "name": m.group(3).strip(),
                                  "type": m.group(2), "mentions": [], "descriptors": []}
        elif line.startswith("@q"):
            m = re.fullmatch(r"@(q\d+) (\w+) (a\d+|null)( elided)?(?: *// *(.*))?", line)
            if not m or m.group(2) not in QKINDS:
                raise AnnError(f"{pid}: bad quote line {line!r}")
            quotes[m.group(1)] = {"id": m.group(1), "kind": m.group(2),
                                  "actor": None if m.group(3) == "null" else m.group(3),
                                  "elided": bool(m.group(4)), "note": m.group(5) or "",
                                  "cue": None, "speaker": None}
        elif line.strip():
            raise AnnError(f"{pid}: unknown header line {line!r}")
    text, stack, pos = [], [], 0
    src = body
    n = 0  # code points written so far
    for m in TAG.finditer(src):
        chunk = src[pos:m.start()]
        text.append(chunk)
        n += len(chunk)
        pos = m.end()
        closing, tag, args = m.group(1), m.group(2), m.group(3).split()
        if not closing:
            stack.append((tag, args, n))
            continue
        if not stack or stack[-1][0] != tag:
            raise AnnError(f"{pid}: </{tag}> does not close the open tag")
        _, args, start = stack.pop()
        span_text = "".join(text)[start:n]
        span = {"start": start, "end": n, "text": span_text}
        if tag == "m":
            aid, kind, *speaker_of = args
            if aid not in actors or kind not in KINDS:
                raise AnnError(f"{pid}: bad mention <m {' '.join(args)}>")
            actors[aid]["mentions"].append(dict(span, kind=KINDS[kind]))
            if KINDS[kind] == "role_phrase":
                actors[aid]["descriptors"].append(dict(span))
            for q in speaker_of:
                if q not in quotes:
                    raise AnnError(f"{pid}: mention names unknown quote {q}")
                quotes[q]["speaker"] = dict(span)
        elif tag == "d":
            (aid,) = args
            if aid not in actors:
                raise AnnError(f"{pid}: descriptor of unknown actor {aid}")
            actors[aid]["descriptors"].append(span)
        elif tag == "q":
            (qid,) = args
            if qid not in quotes:
                raise AnnError(f"{pid}: unknown quote {qid}")
            quotes[qid].update(start=span["start"], end=span["end"], text=span["text"])
        elif tag == "c":
            for qid in args:
                if qid not in quotes:
                    raise AnnError(f"{pid}: cue of unknown quote {qid}")
                quotes[qid]["cue"] = dict(span)
    if stack:
        raise AnnError(f"{pid}: unclosed tags {[t for t, _, _ in stack]}")
    text.append(src[pos:])
    full = "".join(text)
    for q in quotes.values():
        if "start" not in q:
            raise AnnError(f"{pid}: quote {q['id']} has no span")
        if q["actor"] and not actors[q["actor"]]["mentions"]:
            raise AnnError(f"{pid}: quote {q['id']} names an actor without mentions")
    for a in actors.values():
        if not a["mentions"]:
            raise AnnError(f"{pid}: actor {a['id']} has no mention")
        a["mentions"].sort(key=lambda s: (s["start"], s["end"]))
        a["descriptors"].sort(key=lambda s: (s["start"], s["end"]))
    qs = sorted(quotes.values(), key=lambda q: (q["start"], q["end"]))
    order = ["id", "start", "end", "text", "kind", "cue", "speaker", "actor", "elided", "note"]
    return {"id": pid, "topic": topic, "text": full,
            "actors": list(actors.values()),
            "quotes": [{k: q[k] for k in order} for q in qs]}


def parse_file(path):
    passages, cur = [], None
    for raw in path.read_text(encoding="utf-8").split("\n"):
        if raw.startswith("=== "):
            if cur:
                passages.append(cur)
            cur = {"id": raw[4:].strip(), "header": [], "body": []}
        elif cur is None:
            continue  # file preamble
        elif not cur["body"] and (raw.startswith("@") or raw.startswith("#") or not raw.strip()):
            cur["header"].append(raw)
        else:
            cur["body"].append(raw)
    if cur:
        passages.append(cur)
    out = []
    for p in passages:
        body = "\n".join(p["body"]).strip("\n")
        out.append(parse_passage(p["id"], p["header"], body))
    ids = [p["id"] for p in out]
    if len(set(ids)) != len(ids):
        raise AnnError(f"{path}: duplicate passage ids")
    return out


def main():
    for name in ("dev", "heldout"):
        src = HERE / f"{name}.ann"
        try:
            passages = parse_file(src)
        except AnnError as e:
            sys.exit(f"{src}: {e}")
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        nq = sum(len(p["quotes"]) for p in passages)
        nm = sum(len(a["mentions"]) for p in passages for a in p["actors"])
        print(f"{name}: {len(passages)} passages, {nq} quotes, {nm} mentions", file=sys.stderr)


if __name__ == "__main__":
    main()
