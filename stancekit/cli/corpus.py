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
    from stancekit.errors import DataError
    from stancekit.jsonl import read_sentences

    folder = training_data_dir()
    files = files or [folder / "train.jsonl", folder / "dev.jsonl"]
    sentences = [s for f in files for s in read_sentences(f)]
    docs_file = documents or (files[0].parent / "documents.jsonl")
    docs = None
    if docs_file.is_file():
        ids = {s.doc_id for s in sentences}
        docs = []
        for n, line in enumerate(docs_file.read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except ValueError as exc:
                raise DataError.at("E100", str(docs_file), n, detail=str(exc)) from None
            if not isinstance(doc, dict) or not {"doc_id", "topic", "register"} <= doc.keys():
                raise DataError.at("E101", str(docs_file), n, detail="a document needs doc_id, topic and register")
            if doc["doc_id"] in ids:
                docs.append(doc)
    typer.echo(json.dumps(corpus_stats(sentences, docs), indent=1))
