"""Run a predictor on a suite and build a reproducible report.

>>> from stancekit.baselines import load_baseline
>>> report = evaluate(load_baseline("none"), "seed", n_resamples=50)
>>> report.metrics["all"]["background_accuracy"]["value"]
1.0
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stancekit.atomic import write_text_atomic
from stancekit.errors import EvalError, did_you_mean
from stancekit.evaluation.bootstrap import bootstrap_ci
from stancekit.evaluation.metrics import (
    METRICS,
    confusion,
    metrics_from_counts,
    per_stance,
    sentence_counts,
)
from stancekit.evaluation.suites import Suite, load_suite
from stancekit.jsonl import read_sentences
from stancekit.predictor import Predictor
from stancekit.records import Sentence, Statement

REPORT_FORMAT = 1


def library_versions() -> dict[str, str]:
    """Versions of stancekit and the libraries that shape results."""
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in ("stancekit", "torch", "transformers", "scikit-learn", "numpy", "onnxruntime"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def git_commit() -> str | None:
    """The commit of the source checkout stancekit runs from, when there is one."""
    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _nan_to_none(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


@dataclass
class EvalReport:
    """Metrics with confidence intervals, per-sentence predictions and provenance."""

    model: str
    suite: dict[str, Any]
    metrics: dict[str, dict[str, dict[str, float | None]]]
    per_stance: dict[str, dict[str, float | None]]
    confusion: dict[str, dict[str, int]]
    counts: dict[str, int]
    predictions: list[dict[str, Any]]
    thresholds: dict[str, float] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def value(self, metric: str, subset: str = "all") -> float | None:
        """The point estimate of ``metric`` on ``subset`` (``all`` or ``confident``)."""
        if metric not in METRICS:
            raise EvalError("E203", f"{metric!r}{did_you_mean(metric, METRICS)}")
        return self.metrics[subset][metric]["value"]

    def failures(self, minimums: dict[str, float] | None = None, subset: str = "all") -> list[str]:
        """Thresholds (the suite's and ``minimums``) that the report does not meet."""
        wanted = {**self.thresholds, **(minimums or {})}
        failed = []
        for metric, minimum in wanted.items():
            value = self.value(metric, subset)
            if value is None or value < minimum:
                failed.append(f"{metric} = {value} < {minimum}")
        return failed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report."""
        return {
            "format": REPORT_FORMAT,
            "model": self.model,
            "suite": self.suite,
            "counts": self.counts,
            "metrics": self.metrics,
            "per_stance": self.per_stance,
            "confusion": self.confusion,
            "thresholds": self.thresholds,
            "provenance": self.provenance,
            "predictions": self.predictions,
        }

    def save(self, path: str | Path) -> None:
        """Write the report as JSON, atomically."""
        write_text_atomic(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, path: str | Path) -> EvalReport:
        """Read a report written by :meth:`save`."""
        from stancekit.errors import StancekitError

        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            data.pop("format", None)
            return cls(**data)
        except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
            raise StancekitError("E501", f"{path} is not a stancekit report ({exc})") from None


def _statements(records: list[dict]) -> list[Statement]:
    return [Statement.from_dict(r) for r in records]


def count_matrix(gold: list[list[Statement]], pred: list[list[Statement]]) -> np.ndarray:
    """One count row per sentence (see :mod:`stancekit.evaluation.metrics`)."""
    return np.array([sentence_counts(g, p) for g, p in zip(gold, pred, strict=True)])


def score(
    gold: list[list[Statement]], pred: list[list[Statement]], *, n_resamples: int = 1000, seed: int = 0
) -> dict[str, dict[str, float | None]]:
    """Every metric with its 95% bootstrap interval."""
    rows = count_matrix(gold, pred) if gold else np.zeros((0, 1))
    out = {}
    for name in METRICS:
        if len(rows) == 0:
            out[name] = {"value": None, "ci_low": None, "ci_high": None}
            continue
        value = metrics_from_counts(rows.sum(0))[name]
        lo, hi = bootstrap_ci(rows, lambda t, n=name: metrics_from_counts(t)[n], n_resamples=n_resamples, seed=seed)
        out[name] = {"value": _nan_to_none(value), "ci_low": _nan_to_none(lo), "ci_high": _nan_to_none(hi)}
    return out


def evaluate(
    predictor: Predictor,
    data: str | Path | Suite | list[Sentence],
    *,
    n_resamples: int = 1000,
    seed: int = 0,
) -> EvalReport:
    """Evaluate ``predictor`` on a suite (name, YAML, JSONL file) or on sentences."""
    if isinstance(data, list):
        suite_info, thresholds, gold_sents = {"name": "in-memory", "version": "none"}, {}, data
    else:
        suite = data if isinstance(data, Suite) else load_suite(data)
        gold_sents = read_sentences(suite.data)
        suite_info = {
            "name": suite.name,
            "version": suite.version,
            "data": str(suite.data.name),
            "sha256": suite.sha256,
        }
        thresholds = suite.thresholds
    inputs = [Sentence(s.doc_id, s.sent_index, s.text, [], s.start, s.end) for s in gold_sents]
    predicted = predictor.predict(inputs)
    if len(predicted) != len(inputs):
        raise EvalError("E200", f"{predictor.name} returned {len(predicted)} results for {len(inputs)} sentences")
    gold = [s.statements for s in gold_sents]
    confident = [i for i, s in enumerate(gold_sents) if not s.uncertain]
    metrics = {
        "all": score(gold, predicted, n_resamples=n_resamples, seed=seed),
        "confident": score(
            [gold[i] for i in confident], [predicted[i] for i in confident], n_resamples=n_resamples, seed=seed
        ),
    }
    total = count_matrix(gold, predicted).sum(0)
    return EvalReport(
        model=predictor.name,
        suite=suite_info,
        metrics=metrics,
        per_stance={
            k: {m: v if m == "support" else _nan_to_none(v) for m, v in d.items()} for k, d in per_stance(total).items()
        },
        confusion=confusion(gold, predicted),
        counts={
            "sentences": len(gold_sents),
            "statements": sum(len(g) for g in gold),
            "confident_sentences": len(confident),
            "confident_statements": sum(len(gold[i]) for i in confident),
            "predicted_statements": sum(len(p) for p in predicted),
        },
        predictions=[
            {
                "doc_id": s.doc_id,
                "sent_index": s.sent_index,
                "text": s.text,
                "gold": [g.to_dict() for g in s.statements],
                "predicted": [p.to_dict() for p in pred],
            }
            for s, pred in zip(gold_sents, predicted, strict=True)
        ],
        thresholds=thresholds,
        provenance={
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "versions": library_versions(),
            "bootstrap": {"n_resamples": n_resamples, "seed": seed, "unit": "sentence", "confidence": 0.95},
        },
    )


def report_statements(
    report: EvalReport, *, subset: str = "all"
) -> tuple[list[list[Statement]], list[list[Statement]]]:
    """Gold and predicted statements per sentence, read back from a report."""
    gold = [_statements(p["gold"]) for p in report.predictions]
    pred = [_statements(p["predicted"]) for p in report.predictions]
    if subset == "confident":
        keep = [i for i, g in enumerate(gold) if not any(s.uncertain for s in g)]
        gold, pred = [gold[i] for i in keep], [pred[i] for i in keep]
    return gold, pred
