"""Calibrate statement confidences on the dev split (Platt scaling) and measure the ECE.

A raw statement counts as correct when the dev gold has a statement of the same
stance whose speaker span overlaps it.

>>> expected_calibration_error(np.array([0.9, 0.9, 0.1]), np.array([1, 1, 0]))
0.1
"""

from __future__ import annotations

import numpy as np

from stancekit.records import Sentence


def expected_calibration_error(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Weighted mean |accuracy - confidence| over equal-width confidence bins."""
    if len(conf) == 0:
        return float("nan")
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return round(float(ece), 4)


def _fit(scores: np.ndarray, correct: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(correct.tolist())) < 2:
        return 1.0, 0.0
    s = np.clip(scores, 1e-6, 1 - 1e-6)
    x = np.log(s / (1 - s)).reshape(-1, 1)
    lr = LogisticRegression(C=100.0).fit(x, correct)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _apply(a: float, b: float, scores: np.ndarray) -> np.ndarray:
    s = np.clip(scores, 1e-6, 1 - 1e-6)
    return 1 / (1 + np.exp(-(a * np.log(s / (1 - s)) + b)))


def scored_statements(model, sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Raw scores of every decoded statement on ``sentences`` and whether each is correct."""
    scores, correct = [], []
    for sent, raw in zip(sentences, model.raw_predict([s.text for s in sentences]), strict=True):
        for r in raw:
            scores.append(r.score)
            correct.append(
                any(
                    g.stance == r.stance and g.speaker_start < r.end and r.start < g.speaker_end
                    for g in sent.statements
                )
            )
    return np.array(scores, dtype=float), np.array(correct, dtype=int)


def calibrate(model, dev: list[Sentence]) -> tuple[dict[str, float], dict[str, float]]:
    """Platt parameters fitted on all of ``dev``, and ECEs measured by 2-fold cross-fitting."""
    scores, correct = scored_statements(model, dev)
    if len(scores) == 0:
        return {"a": 1.0, "b": 0.0}, {"n": 0}
    rng = np.random.default_rng(0)
    fold = rng.integers(0, 2, size=len(scores))
    calibrated = np.empty_like(scores)
    for k in (0, 1):
        a, b = _fit(scores[fold != k], correct[fold != k])
        calibrated[fold == k] = _apply(a, b, scores[fold == k])
    a, b = _fit(scores, correct)
    report = {
        "n": len(scores),
        "ece_raw": expected_calibration_error(scores, correct),
        "ece_calibrated": expected_calibration_error(calibrated, correct),
    }
    return {"a": round(a, 4), "b": round(b, 4)}, report
