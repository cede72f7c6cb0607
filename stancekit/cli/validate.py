"""``stancekit validate FILE...``: report every problem in annotated JSONL files."""

from __future__ import annotations

from pathlib import Path

import typer


def validate_cli(files: list[Path] = typer.Argument(..., help="JSONL files of annotated sentences.")) -> None:
    """Check files against the record format; print every problem and exit non-zero if any."""
    from stancekit.errors import DataError
    from stancekit.validation import validate_file

    total = 0
    for path in files:
        problems = validate_file(path)
        total += len(problems)
        for p in problems:
            typer.echo(str(p), err=True)
        if not problems:
            typer.echo(f"{path}: ok")
    if total:
        typer.echo(f"{total} problem(s) found", err=True)
        raise typer.Exit(DataError.exit_code)
