"""The one small interface every evaluable system implements.

A predictor receives the sentences of one or more readouts (document order,
statements removed) and returns the statements it finds for each sentence.

>>> class Silent:
...     name = "silent"
...     def predict(self, sentences):
...         return [[] for _ in sentences]
>>> isinstance(Silent(), Predictor)
True
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from stancekit.records import Sentence, Statement


@runtime_checkable
class Predictor(Protocol):
    """Anything with a ``name`` and ``predict(sentences) -> statements per sentence``."""

    name: str

    def predict(self, sentences: list[Sentence]) -> list[list[Statement]]:
        """Return one list of statements per input sentence, in input order."""
        ...
