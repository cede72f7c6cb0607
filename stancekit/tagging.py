"""The token-level label scheme: speaker spans (BIO), stances on speaker tokens, cue spans.

One encoder pass per sentence labels every token with
- a speaker tag ``O``/``B``/``I`` (the holder of a stance),
- three independent stance bits (demand, concession, criticism) on speaker tokens, so one
  speaker can hold several stances and several speakers each their own,
- a cue tag ``O``/``B-<stance>``/``I-<stance>`` marking the evidence.

>>> offsets = [(0, 0), (0, 2), (3, 8), (9, 12), (0, 0)]
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", cue="urged", cue_start=3, cue_end=8)
>>> labels = encode_labels(offsets, [s])
>>> labels["speaker_labels"], labels["cue_labels"]
([-100, 1, 0, 0, -100], [-100, 0, 1, 0, -100])
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from stancekit.records import STANCES, Statement

SPEAKER_TAGS: tuple[str, ...] = ("O", "B", "I")
CUE_TAGS: tuple[str, ...] = ("O", *(f"{p}-{s}" for s in STANCES for p in ("B", "I")))
IGNORE = -100


def _tokens_in(offsets: list[tuple[int, int]], start: int, end: int) -> list[int]:
    return [t for t, (a, b) in enumerate(offsets) if b > a and a >= start and b <= end]


def encode_labels(offsets: list[tuple[int, int]], statements: list[Statement]) -> dict[str, list]:
    """Token labels for one sentence given the tokenizer's character offsets."""
    n = len(offsets)
    special = [b <= a for a, b in offsets]
    speaker = [IGNORE if sp else 0 for sp in special]
    cue = [IGNORE if sp else 0 for sp in special]
    stance = [[0.0, 0.0, 0.0] for _ in range(n)]
    stance_mask = [0.0] * n
    for st in statements:
        toks = _tokens_in(offsets, st.speaker_start, st.speaker_end)
        for k, t in enumerate(toks):
            speaker[t] = 1 if k == 0 else 2
            stance[t][STANCES.index(st.stance)] = 1.0
            stance_mask[t] = 1.0
        if st.cue_start is not None and st.cue_end is not None:
            ctoks = _tokens_in(offsets, st.cue_start, st.cue_end)
            base = 1 + 2 * STANCES.index(st.stance)
            for k, t in enumerate(ctoks):
                cue[t] = base if k == 0 else base + 1
    return {"speaker_labels": speaker, "stance_labels": stance, "stance_mask": stance_mask, "cue_labels": cue}


@dataclass(frozen=True)
class RawStatement:
    """A decoded (speaker span, stance) with the model's score and cue span."""

    start: int
    end: int
    stance: str
    score: float
    cue: tuple[int, int] | None


def _spans(tags: np.ndarray, offsets: list[tuple[int, int]], *, inside: int) -> list[tuple[int, int, list[int]]]:
    """Character spans and token indices from a BIO-like tag row (``inside`` = I tag)."""
    spans, cur = [], None
    for t, tag in enumerate(tags):
        a, b = offsets[t]
        if b <= a:
            continue
        if tag == inside - 1 or (tag == inside and cur is None):
            if cur:
                spans.append(cur)
            cur = [a, b, [t]]
        elif tag == inside and cur is not None:
            cur[1], cur[2] = b, [*cur[2], t]
        else:
            if cur:
                spans.append(cur)
            cur = None
    if cur:
        spans.append(cur)
    return [(a, b, toks) for a, b, toks in spans]


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words: a span never starts or ends inside a word.

    Subword tokens can tag part of a word ("e" of "Türkiye's" once its accent is split off).

    >>> text = "Türkiye's expectation was conveyed by Minister Fidan."
    >>> snap_to_words(text, 6, 7)
    (0, 7)
    >>> snap_to_words(text, 47, 52)
    (47, 52)
    """
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _nearest_cue(cues: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The cue (sorted by start) starting at or after the speaker and nearest its end, else the last before it.

    >>> _nearest_cue([(0, 3), (10, 15), (30, 35)], 5, 8)
    (10, 15)
    """
    if not cues:
        return None
    first = bisect.bisect_left(cues, (start, -1))
    if first == len(cues):
        return cues[-1]
    k = max(first, bisect.bisect_left(cues, (end, -1)))
    candidates = cues[max(first, k - 1) : k + 1]
    return min(candidates, key=lambda c: abs(c[0] - end))


def decode(
    offsets: list[tuple[int, int]],
    speaker_probs: np.ndarray,
    stance_probs: np.ndarray,
    cue_probs: np.ndarray,
    *,
    min_score: float = 0.05,
) -> list[RawStatement]:
    """Statements of one sentence from per-token probabilities (special tokens have empty offsets).

    The score of a statement is the mean probability that its tokens are speaker tokens
    times the mean probability of the stance over them.
    """
    tags = speaker_probs.argmax(-1)
    cue_tags = cue_probs.argmax(-1)
    cues: dict[str, list[tuple[int, int]]] = {s: [] for s in STANCES}
    for k, stance in enumerate(STANCES):
        row = np.where((cue_tags == 1 + 2 * k) | (cue_tags == 2 + 2 * k), cue_tags - 2 * k, 0)
        cues[stance] = [(a, b) for a, b, _ in _spans(row, offsets, inside=2)]
    out = []
    for a, b, toks in _spans(tags, offsets, inside=2):
        span_p = float(speaker_probs[toks, 1:].sum(-1).mean())
        for k, stance in enumerate(STANCES):
            score = span_p * float(stance_probs[toks, k].mean())
            if score < min_score:
                continue
            cue = _nearest_cue(cues[stance], a, b)
            out.append(RawStatement(a, b, stance, score, cue))
    return out
