"""The evaluation harness: suites, metrics with bootstrap intervals, paired comparison.

>>> from stancekit.evaluation import METRICS
>>> "statement_macro_f1" in METRICS
True
"""

from stancekit.evaluation.harness import EvalReport, evaluate, score
from stancekit.evaluation.metrics import METRICS, normalize_name
from stancekit.evaluation.paired import compare_reports
from stancekit.evaluation.suites import Suite, available_suites, load_suite

__all__ = [
    "METRICS",
    "EvalReport",
    "Suite",
    "available_suites",
    "compare_reports",
    "evaluate",
    "load_suite",
    "normalize_name",
    "score",
]
