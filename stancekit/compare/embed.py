"""Pluggable sentence embeddings: any callable ``texts -> np.ndarray`` of shape ``(len(texts), dim)``.

Two are provided: :func:`encoder_embedder` (mean-pooled states of a model's fine-tuned
encoder) and :class:`TfidfEmbedder` (scikit-learn TF-IDF, the fallback without a model).
The comparison functions call an embedder once with every text they compare, so a
TF-IDF embedder fitted per call puts them all in one space.

>>> vectors = embed(TfidfEmbedder(), ["export controls on rare earths", "rare earths export controls", "visa rules"])
>>> vectors.shape[0], round(float(vectors[0] @ vectors[1]), 2), round(float(vectors[0] @ vectors[2]), 2)
(3, 1.0, 0.0)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from stancekit.errors import StancekitError

if TYPE_CHECKING:
    import pandas as pd

    from stancekit.modeling import StanceModel

#: An embedder maps texts to one row vector each.
Embedder = Callable[[Sequence[str]], np.ndarray]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")

#: Reporting words that say nothing about a topic, ignored besides the English stop words.
REPORTING_WORDS: frozenset[str] = frozenset({"said", "says", "say", "told", "added", "stated", "noted", "according"})


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens as scikit-learn's default tokenizer finds them.

    >>> tokens("Kaja Kallas urged Beijing's leaders")
    ['kaja', 'kallas', 'urged', 'beijing', 'leaders']
    """
    return _TOKEN.findall(text.lower())


def stop_word_set(extra: Iterable[str] = ()) -> set[str]:
    """scikit-learn's English stop words, :data:`REPORTING_WORDS` and the tokens of ``extra``.

    >>> {"the", "said", "li"} <= stop_word_set(["Li Qiang"])
    True
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return set(ENGLISH_STOP_WORDS) | REPORTING_WORDS | {t for word in extra for t in tokens(word)}


class TfidfEmbedder:
    """TF-IDF vectors of the texts, fitted on the texts of each call (the model-free fallback).

    Args:
        stop_words: extra words to ignore besides :func:`stop_word_set`'s (names of
            speakers and parties, say, so that vectors reflect what is talked about).
        ngram_range: word n-gram sizes.

    >>> TfidfEmbedder(stop_words=["Li"])(["Li urged calm", "calm"]).shape
    (2, 2)
    """

    def __init__(self, *, stop_words: Iterable[str] = (), ngram_range: tuple[int, int] = (1, 1)) -> None:
        self.stop_words = tuple(stop_words)
        self.ngram_range = ngram_range

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Dense, L2-normalised TF-IDF rows (all zero where a text has no known word)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            stop_words=sorted(stop_word_set(self.stop_words)), ngram_range=self.ngram_range, sublinear_tf=True
        )
        try:
            return vectorizer.fit_transform(list(texts)).toarray()
        except ValueError:  # no word left in any text
            return np.zeros((len(texts), 1))


def encoder_embedder(model: StanceModel, *, batch_size: int = 32) -> Embedder:
    """Mean-pooled (attention-masked) last hidden states of the model's encoder, L2-normalised.

    Args:
        model: a :class:`~stancekit.modeling.StanceModel`; its fine-tuned encoder and tokenizer are used.
        batch_size: texts per forward pass.

    Returns:
        An embedder; texts longer than the model's ``max_length`` are truncated.

    >>> from stancekit.modeling import StanceModel
    >>> embedder = encoder_embedder(StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0))
    >>> embedder(["Li urged calm.", "Costa agreed."]).shape
    (2, 32)
    """

    def embed_texts(texts: Sequence[str]) -> np.ndarray:
        return model.embed(list(texts), batch_size=batch_size)

    return embed_texts


def embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Call ``embedder`` once on ``texts``, check the shape and L2-normalise the rows.

    Raises:
        StancekitError: E606 when the result is not one row per text.

    >>> embed(lambda texts: np.ones((1, 2)), ["a", "b"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.StancekitError: [E606] embedder returned a wrong shape: (1, 2) for 2 texts. Fix: ...
    """
    texts = list(texts)
    if not texts:
        return np.zeros((0, 1))
    vectors = np.asarray(embedder(texts), dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise StancekitError("E606", f"{vectors.shape} for {len(texts)} texts")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def name_words(frame: pd.DataFrame) -> set[str]:
    """Word tokens of the speakers, actors, parties, targets and cues of a statements frame.

    Used as stop words of the default :class:`TfidfEmbedder`, so that topics and alignment
    look at what a statement is about, not at who said it or which verb they used.

    >>> import pandas as pd
    >>> sorted(name_words(pd.DataFrame({"actor": ["Li Qiang"], "party": ["China"], "cue": [None]})))
    ['china', 'li', 'qiang']
    """
    words: set[str] = set()
    for column in ("speaker", "actor", "party", "target", "cue"):
        if column in frame.columns:
            for value in frame[column].dropna().unique():
                words.update(tokens(str(value)))
    return words


def default_embedder(frame: pd.DataFrame) -> TfidfEmbedder:
    """The fallback: a :class:`TfidfEmbedder` ignoring the frame's :func:`name_words`.

    >>> import pandas as pd
    >>> default_embedder(pd.DataFrame({"party": ["EU"]})).stop_words
    ('eu',)
    """
    return TfidfEmbedder(stop_words=sorted(name_words(frame)))
