"""Align the statements of two readouts of one meeting: matches, omissions, reframings.

Each statement of readout A is paired with at most one of readout B (an optimal
assignment) by the cosine similarity of their sentences plus bonuses for the same actor,
stance and target; by default only statements of the same party can pair. A pair whose
stances differ is a *reframing* of the same exchange; unpaired statements are what one
readout reports and the other leaves out.

>>> from stancekit.records import Readout, Sentence, Statement
>>> def readout(doc_id, text, stance):
...     st = Statement("Li", 0, 2, "Li Qiang", "China", stance, "EU")
...     return Readout(doc_id, [Sentence(doc_id, 0, text, [st])])
>>> result = align_readouts(readout("a", "Li urged the EU to drop tariffs on cars.", "demand"),
...                         readout("b", "Li criticised EU tariffs on cars.", "criticism"))
>>> result.frame[["kind", "a_sid", "b_sid"]].values.tolist()
[['reframed', 'a#0.0', 'b#0.0']]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from stancekit.compare.embed import Embedder, default_embedder, embed
from stancekit.compare.frame import UNKNOWN_PARTY, StatementFilter, statements_frame
from stancekit.errors import ConfigError
from stancekit.records import Readout, Sentence, Statement  # noqa: F401 (Sentence, Statement: doctests)

#: Kinds of alignment rows, in report order.
KINDS: tuple[str, ...] = ("match", "reframed", "only_a", "only_b")
#: Statement fields copied to the ``a_``/``b_`` columns of an alignment frame.
SIDE_FIELDS: tuple[str, ...] = (
    "sid",
    "doc_id",
    "actor",
    "party",
    "stance",
    "target",
    "confidence",
    "topic",
    "sentence",
)


@dataclass(frozen=True)
class AlignConfig:
    """How statements pair up.

    Args:
        min_similarity: the least cosine similarity of two sentences whose statements may pair
            (the default suits the TF-IDF fallback; mean-pooled encoders give higher similarities
            to unrelated sentences, so raise it for them, e.g. to 0.5).
        actor_weight: score bonus for the same actor.
        stance_weight: score bonus for the same stance.
        target_weight: score bonus for the same (named) target.
        same_party: only statements of the same party may pair (an unknown party pairs with any).

    >>> AlignConfig(min_similarity=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.ConfigError: [E609] invalid comparison setting: min_similarity=2 must be in [-1, 1]. Fix: ...
    """

    min_similarity: float = 0.15
    actor_weight: float = 0.2
    stance_weight: float = 0.3
    target_weight: float = 0.1
    same_party: bool = True

    def __post_init__(self) -> None:
        if not -1 <= self.min_similarity <= 1:
            raise ConfigError("E609", f"min_similarity={self.min_similarity} must be in [-1, 1]")
        for name in ("actor_weight", "stance_weight", "target_weight"):
            if getattr(self, name) < 0:
                raise ConfigError("E609", f"{name}={getattr(self, name)} must be >= 0")


@dataclass
class Alignment:
    """The statements of readouts ``a`` and ``b`` side by side.

    Args:
        a: doc_id of readout A.
        b: doc_id of readout B.
        frame: one row per pair or unpaired statement: ``kind`` (one of :data:`KINDS`),
            ``score``, ``similarity`` and the :data:`SIDE_FIELDS` of each side as ``a_*``/``b_*``
            (empty on the side that leaves the statement out).

    >>> Alignment("a", "b", pd.DataFrame({"kind": ["match", "only_b"]})).counts()
    {'match': 1, 'reframed': 0, 'only_a': 0, 'only_b': 1}
    """

    a: str
    b: str
    frame: pd.DataFrame

    def kind(self, kind: str) -> pd.DataFrame:
        """The rows of one kind (``match``, ``reframed``, ``only_a`` or ``only_b``)."""
        return self.frame[self.frame["kind"] == kind].reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """Rows per kind."""
        return {k: int((self.frame["kind"] == k).sum()) for k in KINDS}

    def filtered(self, keep: StatementFilter) -> Alignment:
        """Only the rows where A's or B's statement passes the filter."""
        if keep.is_empty:
            return self
        mask = keep.mask(self.frame, prefix="a_") & self.frame["a_sid"].notna()
        mask |= keep.mask(self.frame, prefix="b_") & self.frame["b_sid"].notna()
        return Alignment(self.a, self.b, self.frame[mask].reset_index(drop=True))


def _side(row: pd.Series | None, prefix: str, fields: list[str]) -> dict:
    return {f"{prefix}{f}": (None if row is None else row[f]) for f in fields}


def _scores(a: pd.DataFrame, b: pd.DataFrame, sim: np.ndarray, config: AlignConfig) -> np.ndarray:
    def same(column: str) -> np.ndarray:
        left, right = a[column].to_numpy(object)[:, None], b[column].to_numpy(object)[None, :]
        return (left == right) & pd.notna(left)

    score = sim + config.actor_weight * same("actor") + config.stance_weight * same("stance")
    score = score + config.target_weight * same("target")
    allowed = sim >= config.min_similarity
    if config.same_party:
        pa, pb = a["party"].to_numpy(object)[:, None], b["party"].to_numpy(object)[None, :]
        allowed &= (pa == pb) | (pa == UNKNOWN_PARTY) | (pb == UNKNOWN_PARTY)
    return np.where(allowed, score, -np.inf)


def align_statements(
    a: pd.DataFrame, b: pd.DataFrame, *, embedder: Embedder | None = None, config: AlignConfig | None = None
) -> pd.DataFrame:
    """Pair the rows of two statements frames (see :func:`align_readouts`); returns the alignment frame.

    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU")
    >>> a = statements_frame([Readout("a", [Sentence("a", 0, "Li urged the EU to cut tariffs.", [st])])])
    >>> align_statements(a, a.iloc[:0])["kind"].tolist()
    ['only_a']
    """
    from scipy.optimize import linear_sum_assignment

    config = config or AlignConfig()
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    fields = [f for f in SIDE_FIELDS if f in a.columns or f in b.columns]
    a = a.reindex(columns=list(dict.fromkeys([*a.columns, *fields])))
    b = b.reindex(columns=list(dict.fromkeys([*b.columns, *fields])))
    pairs: list[tuple[int, int, float, float]] = []
    if len(a) and len(b):
        texts = list(dict.fromkeys([*a["sentence"], *b["sentence"]]))
        vectors = embed(embedder or default_embedder(pd.concat([a, b])), texts)
        row = {t: i for i, t in enumerate(texts)}
        sim = vectors[[row[t] for t in a["sentence"]]] @ vectors[[row[t] for t in b["sentence"]]].T
        score = _scores(a, b, sim, config)
        cost = np.where(np.isfinite(score), -score, 1e6)
        for i, j in zip(*linear_sum_assignment(cost), strict=True):
            if np.isfinite(score[i, j]):
                pairs.append((int(i), int(j), float(score[i, j]), float(sim[i, j])))
    rows = []
    for i, j, score_ij, sim_ij in sorted(pairs):
        kind = "match" if a.at[i, "stance"] == b.at[j, "stance"] else "reframed"
        rows.append(
            {
                "kind": kind,
                "score": round(score_ij, 4),
                "similarity": round(sim_ij, 4),
                **_side(a.loc[i], "a_", fields),
                **_side(b.loc[j], "b_", fields),
            }
        )
    paired_a, paired_b = {p[0] for p in pairs}, {p[1] for p in pairs}
    for i in range(len(a)):
        if i not in paired_a:
            rows.append(
                {
                    "kind": "only_a",
                    "score": None,
                    "similarity": None,
                    **_side(a.loc[i], "a_", fields),
                    **_side(None, "b_", fields),
                }
            )
    for j in range(len(b)):
        if j not in paired_b:
            rows.append(
                {
                    "kind": "only_b",
                    "score": None,
                    "similarity": None,
                    **_side(None, "a_", fields),
                    **_side(b.loc[j], "b_", fields),
                }
            )
    columns = ["kind", "score", "similarity", *(f"a_{f}" for f in fields), *(f"b_{f}" for f in fields)]
    out = pd.DataFrame(rows, columns=columns)
    order = {k: n for n, k in enumerate(KINDS)}
    return out.sort_values("kind", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def align_readouts(
    a: Readout, b: Readout, *, embedder: Embedder | None = None, config: AlignConfig | None = None
) -> Alignment:
    """Align the statements of two readouts of one meeting.

    Args:
        a: readout A (say, one side's readout).
        b: readout B (the other side's readout of the same meeting).
        embedder: sentence embeddings (default: TF-IDF ignoring names and cue words).
        config: scoring and thresholds, see :class:`AlignConfig`.

    Returns:
        An :class:`Alignment`: pairs with the same stance (``match``), pairs with different
        stances (``reframed``), and the statements only one readout reports (``only_a``/``only_b``).

    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "concession", "EU")
    >>> a = Readout("a", [Sentence("a", 0, "Li offered to buy more EU pork.", [st])])
    >>> b = Readout("b", [Sentence("b", 0, "Li agreed to buy more EU pork.", [st])])
    >>> align_readouts(a, b).counts()
    {'match': 1, 'reframed': 0, 'only_a': 0, 'only_b': 0}
    """
    frame = align_statements(statements_frame([a]), statements_frame([b]), embedder=embedder, config=config)
    return Alignment(a.doc_id, b.doc_id, frame)
