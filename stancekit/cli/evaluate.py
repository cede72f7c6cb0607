"""``stancekit eval`` and ``stancekit compare-reports``."""

from __future__ import annotations

from pathlib import Path

import typer


def load_predictor(spec: str, *, threshold: float | None = None, backend: str = "auto", data: str = "seed"):
    """``baseline:NAME``, ``oracle:speakers`` (on the gold of ``data``) or a model folder (on
    ``backend``: auto, torch or onnx)."""
    from stancekit.baselines import load_baseline
    from stancekit.errors import EvalError

    if spec.startswith("baseline:"):
        return load_baseline(spec)
    if spec.startswith("oracle:"):
        from stancekit.evaluation.oracle import load_oracle

        return load_oracle(spec, data)
    if not Path(spec).is_dir():
        raise EvalError("E200", f"{spec!r} is neither baseline:NAME, oracle:speakers nor a model folder")
    from stancekit.modeling import StanceModel

    return StanceModel.from_pretrained(spec, threshold=threshold, backend=backend)


def _parse_min(values: list[str]) -> dict[str, float]:
    from stancekit.errors import EvalError, did_you_mean
    from stancekit.evaluation import METRICS

    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or not 0 <= number <= 1:
            raise EvalError("E206", repr(item))
        if name not in METRICS:
            raise EvalError("E203", f"{name!r}{did_you_mean(name, METRICS)}")
        out[name] = number
    return out


def eval_cli(
    model: str = typer.Option(
        ..., "--model", help="Model folder, baseline:none|cues|tfidf, or oracle:speakers (gold spans, resolved)."
    ),
    data: str = typer.Option("seed", "--data", help="Suite name, suite YAML, or JSONL file."),
    output: Path | None = typer.Option(None, "--output", help="Write the JSON report here."),
    minimum: list[str] = typer.Option([], "--min", help="METRIC=VALUE; exit non-zero below it. Repeatable."),
    strict: bool = typer.Option(False, "--strict", help="Also enforce the suite's own thresholds."),
    subset: str = typer.Option("all", "--subset", help="Statements the thresholds apply to: all or confident."),
    resamples: int = typer.Option(1000, "--resamples", help="Bootstrap resamples."),
    threshold: float | None = typer.Option(None, "--threshold", help="Confidence threshold of a model."),
    backend: str = typer.Option("auto", "--backend", help="auto, torch (full precision) or onnx (exported)."),
) -> None:
    """Evaluate a model or baseline, print the report, and fail on unmet thresholds."""
    from stancekit.errors import EvalError
    from stancekit.evaluation import evaluate
    from stancekit.render import print_report

    if subset not in {"all", "confident"}:
        from stancekit.errors import StancekitError

        raise StancekitError("E502", f"--subset {subset!r}; use all or confident")
    minimums = _parse_min(minimum)
    predictor = load_predictor(model, threshold=threshold, backend=backend, data=data)
    report = evaluate(predictor, data, n_resamples=resamples)
    if not strict:
        report.thresholds = {}
    if output:
        report.save(output)
    print_report(report)
    failed = report.failures(minimums, subset=subset)
    if failed:
        raise EvalError("E204", "; ".join(failed))


def compare_reports_cli(
    baseline: Path = typer.Argument(..., help="Report of the reference system (A)."),
    candidate: Path = typer.Argument(..., help="Report of the new system (B)."),
    subset: str = typer.Option("all", "--subset"),
    resamples: int = typer.Option(2000, "--resamples"),
) -> None:
    """Paired bootstrap: is B better than A on the same sentences?"""
    from stancekit.evaluation import EvalReport, compare_reports
    from stancekit.render import print_comparison

    a, b = EvalReport.load(baseline), EvalReport.load(candidate)
    print_comparison(a, b, compare_reports(a, b, subset=subset, n_resamples=resamples))
