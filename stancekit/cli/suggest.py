"""``stancekit suggest FILE... --model DIR``: the unlabelled sentences most worth labelling next."""

from __future__ import annotations

from pathlib import Path

import typer


def suggest_cli(
    files: list[Path] = typer.Argument(..., help="Raw readout text files or JSONL (doc_id, sent_index, text)."),
    model: Path = typer.Option(..., "--model", help="A trained stancekit model folder."),
    top: int = typer.Option(20, "--top", help="How many sentences to suggest."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, labelstudio or doccano (with pre-annotations)."),
    diversity: float = typer.Option(0.3, "--diversity", help="0 = rank by uncertainty only, up to 1 = much variety."),
    exclude: list[Path] = typer.Option(
        [], "--exclude", help="Annotated JSONL, repeatable: skip sentences already labelled there."
    ),
) -> None:
    """Rank sentences by model uncertainty (with variety) and write the top ones ready for annotation."""
    from stancekit.cli.analyze import load_inputs
    from stancekit.errors import StancekitError, did_you_mean
    from stancekit.jsonl import read_sentences
    from stancekit.modeling import StanceModel
    from stancekit.suggest import FORMATS, SuggestConfig, suggest, write_suggestions

    if fmt not in FORMATS:
        raise StancekitError("E713", f"--format {fmt!r}; use one of {', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}")
    config = SuggestConfig(top=top, diversity=diversity)
    sentences = [s for r in load_inputs(files) for s in r.sentences]
    done = [s for path in exclude for s in read_sentences(path)]
    stance_model = StanceModel.from_pretrained(model)
    found = suggest(sentences, stance_model, config=config, exclude=done)
    write_suggestions(output, found, fmt=fmt, model_version=stance_model.name)
    typer.echo(f"{output}: {len(found)} of {len(sentences)} sentence(s), most uncertain first")
