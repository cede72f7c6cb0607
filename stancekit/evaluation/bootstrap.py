"""Bootstrap confidence intervals and the paired bootstrap test.

>>> import numpy as np
>>> rows = np.array([[1.0], [0.0], [1.0], [1.0]])
>>> lo, hi = bootstrap_ci(rows, lambda t: t[0] / 4, n_resamples=200)
>>> 0.0 <= lo <= 0.75 <= hi <= 1.0
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _indices(n: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(n_resamples, n))


def bootstrap_ci(
    rows: np.ndarray,
    statistic: Callable[[np.ndarray], float],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile interval of ``statistic(sum of resampled rows)``; rows are sentences."""
    if len(rows) == 0:
        return float("nan"), float("nan")
    values = np.array([statistic(rows[idx].sum(0)) for idx in _indices(len(rows), n_resamples, seed)])
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    alpha = (1 - confidence) / 2
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))


def paired_bootstrap(
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    statistic: Callable[[np.ndarray], float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, float]:
    """Compare two systems on the same sentences by resampling the sentences jointly.

    Returns the observed difference ``b - a``, its confidence interval and the
    one-sided p-value that ``b`` is not better than ``a``.
    """
    if rows_a.shape != rows_b.shape:
        raise ValueError("paired rows must have the same shape")
    observed = statistic(rows_b.sum(0)) - statistic(rows_a.sum(0))
    diffs = np.array(
        [statistic(rows_b[i].sum(0)) - statistic(rows_a[i].sum(0)) for i in _indices(len(rows_a), n_resamples, seed)]
    )
    diffs = diffs[~np.isnan(diffs)]
    if len(diffs) == 0 or np.isnan(observed):
        nan = float("nan")
        return {"difference": nan, "ci_low": nan, "ci_high": nan, "p_value": nan, "n_resamples": 0}
    alpha = (1 - confidence) / 2
    return {
        "difference": float(observed),
        "ci_low": float(np.quantile(diffs, alpha)),
        "ci_high": float(np.quantile(diffs, 1 - alpha)),
        "p_value": float((np.sum(diffs <= 0) + 1) / (len(diffs) + 1)),
        "n_resamples": len(diffs),
    }
