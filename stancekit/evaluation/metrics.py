"""Per-sentence counts and the metrics computed from them.

Every metric is a function of summed per-sentence count vectors, so bootstrap
resampling only re-sums rows of one matrix.

>>> from stancekit.records import Statement
>>> g = [Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU")]
>>> m = metrics_from_counts(sentence_counts(g, g, text="Li urged.").reshape(1, -1).sum(0))
>>> m["statement_macro_f1"], m["stance_macro_f1"]
(1.0, 1.0)
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np

from stancekit.records import STANCES, Statement

METRICS: tuple[str, ...] = (
    "stance_macro_f1",
    "statement_macro_f1",
    "party_statement_macro_f1",
    "speaker_exact_f1",
    "target_accuracy",
    "background_accuracy",
)

# layout of the count vector
_S = len(STANCES)
STANCE_PRESENCE = slice(0, 3 * _S)  # (tp, fp, fn) per stance
STATEMENT = slice(3 * _S, 6 * _S)
PARTY = slice(6 * _S, 9 * _S)
SPEAKER = slice(9 * _S, 9 * _S + 3)
TARGET = slice(9 * _S + 3, 9 * _S + 5)  # matched, target correct
BACKGROUND = slice(9 * _S + 5, 9 * _S + 7)  # gold empty, gold empty and predicted empty
N_COUNTS = 9 * _S + 7


def normalize_name(name: str | None) -> str:
    """Case-, accent- and whitespace-insensitive form of an actor or party name.

    >>> normalize_name("  António  COSTA ") == normalize_name("antonio costa")
    True
    """
    if name is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = bare.casefold().replace("’", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _prf_counts(gold: Counter, pred: Counter) -> tuple[int, int, int]:
    tp = sum((gold & pred).values())
    return tp, sum(pred.values()) - tp, sum(gold.values()) - tp


def match_statements(gold: list[Statement], pred: list[Statement], key) -> list[tuple[Statement, Statement]]:
    """Match statements one to one on ``key(statement)``, in order of appearance."""
    pairs, used = [], set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and key(p) == key(g):
                pairs.append((g, p))
                used.add(i)
                break
    return pairs


def _actor_key(s: Statement) -> tuple[str, str]:
    return normalize_name(s.actor), s.stance


def _party_key(s: Statement) -> tuple[str, str]:
    return normalize_name(s.party), s.stance


def sentence_counts(gold: list[Statement], pred: list[Statement], *, text: str = "") -> np.ndarray:
    """Count vector of one sentence (see the module layout constants)."""
    c = np.zeros(N_COUNTS, dtype=np.int64)
    g_st, p_st = {s.stance for s in gold}, {s.stance for s in pred}
    for i, stance in enumerate(STANCES):
        c[STANCE_PRESENCE][3 * i : 3 * i + 3] = (
            stance in g_st and stance in p_st,
            stance in p_st and stance not in g_st,
            stance in g_st and stance not in p_st,
        )
        for sl, key in ((STATEMENT, _actor_key), (PARTY, _party_key)):
            gk = Counter(key(s) for s in gold if s.stance == stance)
            pk = Counter(key(s) for s in pred if s.stance == stance)
            c[sl][3 * i : 3 * i + 3] = _prf_counts(gk, pk)
    g_sp = Counter({(s.speaker_start, s.speaker_end) for s in gold})
    p_sp = Counter({(s.speaker_start, s.speaker_end) for s in pred})
    c[SPEAKER] = _prf_counts(g_sp, p_sp)
    pairs = match_statements(gold, pred, _actor_key)
    c[TARGET] = (len(pairs), sum(normalize_name(g.target) == normalize_name(p.target) for g, p in pairs))
    c[BACKGROUND] = (not gold, not gold and not pred)
    return c


def _f1(tp: float, fp: float, fn: float) -> float:
    denom = 2 * tp + fp + fn
    return 2 * tp / denom if denom else 1.0


def _macro(block: np.ndarray) -> float:
    return float(np.mean([_f1(*block[3 * i : 3 * i + 3]) for i in range(_S)]))


def metrics_from_counts(total: np.ndarray) -> dict[str, float]:
    """All headline metrics from a summed count vector.

    F1 of a stance with neither gold nor predicted items is 1.0 (nothing to find,
    nothing wrongly found); accuracies with no items are NaN.
    """
    matched, correct = total[TARGET]
    empty, empty_ok = total[BACKGROUND]
    return {
        "stance_macro_f1": _macro(total[STANCE_PRESENCE]),
        "statement_macro_f1": _macro(total[STATEMENT]),
        "party_statement_macro_f1": _macro(total[PARTY]),
        "speaker_exact_f1": _f1(*total[SPEAKER]),
        "target_accuracy": float(correct / matched) if matched else float("nan"),
        "background_accuracy": float(empty_ok / empty) if empty else float("nan"),
    }


def per_stance(total: np.ndarray) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per stance for statements matched on actor."""
    out = {}
    for i, stance in enumerate(STANCES):
        tp, fp, fn = (float(x) for x in total[STATEMENT][3 * i : 3 * i + 3])
        out[stance] = {
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "f1": _f1(tp, fp, fn),
            "support": int(tp + fn),
        }
    return out


def confusion(gold_sets: list[list[Statement]], pred_sets: list[list[Statement]]) -> dict[str, dict[str, int]]:
    """Gold stance (rows) x predicted stance (columns) for the same actor; ``none`` = missing.

    Exact (actor, stance) matches go on the diagonal; remaining statements of the
    same actor pair off as stance confusions; the rest are misses or false alarms.
    """
    labels = (*STANCES, "none")
    table = {g: dict.fromkeys(labels, 0) for g in labels}
    for gold, pred in zip(gold_sets, pred_sets, strict=True):
        pairs = match_statements(gold, pred, _actor_key)
        for g, _ in pairs:
            table[g.stance][g.stance] += 1
        left_g = [g for g in gold if all(g is not m for m, _ in pairs)]
        left_p = [p for p in pred if all(p is not m for _, m in pairs)]
        for g, p in match_statements(left_g, left_p, lambda s: normalize_name(s.actor)):
            table[g.stance][p.stance] += 1
            left_g.remove(g)
            left_p.remove(p)
        for g in left_g:
            table[g.stance]["none"] += 1
        for p in left_p:
            table["none"][p.stance] += 1
    return table
