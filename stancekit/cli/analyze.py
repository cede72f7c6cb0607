"""``stancekit analyze FILE...``: find statements in raw readouts or JSONL sentences, streamed."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def load_inputs(paths: list[Path]):
    """All readouts of raw text files and JSONL files, as a list (see :func:`stancekit.inputs.iter_readouts`)."""
    from stancekit.inputs import iter_readouts

    return list(iter_readouts(paths))


def analyze_cli(
    files: list[Path] = typer.Argument(..., help="Raw readout text files or JSONL of sentences."),
    model: Path = typer.Option(..., "--model", help="A trained stancekit model folder."),
    fmt: str = typer.Option("table", "--format", help="table, json or jsonl."),
    threshold: float | None = typer.Option(None, "--threshold", help="Minimum confidence."),
    backend: str = typer.Option(
        "auto", "--backend", help="auto (ONNX if exported, else torch), torch (full precision) or onnx."
    ),
) -> None:
    """Print each statement found; ``jsonl`` is the ANNOTATION.md record format.

    Inputs are checked first, then analysed and printed readout by readout, so memory
    stays flat on large inputs.
    """
    import warnings

    from stancekit.errors import StancekitError
    from stancekit.inputs import iter_readouts
    from stancekit.jsonl import dumps_sentence
    from stancekit.modeling import StanceModel

    if fmt not in {"table", "json", "jsonl"}:
        raise StancekitError("E502", f"--format {fmt!r}; use table, json or jsonl")
    readouts = iter_readouts(files)
    first = next(readouts, None)  # checks every input before the model loads or anything is printed
    stance_model = StanceModel.from_pretrained(model, threshold=threshold, backend=backend)
    if first is None:
        if fmt == "json":
            typer.echo("[]")
        return

    def chained():
        yield first
        yield from readouts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        console = None
        for n, readout in enumerate(stance_model.analyze_stream(chained())):
            for w in caught:  # e.g. a readout that is not English: one line, no source location
                typer.secho(f"warning: {w.message}", err=True, fg="yellow")
            caught.clear()
            if fmt == "jsonl":
                if readout.sentences:
                    typer.echo("\n".join(dumps_sentence(s) for s in readout.sentences))
            elif fmt == "json":
                body = json.dumps(readout.to_dict(), ensure_ascii=False, indent=1)
                typer.echo(("[" if n == 0 else ",") + body)
            else:
                from rich.console import Console

                from stancekit.render import print_readouts

                console = console or Console()
                print_readouts([readout], console)
        for w in caught:
            typer.secho(f"warning: {w.message}", err=True, fg="yellow")
    if fmt == "json":
        typer.echo("]")
