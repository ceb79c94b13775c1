"""Flat tables of findings — one row per technique span, quote, actor or claim — for
pandas, Arrow and Parquet (the Spark example writes these same tables).

Every row starts with ``id`` (the record's own id, else its input) and ``input``; offsets
are code points of the analysis text.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

#: The columns of each table, with their Arrow types (``string``, ``int64``, ``float64``,
#: ``bool``, ``list<string>``).
COLUMNS: Dict[str, List[Tuple[str, str]]] = {
    "techniques": [
        ("id", "string"), ("input", "string"), ("start", "int64"), ("end", "int64"),
        ("text", "string"), ("technique", "string"), ("confidence", "float64"),
        ("reliable", "bool"), ("explanation", "string"),
    ],
    "quotes": [
        ("id", "string"), ("input", "string"), ("start", "int64"), ("end", "int64"),
        ("text", "string"), ("kind", "string"), ("cue", "string"), ("speaker", "string"),
        ("speaker_start", "int64"), ("speaker_end", "int64"), ("actor_id", "string"),
        ("actor_name", "string"), ("actor_type", "string"), ("confidence", "float64"),
    ],
    "actors": [
        ("id", "string"), ("input", "string"), ("actor_id", "string"), ("name", "string"),
        ("type", "string"), ("mentions", "int64"), ("names", "list<string>"),
        ("descriptors", "list<string>"),
    ],
    "claims": [
        ("id", "string"), ("input", "string"), ("start", "int64"), ("end", "int64"),
        ("text", "string"), ("score", "float64"), ("kind", "string"),
        ("speaker", "string"), ("reason", "string"),
    ],
}

TABLES = tuple(COLUMNS)


def _span(d: Any, key: str) -> Any:
    return None if d is None else d[key]


def rows_of(doc: Dict[str, Any], table: str) -> List[Dict[str, Any]]:
    """The rows of ``table`` for one analysis given as its JSON document (a dict)."""
    if table not in COLUMNS:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    src = doc["source"]
    key = {"id": src.get("id") or src["input"], "input": src["input"]}
    out: List[Dict[str, Any]] = []
    if table == "techniques":
        for t in doc["techniques"]:
            out.append({**key, "start": t["start"], "end": t["end"], "text": t["text"],
                        "technique": t["technique"], "confidence": float(t["confidence"]),
                        "reliable": bool(t.get("reliable", False)),
                        "explanation": t["explanation"]})
    elif table == "quotes":
        for q in doc["quotes"]:
            sp, actor = q.get("speaker"), q.get("actor")
            conf = q.get("confidence")
            out.append({**key, "start": q["start"], "end": q["end"], "text": q["text"],
                        "kind": q["kind"], "cue": _span(q.get("cue"), "text"),
                        "speaker": _span(sp, "text"), "speaker_start": _span(sp, "start"),
                        "speaker_end": _span(sp, "end"), "actor_id": _span(actor, "id"),
                        "actor_name": _span(actor, "name"), "actor_type": _span(actor, "type"),
                        "confidence": None if conf is None else float(conf)})
    elif table == "actors":
        for a in doc["actors"]:
            names = sorted({m["text"] for m in a["mentions"] if m["kind"] != "pronoun"})
            out.append({**key, "actor_id": a["id"], "name": a["name"], "type": a["type"],
                        "mentions": len(a["mentions"]), "names": names,
                        "descriptors": [d["text"] for d in a.get("descriptors", [])]})
    else:
        for c in doc["claims"]:
            out.append({**key, "start": c["start"], "end": c["end"], "text": c["text"],
                        "score": float(c["score"]), "kind": c["kind"],
                        "speaker": c.get("speaker"), "reason": c.get("reason", "")})
    return out


def rows(analyses: Iterable[Any], table: str) -> List[Dict[str, Any]]:
    """The rows of ``table`` over many analyses (``Analysis`` objects or their dicts);
    errors (``AnalysisError``) have no rows."""
    out: List[Dict[str, Any]] = []
    for a in analyses:
        if isinstance(a, dict):
            if "error" in a and "text" not in a:
                continue
            out.extend(rows_of(a, table))
        elif hasattr(a, "techniques"):
            out.extend(rows_of(a.to_dict(), table))
    return out


def arrow_schema(table: str) -> Any:
    """The ``pyarrow.Schema`` of ``table``."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
             "bool": pa.bool_(), "list<string>": pa.list_(pa.string())}
    if table not in COLUMNS:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    return pa.schema([(name, types[t]) for name, t in COLUMNS[table]])


def spark_schema(table: str) -> str:
    """The schema of ``table`` as a Spark DDL string."""
    types = {"string": "string", "int64": "bigint", "float64": "double", "bool": "boolean",
             "list<string>": "array<string>"}
    return ", ".join(f"`{name}` {types[t]}" for name, t in COLUMNS[table])
