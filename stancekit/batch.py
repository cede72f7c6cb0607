"""Analyse a large corpus in shards and chunks: streamed, resumable, safe to kill.

The corpus is a :class:`datasets.Dataset` / :class:`datasets.IterableDataset`, JSONL or Parquet
files (read through ``datasets`` in streaming mode, so nothing lands in the Arrow cache), or any
iterable of row dicts with ``doc_id``, ``sent_index`` and ``text``.

- **Sharded**: document ``d`` belongs to shard ``sha256(d) % num_shards``, so the jobs of a
  cluster job array (``--shard-index $SLURM_ARRAY_TASK_ID``) split the corpus between them,
  every sentence exactly once, and never split a document.
- **Streamed**: rows are read one at a time and documents are gathered into chunks of about
  ``chunk_size`` sentences; only one chunk is held in memory.
- **Resumable and atomic**: each chunk is written to its own JSONL file through a temporary file
  and a rename, then recorded in the shard's ``progress.json`` with a hash of its input. A rerun
  skips recorded chunks (and finished shards altogether); a killed job leaves complete files only.

A document's sentences must be contiguous in the input (one readout after another, as
``training/data/*.jsonl`` are); they are analysed together so that pronouns resolve within the
readout, with :meth:`StanceModel.predict <stancekit.modeling.StanceModel.predict>` (or any
:class:`~stancekit.predictor.Predictor`).

Examples:
    >>> import tempfile
    >>> from stancekit.baselines import load_baseline
    >>> rows = [{"doc_id": f"d{i}", "sent_index": 0, "text": "Li urged the EU to act."} for i in range(5)]
    >>> out = tempfile.mkdtemp()
    >>> result = analyze_batch(load_baseline("cues"), rows, BatchConfig(output_dir=out, chunk_size=2))
    >>> (result.documents, result.sentences, result.chunks)
    (5, 5, 3)
    >>> [s.doc_id for s in read_results(out)]
    ['d0', 'd1', 'd2', 'd3', 'd4']
    >>> analyze_batch(load_baseline("cues"), rows, BatchConfig(output_dir=out, chunk_size=2)).already_complete
    True
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancekit.atomic import write_text_atomic
from stancekit.errors import DataError, StancekitError
from stancekit.jsonl import write_sentences
from stancekit.predictor import Predictor
from stancekit.records import Sentence
from stancekit.settings import Settings, check

BATCH_FORMAT = 1
SETTINGS_FILE = "batch.json"
PROGRESS_FILE = "progress.json"
JSON_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz")
PARQUET_SUFFIXES = (".parquet",)


@dataclass
class BatchConfig(Settings):
    """Where results go and how the corpus is split. Unknown keys are rejected.

    Args:
        output_dir: folder of the results (``batch.json`` and one folder per shard).
        num_shards: number of jobs that split the corpus (a job array's size).
        shard_index: the shard this call analyses, ``0 <= shard_index < num_shards``.
        chunk_size: sentences per output file (documents are kept whole, so a chunk may hold more).
        text_column: column of the sentence text.
        doc_column: column of the document id; a document's rows must be contiguous.
        index_column: column of the sentence's position in its document; when the input
            has no such column, the row order within the document is used.
        cache_dir: ``datasets`` cache folder for reading files (streaming writes at most a lock there).

    Examples:
        >>> BatchConfig(output_dir="out", num_shards=4, shard_index=3).shard_name
        'shard-00003-of-00004'
        >>> BatchConfig.from_dict({"output_dir": "out", "num_shard": 2})
        Traceback (most recent call last):
        ...
        stancekit.errors.ConfigError: [E404] unknown configuration key: 'num_shard' (did you mean 'num_shards'?). Fix: remove the key or fix its spelling.
    """  # noqa: E501

    output_dir: str
    num_shards: int = 1
    shard_index: int = 0
    chunk_size: int = 1000
    text_column: str = "text"
    doc_column: str = "doc_id"
    index_column: str = "sent_index"
    cache_dir: str | None = None

    def __post_init__(self) -> None:
        checks = [
            (self.num_shards >= 1, f"num_shards = {self.num_shards}; use 1 or more"),
            (
                0 <= self.shard_index < self.num_shards,
                f"shard_index = {self.shard_index}; use 0 to {self.num_shards - 1} with {self.num_shards} shards",
            ),
            (self.chunk_size >= 1, f"chunk_size = {self.chunk_size}; use 1 or more"),
        ]
        check(checks, "E722")

    @property
    def shard_name(self) -> str:
        """Folder name of this shard's results, ``shard-IIIII-of-NNNNN``."""
        return f"shard-{self.shard_index:05d}-of-{self.num_shards:05d}"

    @property
    def shard_dir(self) -> Path:
        """Folder of this shard's chunk files and ``progress.json``."""
        return Path(self.output_dir) / self.shard_name


@dataclass
class ShardResult:
    """What one call of :func:`analyze_batch` did (totals cover earlier runs of the shard too)."""

    shard_index: int
    num_shards: int
    shard_dir: str
    chunks: int = 0
    chunks_skipped: int = 0
    documents: int = 0
    sentences: int = 0
    statements: int = 0
    already_complete: bool = False
    files: list[str] = field(default_factory=list)


@dataclass
class ChunkInfo:
    """One chunk as it is written or skipped (given to the ``on_chunk`` callback)."""

    index: int
    path: str
    documents: int
    sentences: int
    statements: int
    skipped: bool


def shard_of(doc_id: str, num_shards: int) -> int:
    """The shard a document belongs to: stable across runs, machines and Python versions.

    Examples:
        >>> shard_of("afr-002", 1)
        0
        >>> sorted({shard_of(f"doc-{i}", 3) for i in range(30)})
        [0, 1, 2]
    """
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % num_shards


# reading ---------------------------------------------------------------------------------------
def _expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        text = str(p)
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
        if not matches:
            raise DataError("E108", f"no file matches {text}")
        out += [Path(m) for m in matches]
    return out


def _file_rows(path: Path, columns: list[str], cache_dir: str | None) -> Iterator[dict]:
    import datasets

    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        builder = "json"
    elif name.endswith(PARQUET_SUFFIXES):
        builder = "parquet"
    else:
        raise DataError("E724", f"{path}", where=str(path))
    if not path.is_file():
        raise DataError("E108", str(path))
    ds = datasets.load_dataset(builder, data_files=[str(path)], split="train", streaming=True, cache_dir=cache_dir)
    yield from _dataset_rows(ds, columns)


def _dataset_rows(ds: Any, columns: list[str]) -> Iterator[dict]:
    names = getattr(ds, "column_names", None)
    doc, text = columns[0], columns[1]
    if names and doc in names and text in names:
        ds = ds.select_columns([c for c in columns if c in names])  # do not decode the other columns
    yield from ds


def iter_rows(source: Any, config: BatchConfig) -> Iterator[tuple[str, dict]]:
    """Rows of the corpus one at a time, each with a location for error messages.

    ``source`` is a ``datasets`` Dataset or IterableDataset, a JSONL/Parquet path, glob pattern or
    list of them, or an iterable of dicts.

    Examples:
        >>> [where for where, _ in iter_rows([{"text": "a"}, {"text": "b"}], BatchConfig(output_dir="o"))]
        ['row 1', 'row 2']
    """
    columns = [config.doc_column, config.text_column, config.index_column]
    if isinstance(source, (str, os.PathLike)):
        source = [source]
    if isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, os.PathLike)) for s in source):
        for path in _expand(source):
            for n, row in enumerate(_file_rows(path, columns, config.cache_dir), 1):
                yield f"{path} record {n}", row
        return
    if type(source).__module__.startswith("datasets"):
        source = _dataset_rows(source, columns)
    for n, row in enumerate(source, 1):
        yield f"row {n}", row


