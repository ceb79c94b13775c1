"""Typed views of an analysis: the objects ``unspin.analyze`` returns.

Every span has ``start`` and ``end`` in code points of the analysis text, end exclusive, so
``analysis.text[s.start:s.end] == s.text`` for every span.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple


@dataclass(frozen=True)
class Span:
    """A stretch of the text (a cue, a speaker phrase, a descriptor, a number)."""

    start: int
    end: int
    text: str

    @classmethod
    def _of(cls, d: Optional[Dict[str, Any]]) -> Optional["Span"]:
        return None if d is None else cls(d["start"], d["end"], d["text"])


@dataclass(frozen=True)
class TechniqueSpan:
    """A passage that uses a persuasion technique, with the model's calibrated confidence
    and a plain-language explanation of why it was highlighted."""

    start: int
    end: int
    text: str
    technique: str
    confidence: float
    explanation: str
    reliable: bool

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "TechniqueSpan":
        return cls(
            d["start"], d["end"], d["text"], d["technique"], d["confidence"],
            d["explanation"], d.get("reliable", False),
        )


@dataclass(frozen=True)
class ActorRef:
    """The actor a quote is attributed to."""

    id: str
    name: str
    type: str


@dataclass(frozen=True)
class Quote:
    """A quotation or reported statement, with its cue ("said"), the speaker phrase and the
    actor it resolves to."""

    start: int
    end: int
    text: str
    kind: str
    cue: Optional[Span]
    speaker: Optional[Span]
    actor: Optional[ActorRef]
    resolution: str
    confidence: Optional[float]

    @property
    def speaker_name(self) -> Optional[str]:
        """The resolved actor's name, else the speaker phrase, else None."""
        if self.actor is not None:
            return self.actor.name
        return None if self.speaker is None else self.speaker.text

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "Quote":
        a = d.get("actor")
        return cls(
            d["start"], d["end"], d["text"], d["kind"], Span._of(d.get("cue")),
            Span._of(d.get("speaker")),
            None if a is None else ActorRef(a["id"], a["name"], a["type"]),
            d.get("resolution", ""), d.get("confidence"),
        )


@dataclass(frozen=True)
class Mention:
    """One place an actor is named or referred to, and how (name, surname, role phrase,
    pronoun, …)."""

    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class Actor:
    """A person, organisation, place or document the article names, with every mention and
    the descriptors it is called by."""

    id: str
    name: str
    type: str
    mentions: Tuple[Mention, ...]
    descriptors: Tuple[Span, ...]

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "Actor":
        return cls(
            d["id"], d["name"], d["type"],
            tuple(Mention(m["start"], m["end"], m["text"], m["kind"]) for m in d["mentions"]),
            tuple(Span(s["start"], s["end"], s["text"]) for s in d.get("descriptors", [])),
        )


@dataclass(frozen=True)
class Claim:
    """A check-worthy statement, scored 0–1, with the reason for its score."""

    start: int
    end: int
    text: str
    score: float
    kind: str
    actors: Tuple[str, ...]
    numbers: Tuple[Span, ...]
    reason: str
    speaker: Optional[str]

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "Claim":
        return cls(
            d["start"], d["end"], d["text"], d["score"], d["kind"], tuple(d.get("actors", [])),
            tuple(Span(s["start"], s["end"], s["text"]) for s in d.get("numbers", [])),
            d.get("reason", ""), d.get("speaker"),
        )


class Analysis:
    """The analysis of one article: its text and what unspin found in it.

    The fields mirror ``unspin analyze --format json`` (documented in docs/schema.md);
    ``to_dict()`` gives that document itself.
    """

    __slots__ = ("_json", "_dict", "warnings", "input")

    def __init__(self, json_text: str, input: Optional[str] = None, warnings: Any = ()):
        self._json = json_text
        self._dict: Optional[Dict[str, Any]] = None
        self.input = input
        self.warnings = list(warnings)

    def to_dict(self) -> Dict[str, Any]:
        """The analysis as the JSON document of ``unspin analyze --format json``."""
        if self._dict is None:
            self._dict = json.loads(self._json)
        return self._dict

    def to_json(self, indent: Optional[int] = None) -> str:
        """The analysis as JSON text (one line unless ``indent`` is given)."""
        if indent is None:
            return self._json.rstrip("\n")
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @property
    def text(self) -> str:
        """The document text every offset counts into."""
        return self.to_dict()["text"]

    @property
    def id(self) -> Optional[str]:
        """The record's own id (a JSONL record's ``id``), if it had one."""
        return self.to_dict()["source"].get("id")

    @property
    def source(self) -> Dict[str, Any]:
        """Where the text came from: input, id, url, title, site, published, language, …"""
        return self.to_dict()["source"]

    @property
    def techniques(self) -> List[TechniqueSpan]:
        """Passages using persuasion techniques."""
        return [TechniqueSpan._of(d) for d in self.to_dict()["techniques"]]

    @property
    def quotes(self) -> List[Quote]:
        """Quotations and reported statements, with their speakers."""
        return [Quote._of(d) for d in self.to_dict()["quotes"]]

    @property
    def actors(self) -> List[Actor]:
        """The actors named, with their mentions and descriptors."""
        return [Actor._of(d) for d in self.to_dict()["actors"]]

    @property
    def claims(self) -> List[Claim]:
        """Check-worthy statements, most check-worthy first."""
        return [Claim._of(d) for d in self.to_dict()["claims"]]

    @property
    def sentences(self) -> List[Span]:
        """The sentences, in order."""
        return [Span(d["start"], d["end"], d["text"]) for d in self.to_dict()["sentences"]]

    def __repr__(self) -> str:
        d = self.to_dict()
        return (
            f"<unspin.Analysis {d['source'].get('input')!r}: {len(d['text'])} chars, "
            f"{len(d['techniques'])} techniques, {len(d['quotes'])} quotes, "
            f"{len(d['actors'])} actors, {len(d['claims'])} claims>"
        )


@dataclass(frozen=True)
class AnalysisError:
    """An input of a batch that could not be analysed, in its place in the output: the
    input and the problem. ``analyze_many`` yields it instead of raising."""

    input: str
    error: str
    warnings: Tuple[str, ...] = field(default=())

    def to_dict(self) -> Dict[str, Any]:
        """As the CLI's JSONL error line: ``{"input", "error"}``."""
        return {"input": self.input, "error": self.error}

    def __bool__(self) -> bool:
        return False
