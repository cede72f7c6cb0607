"""``stancekit corpus-stats``: statistics of annotated JSONL files."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def corpus_stats_cli(
    files: list[Path] = typer.Argument(None, help="JSONL files (default: the bundled train and dev splits)."),
    documents: Path | None = typer.Option(None, "--documents", help="documents.jsonl with topics and registers."),
) -> None:
    """Print documents, sentences, statements per stance, speakers, parties, topics, cues, hard cases."""
    from stancekit.baselines import training_data_dir
    from stancekit.corpus import corpus_stats
    from stancekit.jsonl import read_sentences

    folder = training_data_dir()
    files = files or [folder / "train.jsonl", folder / "dev.jsonl"]
    sentences = [s for f in files for s in read_sentences(f)]
    docs_file = documents or (files[0].parent / "documents.jsonl")
    docs = None
    if docs_file.is_file():
        ids = {s.doc_id for s in sentences}
        docs = [d for d in map(json.loads, docs_file.read_text(encoding="utf-8").splitlines()) if d["doc_id"] in ids]
    typer.echo(json.dumps(corpus_stats(sentences, docs), indent=1))
