"""``stancekit import`` and ``stancekit export``: annotation tools and event data.

``import`` reads a Label Studio JSON or doccano JSONL export and writes validated stancekit
JSONL; ``export`` turns stancekit records (e.g. ``stancekit analyze --format jsonl``) into
pre-annotations for Label Studio or doccano, or into PLOVER / CAMEO event data.
"""

from __future__ import annotations

from pathlib import Path

import typer


def _format(value: str, allowed: tuple[str, ...], option: str) -> str:
    from stancekit.errors import StancekitError, did_you_mean

    key = value.lower().replace("-", "").replace("_", "")
    if key not in allowed:
        raise StancekitError("E713", f"{option} {value!r}; use one of {', '.join(allowed)}{did_you_mean(key, allowed)}")
    return key


def import_cli(
    file: Path = typer.Argument(..., help="A Label Studio JSON export or a doccano JSONL export."),
    source: str = typer.Option(..., "--from", help="labelstudio or doccano."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the stancekit JSONL."),
    predictions: bool = typer.Option(
        False, "--predictions", help="Read the pre-annotations (with confidence) instead of the annotations."
    ),
    registry: Path | None = typer.Option(
        None, "--registry", help="Actor registry JSON used for actors, parties and targets left empty."
    ),
) -> None:
    """Convert annotations to stancekit records, validated so that they load (`stancekit validate`)."""
    from stancekit.interop import TOOLS, read_doccano, read_labelstudio
    from stancekit.jsonl import write_sentences

    tool = _format(source, TOOLS, "--from")
    reg = None
    if registry is not None:
        from stancekit.registry import ActorRegistry

        reg = ActorRegistry.from_file(registry)
    reader = read_labelstudio if tool == "labelstudio" else read_doccano
    result = reader(file, predictions=predictions, registry=reg)
    write_sentences(output, result.sentences)
    n = sum(len(s.statements) for s in result.sentences)
    typer.echo(f"{output}: {len(result.sentences)} sentence(s), {n} statement(s)")
    if result.skipped:
        typer.echo(f"left out {len(result.skipped)} task(s) without a submitted annotation", err=True)


def _dates(values: list[str]) -> dict[str, str]:
    from stancekit.errors import StancekitError

    out = {}
    for value in values:
        doc_id, sep, day = value.rpartition("=")
        if not sep or not doc_id:
            raise StancekitError("E601", f"--date {value!r}; write DOC_ID=YYYY-MM-DD")
        out[doc_id] = day
    return out


def export_cli(
    predictions: Path = typer.Argument(..., help="stancekit JSONL records (e.g. `stancekit analyze --format jsonl`)."),
    target: str = typer.Option(..., "--to", help="labelstudio, doccano, plover or cameo."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
    model_version: str = typer.Option("stancekit", "--model-version", help="Label Studio prediction model_version."),
    as_annotations: bool = typer.Option(
        False, "--as-annotations", help="Label Studio: write the statements as annotations to review (gold data)."
    ),
    date: list[str] = typer.Option(
        [], "--date", help="DOC_ID=YYYY-MM-DD, repeatable: event dates for plover and cameo."
    ),
) -> None:
    """Write pre-annotations (labelstudio JSON, doccano JSONL) or events (plover JSONL, cameo TSV)."""
    from stancekit.interop import EXPORT_FORMATS, write_cameo, write_doccano, write_labelstudio, write_plover
    from stancekit.jsonl import read_sentences

    fmt = _format(target, EXPORT_FORMATS, "--to")
    dates = _dates(date)
    sentences = read_sentences(predictions)
    if fmt == "labelstudio":
        write_labelstudio(output, sentences, model_version=model_version, as_annotations=as_annotations)
    elif fmt == "doccano":
        write_doccano(output, sentences)
    elif fmt == "plover":
        write_plover(output, sentences, dates=dates)
    else:
        write_cameo(output, sentences, dates=dates)
    n = sum(len(s.statements) for s in sentences)
    typer.echo(f"{output}: {len(sentences)} sentence(s), {n} statement(s) as {fmt}")
