"""The ``stancekit`` command line: a thin layer over the library (one module per command)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import typer

from stancekit.cli import (
    analyze,
    batch,
    compare,
    corpus,
    demo,
    evaluate,
    export_onnx,
    interop,
    suggest,
    train,
    validate,
)

app = typer.Typer(
    name="stancekit",
    help="Who demanded, conceded and criticised what: speaker and stance in diplomatic readouts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _user_errors(fn: Callable) -> Callable:
    """Turn a :class:`StancekitError` into a message on stderr and its exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from stancekit.errors import StancekitError

        try:
            return fn(*args, **kwargs)
        except StancekitError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


for _name, _fn in (
    ("validate", validate.validate_cli),
    ("eval", evaluate.eval_cli),
    ("compare-reports", evaluate.compare_reports_cli),
    ("train", train.train_cli),
    ("analyze", analyze.analyze_cli),
    ("analyze-batch", batch.analyze_batch_cli),
    ("export-onnx", export_onnx.export_cli),
    ("compare", compare.compare_cli),
    ("corpus-stats", corpus.corpus_stats_cli),
    ("demo", demo.demo_cli),
    ("import", interop.import_cli),
    ("export", interop.export_cli),
    ("suggest", suggest.suggest_cli),
):
    app.command(_name)(_user_errors(_fn))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
