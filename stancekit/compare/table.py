"""The side-by-side table: party (and actor) x stance, with counts and the statements per cell.

>>> from stancekit.compare.frame import statements_frame
>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> frame = statements_frame([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])])
>>> stance_counts(frame).to_dict("index")
{'China': {'demand': 1, 'concession': 0, 'criticism': 0, 'total': 1}}
>>> side_by_side(frame).loc["China", "demand"][0]["target"]
'EU'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from stancekit.compare.frame import plain
from stancekit.records import STANCES

#: Fields of each statement listed in a :func:`side_by_side` cell.
CELL_FIELDS: tuple[str, ...] = (
    "sid",
    "doc_id",
    "date",
    "sentence",
    "actor",
    "target",
    "confidence",
    "topic",
)


def _by(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def stance_counts(frame: pd.DataFrame, *, by: str | Sequence[str] = "party", total: bool = True) -> pd.DataFrame:
    """Number of statements per row group and stance (all three stances always present).

    Args:
        frame: a :func:`statements_frame` (filtered or not).
        by: the row grouping: ``"party"``, ``"actor"`` or ``("party", "actor")``.
        total: add a ``total`` column.

    Returns:
        Integer counts, rows sorted by group, columns ``demand, concession, criticism[, total]``.

    >>> from stancekit.compare.frame import statements_frame
    >>> stance_counts(statements_frame([]), total=False).shape
    (0, 3)
    """
    keys = _by(by)
    if frame.empty:
        out = pd.DataFrame(columns=list(STANCES), dtype=int)
        out.index = pd.MultiIndex.from_tuples([], names=keys) if len(keys) > 1 else pd.Index([], name=keys[0])
    else:
        out = frame.groupby([*keys, "stance"]).size().unstack("stance", fill_value=0)
        out = out.reindex(columns=list(STANCES), fill_value=0).astype(int)
    out.columns.name = "stance"
    if total:
        out["total"] = out[list(STANCES)].sum(axis=1).astype(int)
    return out


def _cell(rows: pd.DataFrame) -> list[dict[str, Any]]:
    fields = [f for f in CELL_FIELDS if f in rows.columns]
    return [
        {f: plain(v) for f, v in zip(fields, values, strict=True)}
        for values in rows[fields].itertuples(index=False, name=None)
    ]


def side_by_side(frame: pd.DataFrame, *, by: str | Sequence[str] = "party") -> pd.DataFrame:
    """Each cell lists the statements of a group and stance, as dicts of :data:`CELL_FIELDS`.

    Args:
        frame: a :func:`statements_frame`; a ``topic`` column is listed when present.
        by: the row grouping, as in :func:`stance_counts`.

    Returns:
        A DataFrame indexed like :func:`stance_counts`, one column per stance, each cell a list
        (empty when the group has no statement of that stance).

    >>> from stancekit.compare.frame import statements_frame
    >>> side_by_side(statements_frame([])).columns.tolist()
    ['demand', 'concession', 'criticism']
    """
    keys = _by(by)
    counts = stance_counts(frame, by=keys, total=False)
    out = pd.DataFrame(index=counts.index, columns=list(STANCES), dtype=object)
    for index in counts.index:
        key = index if isinstance(index, tuple) else (index,)
        in_group = pd.Series(True, index=frame.index)
        for column, value in zip(keys, key, strict=True):
            in_group &= frame[column] == value
        for stance in STANCES:
            out.at[index, stance] = _cell(frame[in_group & (frame["stance"] == stance)])
    out.columns.name = "stance"
    return out
