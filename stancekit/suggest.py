"""Which sentences to label next: rank unlabelled sentences by how much a label would help.

The model's statement decisions near its threshold are the ones a label settles. For each raw
statement (speaker span x stance) the calibrated confidence ``c`` gives an uncertainty
``u = 1 - |c - t| / max-distance`` (1 at the threshold ``t``, 0 at 0 or 1); a sentence scores
``1 - prod(1 - u)``, the chance that at least one of its decisions is a coin toss, so a sentence
with several borderline statements outranks one with a single one. Sentences where the model
sees nobody speaking score 0.

Diversity (maximal marginal relevance): each pick maximises ``score - diversity * similarity``
to the sentences already picked (word-set Jaccard), so 20 near-identical boilerplate sentences
do not fill the batch; exact repeats (same words) are never picked twice.

Only statement-level scores are used (the model's public ``raw_predict``/``calibration``):
token-level entropies are not exposed by :class:`~stancekit.modeling.StanceModel`.

>>> uncertainty([0.5], threshold=0.5), uncertainty([0.99], threshold=0.5), uncertainty([], threshold=0.5)
(1.0, 0.02, 0.0)
>>> round(uncertainty([0.5, 0.75], threshold=0.5), 3)
1.0
>>> jaccard("Li urged Kyiv.", "Li urged Moscow.")
0.5
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from stancekit.atomic import write_text_atomic
from stancekit.errors import StancekitError
from stancekit.records import Sentence, Statement

FORMATS: tuple[str, ...] = ("jsonl", "labelstudio", "doccano")
_WORD = re.compile(r"\w+")


class Model(Protocol):
    """What :func:`suggest` needs of a model (:class:`~stancekit.modeling.StanceModel` has it)."""

    threshold: float

    def calibration(self, score: float) -> float: ...

    def raw_predict(self, texts: list[str]) -> list[list[Any]]: ...

    def predict(self, sentences: Iterable[Sentence]) -> list[list[Statement]]: ...


@dataclass(frozen=True)
class SuggestConfig:
    """How many sentences to suggest and how much to favour variety.

    Args:
        top: number of sentences to return (>= 1).
        diversity: weight of the similarity penalty, 0 (rank by uncertainty only) to 1.
        pool: candidates considered for diversity, as a multiple of ``top`` (the most uncertain).

    >>> try:
    ...     SuggestConfig(top=0)
    ... except StancekitError as err:
    ...     print(err.code, err.detail)
    E715 top=0
    """

    top: int = 20
    diversity: float = 0.3
    pool: int = 10

    def __post_init__(self) -> None:
        if not isinstance(self.top, int) or self.top < 1:
            raise StancekitError("E715", f"top={self.top!r}")
        if not 0.0 <= self.diversity <= 1.0:
            raise StancekitError("E715", f"diversity={self.diversity!r}")
        if self.pool < 1:
            raise StancekitError("E715", f"pool={self.pool!r}")


@dataclass(frozen=True)
class Suggestion:
    """A sentence to label, with the model's statements as a starting point."""

    sentence: Sentence
    rank: int
    uncertainty: float

    def to_dict(self) -> dict[str, Any]:
        """The sentence record (loads with :func:`stancekit.read_sentences`) plus ``suggest_rank``/``_score``."""
        return {**self.sentence.to_dict(), "suggest_rank": self.rank, "suggest_score": round(self.uncertainty, 4)}


def uncertainty(confidences: list[float], *, threshold: float) -> float:
    """How undecided a sentence is, from the calibrated confidences of its raw statements (0 to 1)."""
    keep = 1.0
    for c in confidences:
        span = threshold if c < threshold else 1.0 - threshold
        u = 1.0 - abs(c - threshold) / span if span > 0 else float(c == threshold)
        keep *= 1.0 - max(0.0, min(1.0, u))
    return round(1.0 - keep, 6)


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def jaccard(a: str, b: str) -> float:
    """Word-set similarity of two texts (1.0 for two texts without words)."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


def score_sentences(sentences: list[Sentence], model: Model) -> list[float]:
    """The uncertainty of each sentence under ``model`` (one ``raw_predict`` pass)."""
    raw = model.raw_predict([s.text for s in sentences])
    return [uncertainty([model.calibration(r.score) for r in rs], threshold=model.threshold) for rs in raw]


def _pick(sentences: list[Sentence], scores: list[float], config: SuggestConfig) -> list[int]:
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])[: config.top * config.pool]
    words = {i: _words(sentences[i].text) for i in order}
    chosen: list[int] = []
    seen: set[frozenset[str]] = set()
    candidates = list(order)
    while candidates and len(chosen) < config.top:
        best, best_value = None, float("-inf")
        for i in candidates:
            if words[i] in seen:
                continue
            sim = max(
                (len(words[i] & words[j]) / max(1, len(words[i] | words[j])) for j in chosen),
                default=0.0,
            )
            value = scores[i] - config.diversity * sim
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
        seen.add(words[best])
        candidates.remove(best)
    return chosen


def suggest(
    sentences: list[Sentence],
    model: Model,
    *,
    config: SuggestConfig | None = None,
    exclude: Iterable[Sentence] = (),
) -> list[Suggestion]:
    """The ``config.top`` sentences most worth labelling, best first, with predicted statements.

    Args:
        sentences: unlabelled sentences (their statements, if any, are ignored).
        model: a :class:`~stancekit.modeling.StanceModel` (or anything with the same methods).
        config: how many to return and how much variety to enforce.
        exclude: already labelled sentences: the same ``(doc_id, sent_index)`` or the same text is skipped.

    Raises:
        StancekitError: E716 when no sentence is left to rank.
    """
    config = config or SuggestConfig()
    done = list(exclude)
    keys = {s.key for s in done}
    texts = {s.text.strip() for s in done}
    pool = [s for s in sentences if s.key not in keys and s.text.strip() not in texts and s.text.strip()]
    if not pool:
        raise StancekitError("E716", f"{len(sentences)} sentence(s) given, {len(sentences)} labelled or empty")
    scores = score_sentences(pool, model)
    chosen = _pick(pool, scores, config)
    # predict on the whole documents of the chosen sentences, so pronouns resolve as in `analyze`
    docs = {pool[i].doc_id for i in chosen}
    context = [Sentence(s.doc_id, s.sent_index, s.text, [], s.start, s.end) for s in pool if s.doc_id in docs]
    predicted = dict(zip([s.key for s in context], model.predict(context), strict=True))
    return [
        Suggestion(replace(pool[i], statements=list(predicted[pool[i].key])), rank, scores[i])
        for rank, i in enumerate(chosen, 1)
    ]


def write_suggestions(
    path: str | Path, suggestions: list[Suggestion], *, fmt: str = "jsonl", model_version: str = "stancekit"
) -> None:
    """Write suggestions atomically: ``jsonl`` records, or a Label Studio / doccano import file.

    Raises:
        StancekitError: E713 for an unknown ``fmt``.
    """
    from stancekit.errors import did_you_mean

    sentences = [s.sentence for s in suggestions]
    if fmt == "jsonl":
        write_text_atomic(path, "".join(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in suggestions))
    elif fmt == "labelstudio":
        from stancekit.interop.labelstudio import write_labelstudio

        write_labelstudio(path, sentences, model_version=model_version)
    elif fmt == "doccano":
        from stancekit.interop.doccano import write_doccano

        write_doccano(path, sentences)
    else:
        raise StancekitError("E713", f"--format {fmt!r}; use one of {', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}")
