"""One call that compares analysed readouts: the table, topics, alignment and timeline together.

>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> result = compare_readouts([Readout("d", [Sentence("d", 0, "Li urged the EU to cut tariffs.", [s])])])
>>> int(result.counts().loc["China", "demand"]), result.alignment is None, result.links is None
(1, True, True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from stancekit.compare.align import AlignConfig, Alignment, align_statements
from stancekit.compare.embed import Embedder
from stancekit.compare.frame import StatementFilter, records, statements_frame
from stancekit.compare.table import side_by_side, stance_counts
from stancekit.compare.timeline import link_demands, timeline_counts
from stancekit.compare.topics import assign_topics, check_topic_list
from stancekit.errors import ConfigError, DataError
from stancekit.records import STANCES, Readout, Sentence, Statement  # noqa: F401 (doctests)


@dataclass(frozen=True)
class CompareConfig:
    """What :func:`compare_readouts` computes.

    Args:
        topics: a user's ``{topic: [keywords]}`` list; ``None`` clusters the sentences instead.
        n_topics: the number of topic clusters (``None``: chosen by silhouette).
        n_terms: key terms per topic cluster label.
        filters: which statements the outputs show (topics, alignment and links are computed
            on all statements first, so a filter never turns a match into an omission); a
            topic value may also be one key term of a topic label.
        align: align two readouts of one meeting; ``None``: when there are exactly two
            readouts, both undated or of the same date.
        timeline: link demands to later responses; ``None``: when every readout has a date
            and there are at least two dates.
        alignment: scoring of the alignment.
        seed: seed of the topic clustering.

    >>> CompareConfig(n_topics=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.ConfigError: [E609] invalid comparison setting: n_topics=0 must be >= 1. Fix: ...
    """

    topics: Mapping[str, Sequence[str]] | None = None
    n_topics: int | None = None
    n_terms: int = 3
    filters: StatementFilter = field(default_factory=StatementFilter)
    align: bool | None = None
    timeline: bool | None = None
    alignment: AlignConfig = field(default_factory=AlignConfig)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_topics is not None and self.n_topics < 1:
            raise ConfigError("E609", f"n_topics={self.n_topics} must be >= 1")
        if self.n_terms < 1:
            raise ConfigError("E609", f"n_terms={self.n_terms} must be >= 1")
        if self.topics is not None:
            object.__setattr__(self, "topics", check_topic_list(self.topics))


@dataclass
class Comparison:
    """The result of :func:`compare_readouts`; every part is a pandas DataFrame.

    Args:
        readouts: one row per readout: ``doc_id, date, title, sentences, statements``.
        statements: the statements passing the filters, with their ``topic``.
        topic_terms: topic label -> key terms (clusters) or keywords (a user's list).
        topic_method: ``"clusters"`` or ``"keywords"``.
        filters: the filters applied.
        alignment: the two readouts side by side, or ``None``.
        links: each demand with its status and first response, or ``None``.
        timeline: statements per readout date, party and stance, or ``None``.

    >>> result = compare_readouts([])
    >>> result.statements.empty, result.topic_counts(), result.to_dict()["counts"]
    (True, {}, {})
    """

    readouts: pd.DataFrame
    statements: pd.DataFrame
    topic_terms: dict[str, list[str]]
    topic_method: str
    filters: StatementFilter = field(default_factory=StatementFilter)
    alignment: Alignment | None = None
    links: pd.DataFrame | None = None
    timeline: pd.DataFrame | None = None

    def counts(self, *, by: str | Sequence[str] = "party") -> pd.DataFrame:
        """Statements per party (or actor, or both) and stance, with totals."""
        return stance_counts(self.statements, by=by)

    def cells(self, *, by: str | Sequence[str] = "party") -> pd.DataFrame:
        """The side-by-side table: each cell lists its statements (sentence, target, confidence, ...)."""
        return side_by_side(self.statements, by=by)

    def topic_counts(self) -> dict[str, int]:
        """Statements per topic among the filtered statements, in topic order."""
        present = self.statements["topic"].value_counts().to_dict() if len(self.statements) else {}
        order = list(self.topic_terms) + sorted(set(present) - set(self.topic_terms))
        return {t: int(present[t]) for t in order if t in present}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every part."""
        counts = self.counts()
        by_actor = self.counts(by=["party", "actor"]).reset_index()
        out: dict[str, Any] = {
            "readouts": records(self.readouts),
            "filters": {k: list(v) for k, v in self.filters.fields().items()},
            "stances": list(STANCES),
            "counts": {str(p): {k: int(v) for k, v in row.items()} for p, row in counts.to_dict("index").items()},
            "counts_by_actor": records(by_actor),
            "topics": {"method": self.topic_method, "terms": self.topic_terms, "counts": self.topic_counts()},
            "statements": records(self.statements),
            "alignment": None,
            "timeline": None,
        }
        if self.alignment is not None:
            out["alignment"] = {
                "a": self.alignment.a,
                "b": self.alignment.b,
                "counts": self.alignment.counts(),
                "rows": records(self.alignment.frame),
            }
        if self.links is not None and self.timeline is not None:
            status = self.links["status"].value_counts().to_dict()
            out["timeline"] = {
                "counts": records(self.timeline),
                "demands": records(self.links),
                "status_counts": {s: int(status.get(s, 0)) for s in ("answered", "rejected", "open")},
            }
        return out

    def to_json(self, *, indent: int | None = 1) -> str:
        """:meth:`to_dict` as JSON text (non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_markdown(self) -> str:
        """A Markdown report (see :mod:`stancekit.compare.render_md`)."""
        from stancekit.compare.render_md import render_markdown

        return render_markdown(self)

    def to_html(self, *, title: str = "Stance comparison") -> str:
        """A self-contained HTML report (see :mod:`stancekit.compare.render_html`)."""
        from stancekit.compare.render_html import render_html

        return render_html(self, title=title)


def _readouts_frame(readouts: Sequence[Readout]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": r.doc_id,
            "date": r.date,
            "title": r.title,
            "sentences": len(r.sentences),
            "statements": len(r.statements),
        }
        for r in readouts
    ]
    return pd.DataFrame(rows, columns=["doc_id", "date", "title", "sentences", "statements"])


def _should_align(readouts: Sequence[Readout], wanted: bool | None) -> bool:
    same_meeting = len(readouts) == 2 and readouts[0].date == readouts[1].date
    if wanted and len(readouts) != 2:
        raise ConfigError("E608", f"got {len(readouts)}")
    return same_meeting if wanted is None else wanted


def _should_link(readouts: Sequence[Readout], wanted: bool | None) -> bool:
    dated = [r for r in readouts if r.date]
    if wanted or (dated and len(dated) < len(readouts)):
        missing = [r.doc_id for r in readouts if not r.date]
        if missing:
            raise ConfigError("E600", ", ".join(missing))
    return len({r.date for r in dated}) >= 2 if wanted is None else wanted


def compare_readouts(
    readouts: Sequence[Readout], *, embedder: Embedder | None = None, config: CompareConfig | None = None
) -> Comparison:
    """Compare analysed readouts: side-by-side table, topics, alignment and demand timeline.

    Args:
        readouts: analysed readouts (with statements); dates in ``Readout.date`` as ``YYYY-MM-DD``.
        embedder: sentence embeddings for topics and alignment, e.g.
            :func:`~stancekit.compare.embed.encoder_embedder`; default: TF-IDF.
        config: what to compute, see :class:`CompareConfig`.

    Returns:
        A :class:`Comparison`.

    Raises:
        DataError: E610 when two readouts share a doc_id.
        ConfigError: E600/E601 on missing or bad dates, E608 when ``align=True`` without two readouts.

    >>> def readout(doc_id, date, stance, text):
    ...     st = Statement("Li", 0, 2, "Li Qiang", "China" if stance == "demand" else "EU", stance,
    ...                    "EU" if stance == "demand" else "China")
    ...     return Readout(doc_id, [Sentence(doc_id, 0, text, [st])], date=date)
    >>> result = compare_readouts([readout("a", "2024-01-01", "demand", "Li urged cuts to pork tariffs."),
    ...                            readout("b", "2024-03-01", "concession", "Li agreed to cut pork tariffs.")])
    >>> result.links[["demand_sid", "status", "response_sid"]].values.tolist()
    [['a#0.0', 'answered', 'b#0.0']]
    """
    config = config or CompareConfig()
    seen: set[str] = set()
    for r in readouts:
        if r.doc_id in seen:
            raise DataError("E610", repr(r.doc_id))
        seen.add(r.doc_id)
    frame = statements_frame(readouts)
    topics = assign_topics(
        frame,
        embedder=embedder,
        keywords=config.topics,
        n_topics=config.n_topics,
        n_terms=config.n_terms,
        seed=config.seed,
    )
    frame["topic"] = pd.Series(topics.labels, index=frame.index, dtype=object)
    keep = config.filters
    if keep.topic:
        keep = replace(keep, topic=[label for value in keep.topic for label in topics.resolve(value)])
    alignment = links = timeline = None
    if _should_align(readouts, config.align):
        a, b = readouts[0].doc_id, readouts[1].doc_id
        rows = align_statements(
            frame[frame["doc_id"] == a], frame[frame["doc_id"] == b], embedder=embedder, config=config.alignment
        )
        alignment = Alignment(a, b, rows).filtered(keep)
    if _should_link(readouts, config.timeline):
        links = link_demands(frame)
        links = links[keep.mask(links)].reset_index(drop=True)
        timeline = timeline_counts(keep.apply(frame))
    return Comparison(
        _readouts_frame(readouts), keep.apply(frame), topics.terms, topics.method, keep, alignment, links, timeline
    )