def _sentence(where: str, row: Any, position: int, config: BatchConfig) -> Sentence:
    if not isinstance(row, dict):
        raise DataError("E110", f"got {type(row).__name__}", where=where)
    for column in (config.doc_column, config.text_column):
        if row.get(column) is None:
            raise DataError("E101", f"{column!r} (columns: {', '.join(sorted(row))})", where=where)
    text, index = row[config.text_column], row.get(config.index_column, position)
    index = position if index is None else index
    if not isinstance(text, str) or isinstance(index, bool) or not isinstance(index, int):
        raise DataError(
            "E105", f"{config.text_column!r} must be a string and {config.index_column!r} an integer", where=where
        )
    return Sentence(str(row[config.doc_column]), index, text)


def iter_documents(rows: Iterable[tuple[str, dict]], config: BatchConfig) -> Iterator[list[Sentence]]:
    """The documents of this shard, one list of sentences (in ``sent_index`` order) at a time.

    Raises:
        DataError: E721 when a document's rows are not contiguous, E104 for a repeated
            ``(doc_id, sent_index)``, E101/E105 for a missing or mistyped column.

    Examples:
        >>> cfg = BatchConfig(output_dir="o")
        >>> rows = [("r1", {"doc_id": "a", "sent_index": 1, "text": "y"}), ("r2", {"doc_id": "a", "sent_index": 0, "text": "x"}),
        ...         ("r3", {"doc_id": "b", "text": "z"})]
        >>> [[s.text for s in doc] for doc in iter_documents(rows, cfg)]
        [['x', 'y'], ['z']]
    """  # noqa: E501
    seen: set[str] = set()
    current: list[Sentence] = []
    keys: dict[int, str] = {}

    def finish() -> list[Sentence]:
        return sorted(current, key=lambda s: s.sent_index)

    for where, row in rows:
        if not isinstance(row, dict) or row.get(config.doc_column) is None:
            _sentence(where, row, 0, config)  # raises: not an object, or no document id
        doc_id = str(row[config.doc_column])
        if shard_of(doc_id, config.num_shards) != config.shard_index:
            continue
        if current and doc_id != current[0].doc_id:
            yield finish()
            current, keys = [], {}
        if not current and doc_id in seen:
            raise DataError("E721", f"document {doc_id!r} starts again after other documents", where=where)
        sentence = _sentence(where, row, len(current), config)
        if sentence.sent_index in keys:
            raise DataError("E104", f"{sentence.key} already at {keys[sentence.sent_index]}", where=where)
        keys[sentence.sent_index] = where
        if not current:
            seen.add(sentence.doc_id)
        current.append(sentence)
    if current:
        yield finish()


