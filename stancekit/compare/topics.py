"""Topics of statements: clusters of sentence embeddings labelled by key terms, or a user's keyword list.

No hand-made topic list is needed: :func:`assign_topics` clusters the sentences (k-means,
the number of clusters chosen by silhouette unless given) and names each cluster by its
top TF-IDF terms. A user's ``{topic: [keywords]}`` list replaces the clustering.

>>> keyword_topics(["Li urged a ceasefire in Gaza.", "Talks on tariffs."], {"Gaza": ["gaza", "ceasefire"]})
['Gaza', 'other']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from stancekit.compare.embed import Embedder, default_embedder, embed, name_words, stop_word_set, tokens
from stancekit.errors import ConfigError, DataError, did_you_mean

#: Topic of a statement that matches none of the user's keywords.
OTHER_TOPIC = "other"


@dataclass
class Topics:
    """Topic labels of the rows of a statements frame, and the terms behind each topic.

    Args:
        labels: one topic label per frame row.
        terms: topic label -> its key terms (clusters) or keywords (a user's list).
        method: ``"clusters"`` or ``"keywords"``.

    >>> t = Topics(["visas", "visas"], {"visas": ["visa", "students"]}, "keywords")
    >>> t.counts()
    {'visas': 2}
    """

    labels: list[str]
    terms: dict[str, list[str]] = field(default_factory=dict)
    method: str = "clusters"

    def counts(self) -> dict[str, int]:
        """Statements per topic, in the order of :attr:`terms` (then any other label)."""
        order = list(self.terms) + sorted(set(self.labels) - set(self.terms))
        return {t: self.labels.count(t) for t in order if t in self.labels}

    def resolve(self, value: str) -> list[str]:
        """The topic labels a user's ``value`` names: the label itself, else every topic with
        ``value`` among its terms or in its label (case-insensitive).

        Raises:
            ConfigError: E607 when no topic fits.

        >>> Topics(["fish, quota"], {"fish, quota": ["fish", "quota"]}).resolve("Quota")
        ['fish, quota']
        """
        labels = list(self.terms) + sorted(set(self.labels) - set(self.terms))
        if value in labels:
            return [value]
        low = value.lower().strip()
        found = [t for t in labels if low in t.lower() or any(low == w.lower() for w in self.terms.get(t, []))]
        if not found:
            choices = [*labels, *(w for ws in self.terms.values() for w in ws)]
            raise ConfigError("E607", f"topic {value!r}{did_you_mean(value, choices)}; topics: {'; '.join(labels)}")
        return found


def check_topic_list(data: Any, *, where: str = "") -> dict[str, list[str]]:
    """Validate a ``{topic name: [keywords]}`` mapping (a bare string counts as one keyword).

    Raises:
        DataError: E604 when it is not a mapping of names to non-empty keyword lists.

    >>> check_topic_list({"visas": "visa", "fish": ["fishing", "quota"]})
    {'visas': ['visa'], 'fish': ['fishing', 'quota']}
    >>> check_topic_list(["visa"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stancekit.errors.DataError: [E604] invalid topic list: got list. Fix: ...
    """
    if not isinstance(data, Mapping) or not data:
        raise DataError("E604", f"got {type(data).__name__}" if not isinstance(data, Mapping) else "empty", where=where)
    out: dict[str, list[str]] = {}
    for name, words in data.items():
        words = [words] if isinstance(words, str) else words
        if not isinstance(words, list | tuple) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataError("E604", f"topic {name!r} needs a non-empty list of keywords", where=where)
        out[str(name)] = [w.strip() for w in words]
    return out


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in keyword.lower().split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words))


def keyword_topics(texts: Sequence[str], topics: Mapping[str, Sequence[str]]) -> list[str]:
    """The topic whose keywords occur most often in each text (ties: the first listed), else ``other``.

    Keywords match case-insensitively at the start of a word, so ``tariff`` matches ``tariffs``.

    >>> keyword_topics(["New TARIFFS on steel."], {"visas": ["visa"], "trade": ["tariff", "steel"]})
    ['trade']
    """
    patterns = {name: [_keyword_pattern(k) for k in words] for name, words in topics.items()}
    out = []
    for text in texts:
        low = text.lower()
        scores = {name: sum(bool(p.search(low)) for p in pats) for name, pats in patterns.items()}
        best = max(scores, key=lambda name: scores[name], default=None)
        out.append(best if best is not None and scores[best] > 0 else OTHER_TOPIC)
    return out


def cluster_topics(
    vectors: np.ndarray, *, n_topics: int | None = None, max_topics: int = 8, seed: int = 0
) -> np.ndarray:
    """K-means cluster ids of L2-normalised vectors, numbered by first appearance.

    Args:
        vectors: one row per text.
        n_topics: the number of clusters; ``None`` picks 2..``max_topics`` by the best
            cosine silhouette (one cluster when all rows are alike).
        max_topics: the largest number of clusters tried.
        seed: k-means seed.

    >>> cluster_topics(np.array([[1.0, 0], [0.9, 0.1], [0, 1.0], [0.1, 0.9]])).tolist()
    [0, 0, 1, 1]
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n_distinct = len(np.unique(np.round(vectors, 6), axis=0)) if len(vectors) else 0
    if n_topics is not None:
        candidates = [max(1, min(n_topics, n_distinct))]
    else:
        candidates = list(range(2, min(max_topics, n_distinct) + 1)) or [1]
    best, best_score = np.zeros(len(vectors), dtype=int), -np.inf
    for k in candidates:
        if k == 1:
            break
        ids = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)
        if n_topics is not None:
            best = ids
            break
        valid = 1 < len(set(ids)) < len(vectors)
        score = silhouette_score(vectors, ids, metric="cosine") if valid else -np.inf
        if score > best_score + 1e-9:
            best, best_score = ids, score
    order: dict[int, int] = {}
    for cid in best:
        order.setdefault(int(cid), len(order))
    return np.array([order[int(c)] for c in best], dtype=int)


def _term_analyzer(stop: set[str]):
    """Words and adjacent word pairs of each line, skipping stop words (pairs never span one)."""

    def analyze(doc: str) -> list[str]:
        out: list[str] = []
        for line in doc.split("\n"):
            words = tokens(line)
            out += [w for w in words if w not in stop]
            out += [f"{a} {b}" for a, b in itertools.pairwise(words) if a not in stop and b not in stop]
        return out

    return analyze


def key_terms(
    texts: Sequence[str], cluster_ids: Sequence[int], *, n_terms: int = 3, stop_words: Sequence[str] = ()
) -> dict[int, list[str]]:
    """The top TF-IDF terms (words and word pairs) of each cluster, its texts read as one document.

    A term overlapping a better one (``quota`` after ``fishing quota``) is skipped; word pairs
    never span a stop word.

    >>> key_terms(["fishing quota talks", "the fishing quota", "visa rules"], [0, 0, 1], n_terms=1)
    {0: ['fishing quota'], 1: ['visa rules']}
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    clusters = sorted(set(int(c) for c in cluster_ids))
    docs = ["\n".join(t for t, c in zip(texts, cluster_ids, strict=True) if c == k) for k in clusters]
    stop = stop_word_set(stop_words)
    vectorizer = TfidfVectorizer(analyzer=_term_analyzer(stop), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(docs).toarray()
    except ValueError:
        return {k: [] for k in clusters}
    vocab = vectorizer.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for row, k in zip(matrix, clusters, strict=True):
        chosen: list[str] = []
        # highest score first; among ties the longer (more specific) term, then alphabetical
        for j in sorted(np.flatnonzero(row), key=lambda j: (-round(row[j], 9), -len(vocab[j].split()), vocab[j])):
            words = set(vocab[j].split())
            if any(words & set(c.split()) for c in chosen):
                continue
            chosen.append(str(vocab[j]))
            if len(chosen) == n_terms:
                break
        out[k] = chosen
    return out


def assign_topics(
    frame: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    keywords: Mapping[str, Sequence[str]] | None = None,
    n_topics: int | None = None,
    n_terms: int = 3,
    seed: int = 0,
) -> Topics:
    """Give each statement of a :func:`~stancekit.compare.frame.statements_frame` a topic.

    Args:
        frame: the statements; their ``sentence`` texts are what is clustered.
        embedder: sentence embeddings for the clustering (default: TF-IDF ignoring names and cues).
        keywords: a user's ``{topic: [keywords]}`` list; when given, no clustering is done.
        n_topics: the number of clusters (default: chosen by silhouette).
        n_terms: key terms per cluster label.
        seed: k-means seed.

    Returns:
        :class:`Topics` with one label per row; a cluster label joins its key terms with ``", "``.

    >>> frame = pd.DataFrame({"sentence": ["Li urged talks on tariffs.", "Costa criticised the tariffs."]})
    >>> assign_topics(frame, keywords={"trade": ["tariff"]}).labels
    ['trade', 'trade']
    """
    texts = [str(t) for t in frame["sentence"]] if len(frame) else []
    if keywords is not None:
        topics = check_topic_list(keywords)
        return Topics(keyword_topics(texts, topics), topics, "keywords")
    if not texts:
        return Topics([], {}, "clusters")
    distinct = list(dict.fromkeys(texts))
    vectors = embed(embedder or default_embedder(frame), distinct)
    ids = cluster_topics(vectors, n_topics=n_topics, seed=seed)
    terms = key_terms(distinct, ids, n_terms=n_terms, stop_words=sorted(name_words(frame)))
    names: dict[int, str] = {}
    for k in sorted(terms):
        name = ", ".join(terms[k]) or f"topic {k + 1}"
        names[k] = name if name not in names.values() else f"{name} ({k + 1})"
    by_text = {t: names[int(c)] for t, c in zip(distinct, ids, strict=True)}
    return Topics([by_text[t] for t in texts], {names[k]: terms[k] for k in sorted(names)}, "clusters")
