"""Readouts over time: dates, stance counts per meeting, and what became of each demand.

A demand by party P to party T on a topic is linked to the *later* statements (strictly
later date) of T on the same topic aimed at P (or at no named party):

- ``answered``: the first such response is a concession;
- ``rejected``: the first such response is a criticism;
- ``open``: no such response (also when the demand names no target, or its topic is ``other``).

When a concession and a criticism come first on the same date, the concession counts.

>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "sid": ["a#0.0", "b#0.0"], "doc_id": ["a", "b"], "date": ["2024-01-01", "2024-02-01"],
...     "actor": ["Li Qiang", "Kaja Kallas"], "party": ["China", "EU"], "stance": ["demand", "concession"],
...     "target": ["EU", "China"], "topic": ["tariffs", "tariffs"], "sentence": ["...", "..."],
...     "confidence": [None, None]})
>>> link_demands(frame)[["demand_sid", "status", "response_sid"]].values.tolist()
[['a#0.0', 'answered', 'b#0.0']]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from stancekit.compare.embed import Embedder
from stancekit.compare.topics import OTHER_TOPIC, assign_topics
from stancekit.errors import ConfigError, did_you_mean
from stancekit.records import STANCES, Readout

#: Statuses of a demand, see the module docstring.
STATUSES: tuple[str, ...] = ("answered", "rejected", "open")
#: Columns of :func:`link_demands`.
LINK_COLUMNS: tuple[str, ...] = (
    "demand_sid", "date", "doc_id", "party", "actor", "target", "topic", "sentence", "status",
    "response_sid", "response_date", "response_doc_id", "response_actor", "response_stance", "response_sentence",
    "responses",
)  # fmt: skip


def parse_date(value: str, *, where: str = "") -> dt.date:
    """An ISO date ``YYYY-MM-DD``.

    Raises:
        ConfigError: E601 on anything else.

    >>> parse_date("2024-03-12")
    datetime.date(2024, 3, 12)
    """
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError("E601", repr(value), where=where) from None


def assign_dates(readouts: Sequence[Readout], values: Sequence[str]) -> list[Readout]:
    """Set readout dates from ``YYYY-MM-DD`` values (one per readout, in order) or ``DOC_ID=YYYY-MM-DD`` pairs.

    Values may also be comma-separated lists. Readouts not named by a pair keep their date.

    Raises:
        ConfigError: E601 (bad date), E602 (count or mix does not fit), E603 (unknown doc_id).

    >>> rs = assign_dates([Readout("a"), Readout("b")], ["2024-01-05,b=2024-02-01"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.ConfigError: [E602] dates do not fit the readouts: mixed bare dates and DOC_ID=DATE pairs. Fix: ...
    >>> [r.date for r in assign_dates([Readout("a"), Readout("b")], ["b=2024-02-01"])]
    [None, '2024-02-01']
    """
    items = [item.strip() for value in values for item in str(value).split(",") if item.strip()]
    if not items:
        return list(readouts)
    keyed = ["=" in item for item in items]
    if any(keyed) and not all(keyed):
        raise ConfigError("E602", "mixed bare dates and DOC_ID=DATE pairs")
    if not any(keyed):
        if len(items) != len(readouts):
            raise ConfigError(
                "E602", f"{len(items)} dates for {len(readouts)} readouts ({', '.join(r.doc_id for r in readouts)})"
            )
        dates = {r.doc_id: parse_date(d).isoformat() for r, d in zip(readouts, items, strict=True)}
    else:
        ids = [r.doc_id for r in readouts]
        dates = {}
        for item in items:
            doc_id, _, date = item.partition("=")
            doc_id = doc_id.strip()
            if doc_id not in ids:
                raise ConfigError("E603", f"{doc_id!r}{did_you_mean(doc_id, ids)}")
            dates[doc_id] = parse_date(date).isoformat()
    return [Readout(r.doc_id, r.sentences, r.text, dates.get(r.doc_id, r.date), r.title) for r in readouts]


def _require_dates(frame: pd.DataFrame) -> None:
    missing = sorted(frame.loc[frame["date"].isna(), "doc_id"].unique()) if len(frame) else []
    if missing:
        raise ConfigError("E600", ", ".join(missing))
    for value in frame["date"].unique():
        parse_date(value)


def timeline_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Statements per readout (by date) and party, one column per stance.

    >>> f = pd.DataFrame({"date": ["2024-01-01"], "doc_id": ["a"], "party": ["EU"], "stance": ["demand"]})
    >>> timeline_counts(f).values.tolist()
    [['2024-01-01', 'a', 'EU', 1, 0, 0]]
    """
    _require_dates(frame)
    keys = ["date", "doc_id", "party"]
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *STANCES])
    counts = frame.groupby([*keys, "stance"]).size().unstack("stance", fill_value=0)
    counts = counts.reindex(columns=list(STANCES), fill_value=0).astype(int).reset_index()
    counts.columns.name = None
    order = counts.assign(_when=counts["date"].map(parse_date)).sort_values(["_when", "doc_id", "party"], kind="stable")
    return counts.loc[order.index].reset_index(drop=True)


def link_demands(
    frame: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    keywords: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Each demand with its status (``answered``, ``rejected`` or ``open``) and first response.

    Args:
        frame: a statements frame of dated readouts; its ``topic`` column is used when present,
            otherwise topics are assigned with :func:`~stancekit.compare.topics.assign_topics`.
        embedder: sentence embeddings for topic clustering (only without a ``topic`` column).
        keywords: a ``{topic: [keywords]}`` list (only without a ``topic`` column).

    Returns:
        One row per demand, in date order, with the columns of :data:`LINK_COLUMNS`; ``responses``
        lists the sids of every response, first one first.

    Raises:
        ConfigError: E600 when a readout has no date, E601 when a date is not ``YYYY-MM-DD``.

    >>> empty = pd.DataFrame(columns=["sid", "doc_id", "date", "party", "stance", "target", "topic"])
    >>> link_demands(empty).empty
    True
    """
    _require_dates(frame)
    frame = frame.reset_index(drop=True)
    if "topic" not in frame.columns:
        frame = frame.assign(topic=assign_topics(frame, embedder=embedder, keywords=keywords).labels)
    when = frame["date"].map(parse_date)
    rows = []
    for i in frame.index[frame["stance"] == "demand"]:
        d = frame.loc[i]
        later = frame[
            (when > when[i])
            & (frame["party"] == d["target"])
            & (frame["topic"] == d["topic"])
            & frame["stance"].isin(["concession", "criticism"])
            & (frame["target"].isna() | (frame["target"] == d["party"]))
        ]
        if pd.isna(d["target"]) or d["topic"] == OTHER_TOPIC:
            later = later.iloc[:0]
        later = later.assign(_when=when[later.index], _rank=(later["stance"] != "concession").astype(int))
        later = later.sort_values(["_when", "_rank"], kind="stable")
        first = later.iloc[0] if len(later) else None
        status = "open" if first is None else ("answered" if first["stance"] == "concession" else "rejected")
        rows.append({
            "demand_sid": d["sid"], "date": d["date"], "doc_id": d["doc_id"], "party": d["party"],
            "actor": d["actor"], "target": d["target"], "topic": d["topic"], "sentence": d["sentence"],
            "status": status,
            **{f"response_{k}": (None if first is None else first[k])
               for k in ("sid", "date", "doc_id", "actor", "stance", "sentence")},
            "responses": list(later["sid"]),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    return out.sort_values("date", key=lambda col: col.map(parse_date), kind="stable").reset_index(drop=True)
