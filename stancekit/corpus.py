"""Statistics of an annotated corpus: size, balance, breadth and hard cases.

>>> from stancekit.records import Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", cue="urged", cue_start=3, cue_end=8)
>>> stats = corpus_stats([Sentence("d", 0, "Li urged the EU.", [s]), Sentence("d", 1, "Talks ended.")])
>>> stats["statements_per_stance"]["demand"], stats["background_share"]
(1, 0.5)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from stancekit.records import STANCES, Sentence


def corpus_stats(sentences: list[Sentence], documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Counts the corpus issue asks for; ``documents`` adds topics and registers."""
    statements = [st for s in sentences for st in s.statements]
    tags = Counter(t for s in sentences for t in s.tags)
    hard = sum(1 for s in sentences if (s.tags and set(s.tags) - {"near_miss"}) or len(s.statements) > 1)
    stats: dict[str, Any] = {
        "documents": len({s.doc_id for s in sentences}),
        "sentences": len(sentences),
        "statements": len(statements),
        "statements_per_stance": {st: sum(1 for x in statements if x.stance == st) for st in STANCES},
        "background_sentences": sum(1 for s in sentences if not s.statements),
        "background_share": round(sum(1 for s in sentences if not s.statements) / max(1, len(sentences)), 3),
        "distinct_speakers": len({x.actor for x in statements}),
        "distinct_parties": len({x.party for x in statements if x.party}),
        "distinct_cue_expressions": len({x.cue.lower() for x in statements if x.cue}),
        "multi_speaker_sentences": sum(
            1 for s in sentences if len({(x.speaker_start, x.speaker_end) for x in s.statements}) > 1
        ),
        "multi_stance_speakers": sum(
            1
            for s in sentences
            for k, n in Counter((x.speaker_start, x.speaker_end) for x in s.statements).items()
            if n > 1
        ),
        "uncertain_statements": sum(1 for x in statements if x.uncertain),
        "hard_case_share": round(hard / max(1, len(sentences)), 3),
        "hard_case_tags": dict(tags.most_common()),
    }
    if documents:
        stats["topics"] = len({d["topic"] for d in documents})
        stats["registers"] = dict(Counter(d["register"] for d in documents).most_common())
    return stats
