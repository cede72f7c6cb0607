"""Baselines behind the :class:`~stancekit.predictor.Predictor` interface.

- ``baseline:none`` predicts no statements;
- ``baseline:cues`` finds stance cue words and takes the nearest preceding mention as speaker;
- ``baseline:tfidf`` classifies each sentence's stances with TF-IDF + logistic regression
  (scikit-learn), trained on the bundled training corpus, and places speakers like ``cues``.

All three resolve actors and parties with the same document resolver as the model.

>>> sents = [Sentence("d", 0, "Lavrov urged Kyiv to negotiate.")]
>>> [(s.actor, s.stance, s.target) for s in load_baseline("cues").predict(sents)[0]]
[('Sergey Lavrov', 'demand', 'Ukraine')]
"""

from __future__ import annotations

import re
from pathlib import Path

from stancekit.cues import find_cues
from stancekit.errors import EvalError, did_you_mean
from stancekit.records import STANCES, Sentence, Statement
from stancekit.registry import ActorRegistry
from stancekit.resolution import DocumentResolver, resolve_readouts

BASELINES = ("none", "cues", "tfidf")
_BOUNDARY = re.compile(r",\s*(?:while|whereas|but|and)\b|;|\bwhile\b|\bsaid\b|\bthat\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:He|She|They|It)\b")


def training_data_dir() -> Path:
    """The bundled corpus folder: the source checkout's, else the installed copy."""
    pkg = Path(__file__).resolve().parent
    for candidate in (pkg.parent / "training" / "data", pkg / "_bundled" / "training" / "data"):
        if (candidate / "train.jsonl").is_file():
            return candidate
    return pkg.parent / "training" / "data"


def heuristic_speaker(resolver: DocumentResolver, i: int, cue_start: int) -> tuple[int, int] | None:
    """The span of the first mention in the clause before a cue (a pronoun counts)."""
    text = resolver.sentences[i]
    clause = 0
    for m in _BOUNDARY.finditer(text, 0, cue_start):
        clause = m.end()
    spans = [(m.start, m.end) for m in resolver.mentions[i] if m.end <= cue_start]
    spans += [(m.start(), m.end()) for m in _PRONOUN.finditer(text, 0, cue_start)]
    spans.sort()
    in_clause = [s for s in spans if s[0] >= clause]
    if in_clause:
        return in_clause[0]
    return spans[-1] if spans else None


def statements_from_cues(resolver: DocumentResolver, i: int, cues: list[tuple[str, int, int]]) -> list[Statement]:
    """One statement per (speaker, stance) from ``(stance, cue_start, cue_end)`` triples."""
    out, seen = [], set()
    for stance, c0, c1 in cues:
        span = heuristic_speaker(resolver, i, c0)
        if span is None or (span, stance) in seen:
            continue
        seen.add((span, stance))
        out += resolver.statements(i, *span, stance, cue=(c0, c1))
    return out


class _DocumentPredictor:
    """Shared loop: group sentences by readout, resolve in order, keep input order."""

    name = "baseline"

    def __init__(self, registry: ActorRegistry | None = None) -> None:
        self.registry = registry

    def _sentence_cues(self, sentences: list[Sentence]) -> list[list[tuple[str, int, int]]]:
        raise NotImplementedError

    def predict(self, sentences: list[Sentence]) -> list[list[Statement]]:
        """Statements per sentence, in input order."""
        cues = {id(s): c for s, c in zip(sentences, self._sentence_cues(sentences), strict=True)}
        return resolve_readouts(
            sentences,
            self.registry or ActorRegistry.default(),
            lambda resolver, i, sent: statements_from_cues(resolver, i, cues[id(sent)]),
        )


class NoneBaseline:
    """Predicts no statement anywhere: the floor every system must beat."""

    name = "baseline:none"

    def predict(self, sentences: list[Sentence]) -> list[list[Statement]]:
        """An empty list per sentence."""
        return [[] for _ in sentences]


class CuesBaseline(_DocumentPredictor):
    """Cue-word lexicon (:mod:`stancekit.cues`) plus the nearest-mention speaker heuristic."""

    name = "baseline:cues"

    def _sentence_cues(self, sentences: list[Sentence]) -> list[list[tuple[str, int, int]]]:
        return [[(c.stance, c.start, c.end) for c in find_cues(s.text)] for s in sentences]


class TfidfBaseline(_DocumentPredictor):
    """TF-IDF + logistic regression per stance (scikit-learn), speakers as in ``cues``.

    Args:
        train: training sentences; by default the bundled corpus's train split.
    """

    name = "baseline:tfidf"

    def __init__(self, train: list[Sentence] | None = None, registry: ActorRegistry | None = None) -> None:
        super().__init__(registry)
        self.train = train

    def fit(self) -> TfidfBaseline:
        """Fit one classifier per stance; returns ``self``."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        from stancekit.jsonl import read_sentences

        train = self.train
        if train is None:
            path = training_data_dir() / "train.jsonl"
            if not path.is_file():
                raise EvalError(
                    "E200",
                    f"baseline:tfidf needs a training corpus and {path} does not exist; it never trains on "
                    "evaluation data",
                )
            train = read_sentences(path)
        texts = [s.text for s in train]
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        features = self.vectorizer_.fit_transform(texts)
        self.classifiers_ = {}
        for stance in STANCES:
            labels = [any(st.stance == stance for st in s.statements) for s in train]
            self.classifiers_[stance] = LogisticRegression(max_iter=2000, class_weight="balanced").fit(features, labels)
        return self

    def _sentence_cues(self, sentences: list[Sentence]) -> list[list[tuple[str, int, int]]]:
        if not hasattr(self, "classifiers_"):
            self.fit()
        features = self.vectorizer_.transform([s.text for s in sentences])
        probs = {st: clf.predict_proba(features)[:, 1] for st, clf in self.classifiers_.items()}
        out = []
        for k, sent in enumerate(sentences):
            cues = []
            lexical = find_cues(sent.text)
            for stance in STANCES:
                if probs[stance][k] < 0.5:
                    continue
                at = next((c for c in lexical if c.stance == stance), None)
                cues.append((stance, at.start, at.end) if at else (stance, len(sent.text), len(sent.text)))
            out.append(cues)
        return out


def load_baseline(name: str) -> NoneBaseline | CuesBaseline | TfidfBaseline:
    """A baseline by name (``none``, ``cues``, ``tfidf``; the ``baseline:`` prefix is optional)."""
    bare = name.removeprefix("baseline:")
    if bare == "none":
        return NoneBaseline()
    if bare == "cues":
        return CuesBaseline()
    if bare == "tfidf":
        return TfidfBaseline()
    raise EvalError("E200", f"baseline {name!r}{did_you_mean(bare, BASELINES)}; baselines: {', '.join(BASELINES)}")
