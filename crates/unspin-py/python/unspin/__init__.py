"""unspin: what a news article does — persuasion techniques, who is quoted and who said it,
how each actor is named, which statements are check-worthy — analysed locally by the Rust
pipeline of the ``unspin`` command.

>>> import unspin
>>> a = unspin.analyze(text="The senator said the plan was 'a disaster'.")
>>> all(a.text[s.start:s.end] == s.text for s in a.quotes)
True

``analyze`` takes one article; ``analyze_many`` and ``analyze_jsonl`` run batches on Rust
threads (the GIL released), yielding in input order, with inputs that fail yielded as
``AnalysisError`` values; ``to_pandas`` and ``to_arrow`` flatten findings into tables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Optional, Union

# The models ship inside the package; the native pipeline looks for them through
# UNSPIN_MODELS unless the user points it elsewhere.
_MODELS = Path(__file__).resolve().parent / "models"
if "UNSPIN_MODELS" not in os.environ and _MODELS.is_dir():
    os.environ["UNSPIN_MODELS"] = str(_MODELS)

from . import _unspin  # noqa: E402
from ._types import (  # noqa: E402
    Actor, ActorRef, Analysis, AnalysisError, Claim, Mention, Quote, Span, TechniqueSpan,
)
from .tables import COLUMNS, TABLES, arrow_schema, rows  # noqa: E402

InputError = _unspin.InputError
__version__ = _unspin.__version__

__all__ = [
    "analyze", "analyze_many", "analyze_jsonl", "to_pandas", "to_arrow", "Analysis",
    "AnalysisError", "TechniqueSpan", "Quote", "Actor", "Mention", "Claim", "Span",
    "ActorRef", "InputError", "TABLES", "COLUMNS",
]

#: The CLI's default size limit of one document, in bytes.
MAX_BYTES = 20 * 1024 * 1024


def analyze(
    text: Optional[str] = None,
    html: Optional[str] = None,
    url: Optional[str] = None,
    *,
    model: Optional[str] = None,
    min_confidence: float = 0.0,
    id: Optional[str] = None,
    title: Optional[str] = None,
    site: Optional[str] = None,
    published: Optional[str] = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = 30.0,
) -> Analysis:
    """Analyses one article: give exactly one of ``text``, ``html`` (extracted as the CLI
    does) or ``url`` (fetched). ``model`` takes the CLI's ``--model`` values (``fast``,
    ``accurate`` or a model file); by default, the CLI's default for one article.
    ``id``, ``title``, ``site`` and ``published`` fill the source as a JSONL record's fields
    would. Raises ``InputError`` when the input cannot be analysed."""
    given = [k for k, v in (("text", text), ("html", html), ("url", url)) if v is not None]
    if len(given) != 1:
        raise InputError('give exactly one of "text", "html" or "url"')
    kind = given[0]
    value = {"text": text, "html": html, "url": url}[kind]
    if not isinstance(value, str):
        raise InputError(f'"{kind}" must be a str, not {type(value).__name__}')
    opts = dict(model=model, min_confidence=min_confidence, batch=False,
                max_bytes=max_bytes, timeout=timeout)
    meta = {k: v for k, v in (("id", id), ("title", title), ("site", site),
                              ("published", published)) if v is not None}
    if kind == "url":
        out, warnings = _unspin.analyze_one("url", value, value, **opts)
    elif meta:
        record = json.dumps({**meta, kind: value})
        out, warnings = _unspin.analyze_one("record", record, id or kind, **opts)
    else:
        out, warnings = _unspin.analyze_one(kind, value, kind, **opts)
    return Analysis(out, input=kind if kind != "url" else value, warnings=warnings)


def _results(stream: Any) -> Iterator[Union[Analysis, AnalysisError]]:
    for ok, input, payload, warnings in stream:
        if ok:
            yield Analysis(payload, input=input, warnings=warnings)
        else:
            yield AnalysisError(input, payload, tuple(warnings))


def analyze_many(
    items: Iterable[Union[str, Dict[str, Any]]],
    jobs: Optional[int] = None,
    *,
    model: Optional[str] = None,
    min_confidence: float = 0.0,
    max_bytes: int = MAX_BYTES,
    timeout: float = 30.0,
) -> Iterator[Union[Analysis, AnalysisError]]:
    """Analyses many articles on ``jobs`` Rust threads (default: one per core) with the GIL
    released, yielding one result per item in input order. An item is a ``str`` (a text)
    or a ``dict`` read as a JSONL record (``{"id", "text" | "html", "url"?, "title"?, …}``).
    An item that cannot be analysed yields an ``AnalysisError`` in its place; the batch
    goes on. The defaults are the CLI's batch defaults, so the findings equal those of
    ``unspin analyze --format jsonl`` on the same records."""
    return _results(_unspin.stream_items(
        iter(items), jobs=jobs, model=model, min_confidence=min_confidence,
        max_bytes=max_bytes, timeout=timeout))


def analyze_jsonl(
    path: Union[str, "os.PathLike[str]"],
    jobs: Optional[int] = None,
    *,
    model: Optional[str] = None,
    min_confidence: float = 0.0,
    max_bytes: int = MAX_BYTES,
    timeout: float = 30.0,
) -> Iterator[Union[Analysis, AnalysisError]]:
    """Streams a JSONL corpus (or anything the CLI reads: a WARC archive, a folder, a
    file) from disk on Rust threads without loading it, yielding results in input order,
    bad lines as ``AnalysisError`` values naming ``path:line``."""
    return _results(_unspin.stream_path(
        os.fspath(path), jobs=jobs, model=model, min_confidence=min_confidence,
        max_bytes=max_bytes, timeout=timeout))


def to_pandas(analyses: Iterable[Any], table: str = "techniques") -> Any:
    """One ``pandas.DataFrame`` row per finding of ``table`` (``techniques``, ``quotes``,
    ``actors`` or ``claims``) over ``analyses`` (errors are skipped); the columns are
    ``unspin.COLUMNS[table]``."""
    import pandas  # noqa: F401  (a clear ImportError when pandas is missing)

    return to_arrow(analyses, table).to_pandas()


def to_arrow(analyses: Iterable[Any], table: str = "techniques") -> Any:
    """The findings of ``table`` over ``analyses`` as a ``pyarrow.RecordBatch`` with the
    schema ``unspin.tables.arrow_schema(table)``."""
    import pyarrow as pa

    schema = arrow_schema(table)
    return pa.RecordBatch.from_pylist(rows(analyses, table), schema=schema)
