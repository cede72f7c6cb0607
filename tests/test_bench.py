"""The benchmark script's corpus and report (its timings are only ever produced by running it)."""

from __future__ import annotations

import runpy

from .conftest import ROOT

BENCH = runpy.run_path(str(ROOT / "benchmarks/bench.py"))


def test_benchmark_corpus_has_exactly_the_requested_sentences_in_whole_readouts():
    for n in (1000, 10000):
        docs = BENCH["documents"](n)
        assert sum(len(sents) for _, sents in docs) == n
        assert len({doc_id for doc_id, _ in docs}) == len(docs)  # repeated readouts get new ids


def test_benchmark_never_uses_evaluation_sentences():
    from stancekit.jsonl import read_sentences

    evaluation = {s.text for s in read_sentences(ROOT / "eval/data/seed_gold.jsonl")}
    assert not evaluation & {t for _, sents in BENCH["documents"](3000) for t in sents}


def test_benchmark_markdown_table():
    seed = {"statement_macro_f1": 0.5, "stance_macro_f1": 0.5, "speaker_exact_f1": 0.7, "background_accuracy": 0.9}
    stages = {"splitting": 0.01, "encoder": 1.0}
    result = {
        "sentences": 1000,
        "repeats": 3,
        "machine": {"cpus": 2},
        "pipeline_reference": {"sentences_per_s": 100.0},
        "configurations": {
            "torch_fp32": {"sentences_per_s": 150.0, "speedup_vs_reference": 1.5, "stages_s": stages, "seed": seed},
            "onnx_int8": {"sentences_per_s": 400.0, "speedup_vs_reference": 4.0, "stages_s": stages, "seed": seed},
        },
        "cold_start_s": {"onnx_int8": 0.5, "torch_fp32": 4.0},
        "cli_analyze_onnx_int8": {"1000": {"wall_s": 3.0, "sentences_per_s": 333.3, "peak_memory_mb": 150.0}},
        "training_sentences_per_s": 60.0,
    }
    table = BENCH["markdown"](result)
    assert "| stancekit onnx_int8 | 400.0 | 4.00x | 0.500 | 0.500 | 0.700 |" in table
    assert "| 1,000 sentences | 3.0 | 333.3 | 150.0 |" in table
