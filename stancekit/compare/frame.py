"""Statements of analysed readouts as one flat table, and the filters over it.

>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> frame = statements_frame([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])])
>>> frame[["sid", "party", "stance", "target"]].values.tolist()
[['d#0.0', 'China', 'demand', 'EU']]
>>> len(StatementFilter(stance=["criticism"]).apply(frame))
0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from stancekit.errors import DataError, did_you_mean
from stancekit.records import STANCES, Readout

#: The party of a statement whose speaker could not be placed.
UNKNOWN_PARTY = "(unknown)"

#: Columns of :func:`statements_frame`, in order.
STATEMENT_COLUMNS: tuple[str, ...] = (
    "sid",
    "doc_id",
    "date",
    "sent_index",
    "sentence",
    "speaker",
    "actor",
    "party",
    "stance",
    "target",
    "confidence",
    "cue",
    "uncertain",
)


def statements_frame(readouts: Iterable[Readout]) -> pd.DataFrame:
    """One row per statement of the readouts, in readout and sentence order.

    ``sid`` (``doc_id#sent_index.k``, k counting statements within the sentence) identifies a
    statement across tables and reports. A statement without a party gets :data:`UNKNOWN_PARTY`.

    Args:
        readouts: analysed readouts (their sentences carry statements).

    Returns:
        A DataFrame with the columns of :data:`STATEMENT_COLUMNS`.

    >>> statements_frame([]).columns.tolist()[:4]
    ['sid', 'doc_id', 'date', 'sent_index']
    """
    rows = []
    for readout in readouts:
        for sent in readout.sentences:
            for k, st in enumerate(sent.statements):
                rows.append(
                    {
                        "sid": f"{sent.doc_id}#{sent.sent_index}.{k}",
                        "doc_id": readout.doc_id,
                        "date": readout.date,
                        "sent_index": sent.sent_index,
                        "sentence": sent.text,
                        "speaker": st.speaker,
                        "actor": st.actor,
                        "party": st.party or UNKNOWN_PARTY,
                        "stance": st.stance,
                        "target": st.target,
                        "confidence": st.confidence,
                        "cue": st.cue,
                        "uncertain": st.uncertain,
                    }
                )
    return pd.DataFrame(rows, columns=list(STATEMENT_COLUMNS))


@dataclass(frozen=True)
class StatementFilter:
    """Which statements to keep: each field lists the allowed values (empty: any).

    Args:
        party: speaker parties.
        actor: canonical speaker actors.
        stance: stances (``demand``, ``concession``, ``criticism``).
        target: target parties.
        topic: topic labels (needs a ``topic`` column, see :mod:`stancekit.compare.topics`).

    >>> StatementFilter(party=["EU"]).is_empty
    False
    >>> StatementFilter(stance=["demnd"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.DataError: [E102] unknown stance: 'demnd' (did you mean 'demand'?). Fix: ...
    """

    party: Sequence[str] = ()
    actor: Sequence[str] = ()
    stance: Sequence[str] = ()
    target: Sequence[str] = ()
    topic: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name in ("party", "actor", "stance", "target", "topic"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        for stance in self.stance:
            if stance not in STANCES:
                raise DataError("E102", f"{stance!r}{did_you_mean(stance, STANCES)}")

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps everything."""
        return not any(self.fields().values())

    def fields(self) -> dict[str, tuple[str, ...]]:
        """The non-empty fields as ``{column: allowed values}``."""
        names = ("party", "actor", "stance", "target", "topic")
        return {name: getattr(self, name) for name in names if getattr(self, name)}

    def mask(self, frame: pd.DataFrame, *, prefix: str = "") -> pd.Series:
        """Boolean row mask of ``frame``; ``prefix`` selects columns such as ``a_party``."""
        keep = pd.Series(True, index=frame.index)
        for name, allowed in self.fields().items():
            column = prefix + name
            if column not in frame.columns:  # e.g. no topics assigned: nothing to filter on
                continue
            keep &= frame[column].isin(allowed)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that pass, re-indexed from 0."""
        return frame[self.mask(frame)].reset_index(drop=True)


def plain(value: Any) -> Any:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN and NA as ``None``.

    >>> import numpy as np
    >>> plain(np.float64(0.5)), plain(float("nan")), plain("x")
    (0.5, None, 'x')
    """
    if isinstance(value, list | tuple | dict):
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as JSON-ready dicts (see :func:`plain`).

    >>> records(pd.DataFrame({"a": [1], "b": [float("nan")]}))
    [{'a': 1, 'b': None}]
    """
    return [
        {k: plain(v) for k, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
