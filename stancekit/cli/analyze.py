"""``stancekit analyze FILE...``: find statements in raw readouts or JSONL sentences."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def load_inputs(paths: list[Path]):
    """Readouts from raw text files (one readout each) and JSONL files (grouped by doc_id)."""
    from stancekit.errors import DataError, StancekitError
    from stancekit.records import Sentence, group_readouts
    from stancekit.splitting import split_readout

    readouts = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StancekitError("E501", f"{path}: {exc}") from exc
        if path.suffix == ".jsonl":
            sentences = []
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    sentences.append(Sentence(str(rec["doc_id"]), int(rec["sent_index"]), str(rec["text"])))
                except (ValueError, KeyError, TypeError) as exc:
                    raise DataError.at("E101", str(path), n, detail=f"need doc_id, sent_index, text ({exc})")
            readouts += group_readouts(sentences)
        else:
            readouts.append(split_readout(text, path.stem))
    return readouts


def analyze_cli(
    files: list[Path] = typer.Argument(..., help="Raw readout text files or JSONL of sentences."),
    model: Path = typer.Option(..., "--model", help="A trained stancekit model folder."),
    fmt: str = typer.Option("table", "--format", help="table, json or jsonl."),
    threshold: float | None = typer.Option(None, "--threshold", help="Minimum confidence."),
) -> None:
    """Print each statement found; ``jsonl`` is the ANNOTATION.md record format."""
    from stancekit.errors import StancekitError
    from stancekit.jsonl import dumps_sentence
    from stancekit.modeling import StanceModel

    if fmt not in {"table", "json", "jsonl"}:
        raise StancekitError("E502", f"--format {fmt!r}; use table, json or jsonl")
    readouts = load_inputs(files)
    stance_model = StanceModel.from_pretrained(model, threshold=threshold)
    analysed = [stance_model.analyze(r) for r in readouts]
    if fmt == "jsonl":
        for r in analysed:
            for s in r.sentences:
                typer.echo(dumps_sentence(s))
    elif fmt == "json":
        typer.echo(json.dumps([r.to_dict() for r in analysed], ensure_ascii=False, indent=1))
    else:
        from stancekit.render import print_readouts

        print_readouts(analysed)
