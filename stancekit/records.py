"""Typed records for statements, sentences and readouts (docs/annotation.md).

>>> s = Statement(speaker="Kallas", speaker_start=0, speaker_end=6, actor="Kaja Kallas",
...               party="EU", stance="demand", target="China")
>>> sent = Sentence(doc_id="d1", sent_index=0, text="Kallas urged Beijing to act.", statements=[s])
>>> Sentence.from_dict(sent.to_dict()) == sent
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STANCES: tuple[str, ...] = ("demand", "concession", "criticism")


@dataclass(frozen=True)
class Statement:
    """One speech act: who holds which stance towards whom.

    ``speaker_start``/``speaker_end`` index the sentence text (end exclusive).
    ``cue``/``cue_start``/``cue_end`` give the evidence span when known;
    ``confidence`` is set on predictions only.
    """

    speaker: str
    speaker_start: int
    speaker_end: int
    actor: str
    party: str | None
    stance: str
    target: str | None = None
    uncertain: bool = False
    confidence: float | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ANNOTATION.md record, leaving out optional fields that are unset."""
        out = asdict(self)
        for key in ("confidence", "cue", "cue_start", "cue_end"):
            if out[key] is None:
                del out[key]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        """Build from a record dict; unknown keys are ignored (validate files first)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Sentence:
    """One sentence of a readout with its statements (empty: background)."""

    doc_id: str
    sent_index: int
    text: str
    statements: list[Statement] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        """``(doc_id, sent_index)``, unique within a data set."""
        return (self.doc_id, self.sent_index)

    @property
    def uncertain(self) -> bool:
        """True when any statement of the sentence is marked uncertain."""
        return any(s.uncertain for s in self.statements)

    def to_dict(self) -> dict[str, Any]:
        """The JSONL record of this sentence."""
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "sent_index": self.sent_index,
            "text": self.text,
            "statements": [s.to_dict() for s in self.statements],
        }
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        if self.tags:
            out["tags"] = list(self.tags)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        """Build from a JSONL record (validated by :mod:`stancekit.validation`)."""
        return cls(
            doc_id=str(data["doc_id"]),
            sent_index=int(data["sent_index"]),
            text=data["text"],
            statements=[Statement.from_dict(s) for s in data.get("statements") or []],
            start=data.get("start"),
            end=data.get("end"),
            tags=list(data.get("tags") or []),
        )


@dataclass
class Readout:
    """A document: its sentences in order, and optionally its full text and date.

    >>> r = Readout(doc_id="d", sentences=[Sentence("d", 0, "Hello.")])
    >>> r.statements
    []
    """

    doc_id: str
    sentences: list[Sentence] = field(default_factory=list)
    text: str | None = None
    date: str | None = None
    title: str | None = None

    @property
    def statements(self) -> list[Statement]:
        """All statements of the readout, in sentence order."""
        return [s for sent in self.sentences for s in sent.statements]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the sentences as records."""
        return {
            "doc_id": self.doc_id,
            "date": self.date,
            "title": self.title,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def group_readouts(sentences: list[Sentence]) -> list[Readout]:
    """Group sentences by ``doc_id`` (first-seen order), each in ``sent_index`` order.

    >>> rs = group_readouts([Sentence("a", 1, "y"), Sentence("b", 0, "z"), Sentence("a", 0, "x")])
    >>> [(r.doc_id, [s.text for s in r.sentences]) for r in rs]
    [('a', ['x', 'y']), ('b', ['z'])]
    """
    docs: dict[str, list[Sentence]] = {}
    for sent in sentences:
        docs.setdefault(sent.doc_id, []).append(sent)
    return [
        Readout(doc_id=doc_id, sentences=sorted(sents, key=lambda s: s.sent_index)) for doc_id, sents in docs.items()
    ]
