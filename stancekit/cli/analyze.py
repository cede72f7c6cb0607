"""``stancekit analyze FILE...``: find statements in raw readouts or JSONL sentences."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def load_inputs(paths: list[Path]):
    """Readouts from raw text files (one readout each) and JSONL files (grouped by doc_id).

    Raises:
        StancekitError: an unreadable file (E501); in JSONL, a line without doc_id, sent_index
            and text (E101), a repeated (doc_id, sent_index) (E104) or invalid Unicode (E112).
    """
    from stancekit.errors import DataError, StancekitError
    from stancekit.records import Sentence, group_readouts
    from stancekit.splitting import encodable, split_readout

    readouts = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StancekitError("E501", f"{path}: {exc}") from exc
        if path.suffix == ".jsonl":
            sentences = []
            seen: dict[tuple[str, int], int] = {}
            # "\n" only: JSON strings may hold U+2028, U+2029 and U+0085, where str.splitlines() breaks
            for n, line in enumerate(text.split("\n"), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    sentence = Sentence(str(rec["doc_id"]), int(rec["sent_index"]), str(rec["text"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise DataError.at("E101", str(path), n, detail=f"need doc_id, sent_index, text ({exc})") from None
                if encodable(sentence.text) != sentence.text:
                    raise DataError.at("E112", str(path), n, detail="the text holds a lone surrogate escape")
                if sentence.key in seen:
                    raise DataError.at(
                        "E104", str(path), n, detail=f"{sentence.key} already on line {seen[sentence.key]}"
                    )
                seen[sentence.key] = n
                sentences.append(sentence)
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
    import warnings

    from stancekit.errors import StancekitError
    from stancekit.jsonl import dumps_sentence
    from stancekit.modeling import StanceModel

    if fmt not in {"table", "json", "jsonl"}:
        raise StancekitError("E502", f"--format {fmt!r}; use table, json or jsonl")
    readouts = load_inputs(files)
    stance_model = StanceModel.from_pretrained(model, threshold=threshold)
    analysed = []
    for r in readouts:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            analysed.append(stance_model.analyze(r))
        for w in caught:  # e.g. a readout that is not English: one line, no source location
            typer.secho(f"warning: {w.message}", err=True, fg="yellow")
    if fmt == "jsonl":
        for r in analysed:
            for s in r.sentences:
                typer.echo(dumps_sentence(s))
    elif fmt == "json":
        typer.echo(json.dumps([r.to_dict() for r in analysed], ensure_ascii=False, indent=1))
    else:
        from stancekit.render import print_readouts

        print_readouts(analysed)
