"""``stancekit analyze-batch``: analyse a large corpus shard by shard, resumably."""

from __future__ import annotations

from pathlib import Path

import typer


def analyze_batch_cli(
    inputs: list[str] = typer.Argument(..., help="JSONL or Parquet files (glob patterns allowed), one row a sentence."),
    model: str = typer.Option(..., "--model", help="A trained stancekit model folder (or baseline:NAME)."),
    output: Path = typer.Option(..., "--output", help="Results folder (batch.json and one folder per shard)."),
    num_shards: int = typer.Option(1, "--num-shards", help="Number of jobs that split the corpus."),
    shard_index: int = typer.Option(0, "--shard-index", help="This job's shard, 0 to --num-shards - 1."),
    chunk_size: int = typer.Option(1000, "--chunk-size", help="Sentences per output file (documents stay whole)."),
    text_column: str = typer.Option("text", "--text-column"),
    doc_column: str = typer.Option("doc_id", "--doc-column", help="Document id; a document's rows must be together."),
    index_column: str = typer.Option("sent_index", "--index-column", help="Sentence position (row order if absent)."),
    threshold: float | None = typer.Option(None, "--threshold", help="Minimum confidence of a statement."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="datasets cache folder (streaming barely uses it)."
    ),
    backend: str = typer.Option("auto", "--backend", help="auto (ONNX if exported, else torch), torch or onnx."),
    quiet: bool = typer.Option(False, "--quiet", help="Print only the summary line."),
) -> None:
    """Find statements in a large corpus: sharded for job arrays, streamed, resumable.

    Rerun the same command after a crash or a kill: finished chunks and shards are skipped.
    """
    from stancekit.batch import BatchConfig, ChunkInfo, analyze_batch
    from stancekit.cli.evaluate import load_predictor

    config = BatchConfig(
        output_dir=str(output),
        num_shards=num_shards,
        shard_index=shard_index,
        chunk_size=chunk_size,
        text_column=text_column,
        doc_column=doc_column,
        index_column=index_column,
        cache_dir=str(cache_dir) if cache_dir else None,
    )
    predictor = load_predictor(model, threshold=threshold, backend=backend)

    def report(info: ChunkInfo) -> None:
        if not quiet:
            state = "skipped (done earlier)" if info.skipped else "written"
            typer.echo(f"{info.path}: {info.sentences} sentences, {info.statements} statements, {state}")

    result = analyze_batch(predictor, inputs, config, on_chunk=report)
    done = "already complete" if result.already_complete else f"{result.chunks - result.chunks_skipped} chunks written"
    typer.echo(
        f"shard {result.shard_index + 1}/{result.num_shards}: {result.documents} documents, "
        f"{result.sentences} sentences, {result.statements} statements in {result.chunks} chunks "
        f"({done}) -> {result.shard_dir}"
    )
