"""``oracle:speakers``: the gold speaker spans and stances, resolved by the document resolver.

It isolates actor, party and target resolution from the tagger: each gold statement keeps
its span, stance and cue, and the actor, party and target come from
:class:`~stancekit.resolution.DocumentResolver`, as they do for the model. Its
``statement_macro_f1`` is the ceiling that resolution leaves to any tagger on that data
(``stance_macro_f1`` and ``speaker_exact_f1`` are 1 by construction).

>>> from stancekit.evaluation import evaluate
>>> report = evaluate(SpanOracle.from_data("seed"), "seed", n_resamples=20)
>>> report.metrics["all"]["speaker_exact_f1"]["value"]
1.0
"""

from __future__ import annotations

from pathlib import Path

from stancekit.errors import EvalError
from stancekit.jsonl import read_sentences
from stancekit.records import Sentence, Statement
from stancekit.registry import ActorRegistry
from stancekit.resolution import DocumentResolver, resolve_readouts

ORACLES = ("speakers",)


class SpanOracle:
    """Predicts the gold speaker spans and stances of ``gold``, with resolved actors and targets.

    Args:
        gold: the annotated sentences it will be asked about (matched on ``doc_id`` and
            ``sent_index``).
        registry: the actor registry (the bundled one by default).
    """

    name = "oracle:speakers"

    def __init__(self, gold: list[Sentence], registry: ActorRegistry | None = None) -> None:
        self.gold = {s.key: s.statements for s in gold}
        self.registry = registry or ActorRegistry.default()

    @classmethod
    def from_data(cls, data: str | Path) -> SpanOracle:
        """The oracle of a suite (name or YAML) or a JSONL file of annotated sentences."""
        from stancekit.evaluation.suites import load_suite

        return cls(read_sentences(load_suite(data).data))

    def predict(self, sentences: list[Sentence]) -> list[list[Statement]]:
        """Statements per sentence, in input order (sentences must be in the gold data)."""
        missing = [s.key for s in sentences if s.key not in self.gold]
        if missing:
            raise EvalError(
                "E200", f"{self.name}: {len(missing)} sentences are not in its gold data, e.g. {missing[0]}"
            )
        return resolve_readouts(sentences, self.registry, self._statements)

    def _statements(self, resolver: DocumentResolver, i: int, sent: Sentence) -> list[Statement]:
        out, seen = [], set()
        for g in self.gold[sent.key]:
            if (g.speaker_start, g.speaker_end, g.stance) in seen:
                continue  # several targets of one act: the resolver finds them again
            seen.add((g.speaker_start, g.speaker_end, g.stance))
            cue = (g.cue_start, g.cue_end) if g.cue_start is not None and g.cue_end is not None else None
            out += resolver.statements(i, g.speaker_start, g.speaker_end, g.stance, cue=cue, confidence=1.0)
        return out


def load_oracle(name: str, data: str | Path) -> SpanOracle:
    """An oracle by name (``speakers``; the ``oracle:`` prefix is optional) for ``data``."""
    bare = name.removeprefix("oracle:")
    if bare != "speakers":
        raise EvalError("E200", f"oracle {name!r}; oracles: {', '.join('oracle:' + o for o in ORACLES)}")
    return SpanOracle.from_data(data)