def iter_chunks(documents: Iterable[list[Sentence]], chunk_size: int) -> Iterator[list[list[Sentence]]]:
    """Whole documents gathered until a chunk holds at least ``chunk_size`` sentences.

    Examples:
        >>> docs = [[Sentence("a", 0, "x"), Sentence("a", 1, "y")], [Sentence("b", 0, "z")], [Sentence("c", 0, "w")]]
        >>> [[d[0].doc_id for d in chunk] for chunk in iter_chunks(docs, 2)]
        [['a'], ['b', 'c']]
    """
    chunk: list[list[Sentence]] = []
    size = 0
    for doc in documents:
        chunk.append(doc)
        size += len(doc)
        if size >= chunk_size:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def chunk_digest(sentences: list[Sentence]) -> str:
    """Hash of a chunk's input, to check on resume that a finished chunk saw the same data."""
    h = hashlib.sha256()
    for s in sentences:
        h.update(json.dumps([s.doc_id, s.sent_index, s.text], ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


# bookkeeping -----------------------------------------------------------------------------------
def _model_id(model: Predictor) -> dict[str, Any]:
    config = getattr(model, "config", None) or {}
    return {
        "name": getattr(model, "name", type(model).__name__),
        "fingerprint": config.get("fingerprint") if isinstance(config, dict) else None,
        "threshold": getattr(model, "threshold", None),
        "backend": getattr(getattr(model, "backend", None), "name", None),
    }


def _settings(model: Predictor, config: BatchConfig) -> dict[str, Any]:
    """What every shard of one output folder must share."""
    return {
        "format": BATCH_FORMAT,
        "num_shards": config.num_shards,
        "chunk_size": config.chunk_size,
        "columns": {"doc": config.doc_column, "text": config.text_column, "index": config.index_column},
        "model": _model_id(model),
    }


def _check_settings(output: Path, settings: dict[str, Any]) -> None:
    path = output / SETTINGS_FILE
    if path.is_file():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            earlier = None
        if earlier != settings:
            diff = sorted(k for k in settings if not isinstance(earlier, dict) or earlier.get(k) != settings[k])
            raise StancekitError("E720", f"{path} differs in {', '.join(diff)}")
        return
    output.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(settings, indent=1, ensure_ascii=False))


@contextlib.contextmanager
def _shard_lock(shard_dir: Path) -> Iterator[None]:
    """One job per shard at a time (an OS lock: released even when the job is killed)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(shard_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StancekitError("E723", str(shard_dir)) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_progress(shard_dir: Path) -> dict[str, Any]:
    path = shard_dir / PROGRESS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"chunks": {}, "complete": False}
    return (
        data if isinstance(data, dict) and isinstance(data.get("chunks"), dict) else {"chunks": {}, "complete": False}
    )


def chunk_name(index: int) -> str:
    """File name of a chunk's results."""
    return f"chunk-{index:06d}.jsonl"


# the job ---------------------------------------------------------------------------------------
def analyze_batch(
    model: Predictor,
    source: Any,
    config: BatchConfig,
    *,
    on_chunk: Callable[[ChunkInfo], None] | None = None,
) -> ShardResult:
    """Analyse shard ``config.shard_index`` of ``source`` and write its chunk files.

    Each chunk's results (ANNOTATION.md records with the predicted statements, one sentence per
    line, in input order) go to ``OUTPUT/shard-IIIII-of-NNNNN/chunk-CCCCCC.jsonl``. Rerunning
    the same command skips finished chunks and finished shards.

    Args:
        model: a :class:`~stancekit.modeling.StanceModel` (or any predictor).
        source: see :func:`iter_rows`.
        config: output folder, sharding and column names.
        on_chunk: called after each chunk is written or skipped (for progress output).

    Raises:
        StancekitError: E720 when the output folder holds results made with other settings,
            another model or other input; E723 when another job is writing the same shard;
            DataError for bad input rows (E101, E104, E105, E721, E724).
    """
    out = Path(config.output_dir)
    shard_dir = config.shard_dir
    _check_settings(out, _settings(model, config))
    shard_dir.mkdir(parents=True, exist_ok=True)
    result = ShardResult(config.shard_index, config.num_shards, str(shard_dir))
    with _shard_lock(shard_dir):
        progress = _read_progress(shard_dir)
        if progress.get("complete"):
            result.already_complete = True
            _add_totals(result, progress, shard_dir)
            return result
        for stale in shard_dir.glob(".*.tmp"):  # temporary files of a killed run of this shard
            stale.unlink(missing_ok=True)
        progress["complete"] = False
        documents = iter_documents(iter_rows(source, config), config)
        n_chunks = 0
        for k, chunk in enumerate(iter_chunks(documents, config.chunk_size)):
            n_chunks = k + 1
            sentences = [s for doc in chunk for s in doc]
            digest = chunk_digest(sentences)
            path = shard_dir / chunk_name(k)
            entry = progress["chunks"].get(str(k))
            if entry and path.is_file():
                if entry.get("sha256") != digest:
                    raise StancekitError("E720", f"the input of {path} changed since it was written")
                info = ChunkInfo(k, str(path), entry["documents"], entry["sentences"], entry["statements"], True)
            else:
                predicted = model.predict(sentences)
                if len(predicted) != len(sentences):
                    raise StancekitError(
                        "E200",
                        f"{getattr(model, 'name', model)} returned {len(predicted)} results for {len(sentences)}",
                    )
                write_sentences(
                    path,
                    (
                        Sentence(s.doc_id, s.sent_index, s.text, list(p))
                        for s, p in zip(sentences, predicted, strict=True)
                    ),
                )
                info = ChunkInfo(k, str(path), len(chunk), len(sentences), sum(len(p) for p in predicted), False)
                progress["chunks"][str(k)] = {
                    "file": path.name,
                    "sha256": digest,
                    "documents": info.documents,
                    "sentences": info.sentences,
                    "statements": info.statements,
                }
                write_text_atomic(shard_dir / PROGRESS_FILE, json.dumps(progress, indent=1))
            result.chunks_skipped += info.skipped
            if on_chunk:
                on_chunk(info)
        progress["chunks"] = {k: v for k, v in progress["chunks"].items() if int(k) < n_chunks}
        for path in shard_dir.glob("chunk-*.jsonl"):  # left by an earlier, interrupted run on longer input
            if path.name not in {entry["file"] for entry in progress["chunks"].values()}:
                path.unlink(missing_ok=True)
        progress["complete"] = True
        write_text_atomic(shard_dir / PROGRESS_FILE, json.dumps(progress, indent=1))
    _add_totals(result, progress, shard_dir)
    return result


def _add_totals(result: ShardResult, progress: dict[str, Any], shard_dir: Path) -> None:
    chunks = sorted(progress["chunks"].items(), key=lambda kv: int(kv[0]))
    result.chunks = len(chunks)
    for _, entry in chunks:
        result.documents += entry["documents"]
        result.sentences += entry["sentences"]
        result.statements += entry["statements"]
        result.files.append(str(shard_dir / entry["file"]))


def read_results(output_dir: str | os.PathLike) -> Iterator[Sentence]:
    """The analysed sentences of every finished chunk, shard by shard and chunk by chunk.

    For a ``datasets`` view of the same files:
    ``datasets.load_dataset("json", data_files=f"{output_dir}/shard-*/chunk-*.jsonl", split="train")``.
    """
    from stancekit.jsonl import read_sentences

    for shard_dir in sorted(Path(output_dir).glob("shard-*-of-*")):
        progress = _read_progress(shard_dir)
        for _, entry in sorted(progress["chunks"].items(), key=lambda kv: int(kv[0])):
            yield from read_sentences(shard_dir / entry["file"])
