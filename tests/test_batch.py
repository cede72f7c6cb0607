"""Batch analysis (stancekit.batch): sharding, streaming, resuming, atomic output, whole documents."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stancekit.baselines import load_baseline
from stancekit.batch import BatchConfig, analyze_batch, iter_documents, iter_rows, read_results, shard_of
from stancekit.errors import ConfigError, DataError, StancekitError
from tests.conftest import ROOT, TINY

DEV = ROOT / "training" / "data" / "dev.jsonl"


def _rows(n: int = 120) -> list[dict]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()[:n]]
    return [{"doc_id": r["doc_id"], "sent_index": r["sent_index"], "text": r["text"]} for r in rows]


def _jsonl(tmp_path: Path, rows: list[dict], name: str = "corpus.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _cfg(tmp_path: Path, **kwargs) -> BatchConfig:
    """A config whose ``datasets`` cache (for reading files) is a temporary folder, never ~/.cache."""
    return BatchConfig(cache_dir=str(tmp_path / "cache"), **kwargs)


class Counting:
    """The cues baseline, counting its calls; optionally failing at one call (a crash mid-run)."""

    name = "baseline:cues"

    def __init__(self, fail_at: int | None = None) -> None:
        self.inner, self.calls, self.fail_at = load_baseline("cues"), 0, fail_at

    def predict(self, sentences):
        self.calls += 1
        if self.calls == self.fail_at:
            raise RuntimeError("job killed")
        return self.inner.predict(sentences)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("shard-*/chunk-*.jsonl"))}


def _chunks_by_doc(out: Path) -> dict[str, set[str]]:
    where = collections.defaultdict(set)
    for path in out.glob("shard-*/chunk-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            where[json.loads(line)["doc_id"]].add(str(path))
    return where


@pytest.mark.parametrize("num_shards", [1, 3])
def test_shards_cover_every_sentence_once_and_never_split_a_document(tmp_path, num_shards):
    rows = _rows()
    corpus = _jsonl(tmp_path, rows)
    out = tmp_path / "out"
    results = [
        analyze_batch(
            load_baseline("cues"),
            corpus,
            BatchConfig(
                output_dir=str(out), num_shards=num_shards, shard_index=i, chunk_size=10, cache_dir=str(tmp_path)
            ),
        )
        for i in range(num_shards)
    ]
    got = [s.key for s in read_results(out)]
    assert collections.Counter(got) == collections.Counter((r["doc_id"], r["sent_index"]) for r in rows)
    assert sum(r.sentences for r in results) == len(rows)
    assert sum(r.documents for r in results) == len({r["doc_id"] for r in rows})
    # a document lives in exactly one chunk file (so in one shard), in sentence order
    assert all(len(files) == 1 for files in _chunks_by_doc(out).values())
    for doc_id, files in _chunks_by_doc(out).items():
        assert f"shard-{shard_of(doc_id, num_shards):05d}-of-{num_shards:05d}" in next(iter(files))
    if num_shards == 3:
        assert all(r.sentences > 0 for r in results)  # the hash spreads these documents over all shards
    # the model saw whole readouts: statements equal those of the baseline on each document alone
    whole = {s.key: s.statements for s in read_results(out)}
    for doc in iter_documents(iter_rows(rows, BatchConfig(output_dir="x")), BatchConfig(output_dir="x")):
        expected = load_baseline("cues").predict(doc)
        assert [whole[s.key] for s in doc] == expected


def test_datasets_and_parquet_inputs_give_the_jsonl_results(tmp_path):
    datasets = pytest.importorskip("datasets")
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _rows(60)
    # the shard of the first document, so that the shard compared is never empty whatever the corpus order
    shard = shard_of(rows[0]["doc_id"], 2)
    cfg = {"num_shards": 2, "shard_index": shard, "chunk_size": 7, "cache_dir": str(tmp_path / "cache")}
    outputs = {}
    sources = {
        "jsonl": _jsonl(tmp_path, rows),
        "dataset": datasets.Dataset.from_list(rows),
        "iterable": datasets.Dataset.from_list(rows).to_iterable_dataset(num_shards=1),
        "parquet": tmp_path / "corpus.parquet",
    }
    pq.write_table(pa.Table.from_pylist(rows), sources["parquet"])
    for name, source in sources.items():
        out = tmp_path / name
        analyze_batch(load_baseline("cues"), source, BatchConfig(output_dir=str(out), **cfg))
        outputs[name] = _files(out)
    assert outputs["jsonl"]
    assert outputs["dataset"] == outputs["jsonl"] == outputs["parquet"] == outputs["iterable"]


def test_resume_skips_finished_chunks_and_gives_identical_output(tmp_path):
    corpus = _jsonl(tmp_path, _rows())
    clean = tmp_path / "clean"
    analyze_batch(
        load_baseline("cues"),
        corpus,
        _cfg(tmp_path, output_dir=str(clean), chunk_size=10),
    )
    n_chunks = len(_files(clean))
    assert n_chunks >= 4

    out = tmp_path / "out"
    cfg = _cfg(tmp_path, output_dir=str(out), chunk_size=10)
    with pytest.raises(RuntimeError, match="job killed"):
        analyze_batch(Counting(fail_at=3), corpus, cfg)
    shard = cfg.shard_dir
    # two finished chunks, recorded; nothing of the third; no temporary files
    assert sorted(p.name for p in shard.glob("chunk-*")) == ["chunk-000000.jsonl", "chunk-000001.jsonl"]
    assert not list(shard.glob(".*.tmp"))
    progress = json.loads((shard / "progress.json").read_text())
    assert sorted(progress["chunks"]) == ["0", "1"] and progress["complete"] is False

    resumed = Counting()
    seen = []
    result = analyze_batch(resumed, corpus, cfg, on_chunk=seen.append)
    assert resumed.calls == n_chunks - 2  # the finished chunks are not analysed again
    assert [c.skipped for c in seen] == [True, True] + [False] * (n_chunks - 2)
    assert result.chunks == n_chunks and result.chunks_skipped == 2
    assert _files(out) == _files(clean)

    again = Counting()
    result = analyze_batch(again, corpus, cfg)
    assert again.calls == 0 and result.already_complete
    assert result.sentences == 120


def test_a_killed_job_leaves_no_partial_file(tmp_path):
    """SIGKILL a real job in the middle, check every visible file, then resume."""
    corpus = _jsonl(tmp_path, _rows())
    out = tmp_path / "out"
    script = tmp_path / "job.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import time
            from stancekit.baselines import load_baseline
            from stancekit.batch import BatchConfig, analyze_batch

            class Slow:
                name = "baseline:cues"
                inner = load_baseline("cues")
                def predict(self, sentences):
                    time.sleep(0.3)
                    return self.inner.predict(sentences)

            config = BatchConfig(output_dir={str(out)!r}, chunk_size=10, cache_dir={str(tmp_path)!r})
            analyze_batch(Slow(), {str(corpus)!r}, config)
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(script)], env=env)
    shard = out / "shard-00000-of-00001"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (shard / "chunk-000001.jsonl").exists():
            time.sleep(0.02)
        assert proc.poll() is None, "the job ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    progress = json.loads((shard / "progress.json").read_text())
    for path in shard.glob("chunk-*.jsonl"):  # every visible chunk file is complete
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines and all(json.loads(line)["text"] for line in lines)
        entry = progress["chunks"].get(str(int(path.stem.split("-")[1])))
        if entry:
            assert entry["sentences"] == len(lines)
    (shard / ".chunk-000009.jsonl.x1y2.tmp").write_text('{"doc_id": "torn', encoding="utf-8")  # a torn write

    analyze_batch(
        load_baseline("cues"),
        corpus,
        _cfg(tmp_path, output_dir=str(out), chunk_size=10),
    )
    clean = tmp_path / "clean"
    analyze_batch(
        load_baseline("cues"),
        corpus,
        _cfg(tmp_path, output_dir=str(clean), chunk_size=10),
    )
    assert _files(out) == _files(clean)
    assert not list(shard.glob(".*.tmp"))


def test_documents_must_be_contiguous(tmp_path):
    rows = [
        {"doc_id": "a", "sent_index": 0, "text": "Li urged calm."},
        {"doc_id": "b", "sent_index": 0, "text": "Costa criticised Beijing."},
        {"doc_id": "a", "sent_index": 1, "text": "He agreed to talks."},
    ]
    with pytest.raises(DataError) as err:
        analyze_batch(load_baseline("cues"), rows, _cfg(tmp_path, output_dir=str(tmp_path / "o")))
    assert err.value.code == "E721" and "row 3" in str(err.value)


def test_bad_rows_name_the_row(tmp_path):
    cfg = _cfg(tmp_path, output_dir=str(tmp_path / "o"))
    with pytest.raises(DataError, match=r"row 2: \[E101\]"):
        list(iter_documents(iter_rows([{"doc_id": "a", "text": "x"}, {"doc_id": "a"}], cfg), cfg))
    with pytest.raises(DataError, match=r"row 2: \[E104\]"):
        rows = [{"doc_id": "a", "sent_index": 0, "text": "x"}, {"doc_id": "a", "sent_index": 0, "text": "y"}]
        list(iter_documents(iter_rows(rows, cfg), cfg))
    with pytest.raises(DataError, match=r"\[E724\]"):
        analyze_batch(load_baseline("none"), str(_jsonl(tmp_path, [], "corpus.csv")), cfg)


def test_other_settings_or_changed_input_are_refused(tmp_path):
    rows = _rows(40)
    out = str(tmp_path / "out")
    analyze_batch(load_baseline("cues"), rows, _cfg(tmp_path, output_dir=out, chunk_size=10))
    with pytest.raises(StancekitError, match=r"\[E720\].*chunk_size"):
        analyze_batch(load_baseline("cues"), rows, _cfg(tmp_path, output_dir=out, chunk_size=20))
    with pytest.raises(StancekitError, match=r"\[E720\].*model"):
        analyze_batch(load_baseline("none"), rows, _cfg(tmp_path, output_dir=out, chunk_size=10))
    shard = _cfg(tmp_path, output_dir=out).shard_dir
    progress = json.loads((shard / "progress.json").read_text())
    progress["complete"] = False
    (shard / "progress.json").write_text(json.dumps(progress))
    changed = [dict(r, text=r["text"] + " ") if i == 0 else r for i, r in enumerate(rows)]
    with pytest.raises(StancekitError, match=r"\[E720\].*input of .*chunk-000000"):
        analyze_batch(
            load_baseline("cues"),
            changed,
            _cfg(tmp_path, output_dir=out, chunk_size=10),
        )


def test_invalid_options_and_a_busy_shard(tmp_path):
    with pytest.raises(ConfigError, match="E722"):
        BatchConfig(output_dir="o", num_shards=2, shard_index=2)
    with pytest.raises(ConfigError, match="E722"):
        BatchConfig(output_dir="o", chunk_size=0)
    fcntl = pytest.importorskip("fcntl")
    cfg = _cfg(tmp_path, output_dir=str(tmp_path / "o"))
    cfg.shard_dir.mkdir(parents=True)
    with open(cfg.shard_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(StancekitError, match="E723"):
            analyze_batch(load_baseline("none"), _rows(5), cfg)


def _app() -> typer.Typer:
    """The real CLI when ``analyze-batch`` is registered there, else a one-command app."""
    from stancekit.cli.app import app

    if any(c.name == "analyze-batch" for c in app.registered_commands):
        return app
    from stancekit.cli.batch import analyze_batch_cli

    local = typer.Typer()
    local.command("analyze-batch")(analyze_batch_cli)
    local.command("noop", hidden=True)(lambda: None)  # keep the command name in argv
    return local


def test_cli_with_the_model_in_two_shards(tmp_path):
    from stancekit.modeling import StanceModel

    model_dir = tmp_path / "model"
    StanceModel.from_base(str(TINY), seed=0).save_pretrained(model_dir)
    corpus = _jsonl(tmp_path, _rows(40))
    out = tmp_path / "out"
    runner = CliRunner()
    for i in range(2):
        args = ["analyze-batch", str(corpus), "--model", str(model_dir), "--output", str(out)]
        args += ["--num-shards", "2", "--shard-index", str(i), "--chunk-size", "8", "--cache-dir", str(tmp_path)]
        result = runner.invoke(_app(), args)
        assert result.exit_code == 0, result.output
        assert f"shard {i + 1}/2:" in result.output
    assert sorted(s.key for s in read_results(out)) == sorted((r["doc_id"], r["sent_index"]) for r in _rows(40))
    settings = json.loads((out / "batch.json").read_text())
    assert settings["num_shards"] == 2 and settings["model"]["threshold"] == 0.5
    again = runner.invoke(_app(), [*args, "--quiet"])
    assert again.exit_code == 0 and "already complete" in again.output
