"""Is model B really better than model A? A paired bootstrap over the same sentences.

>>> from stancekit.baselines import load_baseline
>>> from stancekit.evaluation.harness import evaluate
>>> a = evaluate(load_baseline("none"), "seed", n_resamples=20)
>>> b = evaluate(load_baseline("cues"), "seed", n_resamples=20)
>>> result = compare_reports(a, b, n_resamples=200)
>>> result["statement_macro_f1"]["difference"] > 0
True
"""

from __future__ import annotations

from stancekit.errors import EvalError
from stancekit.evaluation.bootstrap import paired_bootstrap
from stancekit.evaluation.harness import EvalReport, count_matrix, report_statements
from stancekit.evaluation.metrics import METRICS, metrics_from_counts


def compare_reports(
    a: EvalReport,
    b: EvalReport,
    *,
    metrics: tuple[str, ...] = METRICS,
    subset: str = "all",
    n_resamples: int = 2000,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, dict[str, float | bool]]:
    """Paired bootstrap of ``b - a`` for each metric; ``significant`` when p < alpha.

    Raises:
        EvalError: when the reports were not made on the same sentences and gold.
    """
    keys_a = [(p["doc_id"], p["sent_index"], p["text"], p["gold"]) for p in a.predictions]
    keys_b = [(p["doc_id"], p["sent_index"], p["text"], p["gold"]) for p in b.predictions]
    if keys_a != keys_b:
        raise EvalError("E205", f"{a.model} on {a.suite.get('name')} vs {b.model} on {b.suite.get('name')}")
    gold, pred_a = report_statements(a, subset=subset)
    _, pred_b = report_statements(b, subset=subset)
    rows_a, rows_b = count_matrix(gold, pred_a), count_matrix(gold, pred_b)
    out = {}
    for name in metrics:
        res = paired_bootstrap(
            rows_a, rows_b, lambda t, n=name: metrics_from_counts(t)[n], n_resamples=n_resamples, seed=seed
        )
        out[name] = {**res, "significant": bool(res["p_value"] < alpha and res["difference"] > 0)}
    return out
