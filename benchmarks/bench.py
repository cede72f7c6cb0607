"""Measure stancekit's CPU inference against what a user would write instead.

    python benchmarks/bench.py --model runs/default-model [--sentences 1000] [--repeats 3]

Measures, with a warm-up and the median of repeated runs, on sentences from the bundled
training corpus (never the test sentences):
- end-to-end ``StanceModel.predict`` throughput (sentences/s) and per-stage times;
- the reference: ``transformers.pipeline("text-classification", batch_size=32)`` over the
  same sentences with the same base encoder (a plain classifier head: strictly less work);
- cold start: ``stancekit analyze`` on a one-sentence file in a fresh process (wall time);
- peak resident memory of a fresh process analysing the sentences;
- training throughput recorded in the model's config.
Writes ``benchmarks/results/bench.json`` and ``benchmarks/results/bench.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[str]:
    lines = (ROOT / "training/data/train.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(x)["text"] for x in lines]
    return (texts * (n // len(texts) + 1))[:n]


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def stages(model, texts: list[str]) -> dict[str, float]:
    """Seconds per stage for one pass over ``texts``."""
    import torch

    from stancekit.records import Sentence, group_readouts
    from stancekit.resolution import DocumentResolver
    from stancekit.splitting import split_offsets

    out = {}
    joined = " ".join(texts[:200])
    t = time.perf_counter()
    split_offsets(joined)
    out["splitting_per_1k_sentences"] = (time.perf_counter() - t) * 1000 / 200
    t = time.perf_counter()
    batches = list(model._batches(texts))
    out["tokenising"] = time.perf_counter() - t
    t = time.perf_counter()
    with torch.inference_mode():
        for _, enc in batches:
            model.network(**{k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")})
    out["encoder"] = time.perf_counter() - t
    t = time.perf_counter()
    raw = model.raw_predict(texts)
    out["tokenise_encode_decode"] = time.perf_counter() - t
    out["decoding"] = max(0.0, out["tokenise_encode_decode"] - out["tokenising"] - out["encoder"])
    sents = [Sentence(f"d{i // 12}", i % 12, x) for i, x in enumerate(texts)]
    raw_by_key = {s.key: r for s, r in zip(sents, raw, strict=True)}
    t = time.perf_counter()
    for readout in group_readouts(sents):
        resolver = DocumentResolver(model.registry, [s.text for s in readout.sentences])
        for k, s in enumerate(readout.sentences):
            model._statements(resolver, k, s.text, raw_by_key[s.key])
    out["actor_resolution"] = time.perf_counter() - t
    return {k: round(v, 3) for k, v in out.items()}


def cold_start(model_dir: str, repeats: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text("Lavrov urged Kyiv to return to talks.", encoding="utf-8")
        exe = str(Path(sys.executable).with_name("stancekit"))
        times = []
        for _ in range(repeats + 1):
            t = time.perf_counter()
            subprocess.run(
                [exe, "analyze", str(one), "--model", model_dir, "--format", "jsonl"],
                check=True,
                capture_output=True,
                env={**os.environ, "HF_HUB_OFFLINE": "1"},
            )
            times.append(time.perf_counter() - t)
        return statistics.median(times[1:])


def peak_memory_mb(model_dir: str, n: int) -> float:
    code = (
        f"import resource, runpy; corpus = runpy.run_path({__file__!r})['corpus'];"
        f"from stancekit.modeling import StanceModel; m = StanceModel.from_pretrained({model_dir!r});"
        f"m.predict(corpus({n})); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return round(int(out.stdout.strip().splitlines()[-1]) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "runs/default-model"))
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from transformers import pipeline

    from stancekit.modeling import StanceModel, default_base_model

    texts = corpus(args.sentences)
    model = StanceModel.from_pretrained(args.model)
    ours = median_time(lambda: model.predict(texts), args.repeats)
    reference = pipeline("text-classification", model=default_base_model(), device=-1)
    ref = median_time(lambda: reference(texts, batch_size=32, truncation=True), args.repeats)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "sentences": len(texts),
        "repeats": args.repeats,
        "stancekit_sentences_per_s": round(len(texts) / ours, 1),
        "pipeline_reference_sentences_per_s": round(len(texts) / ref, 1),
        "speedup_vs_reference": round(ref / ours, 2),
        "stages_s": stages(model, texts),
        "cold_start_analyze_s": round(cold_start(args.model, args.repeats), 2),
        "peak_memory_mb": peak_memory_mb(args.model, len(texts)),
        "training_sentences_per_s": model.config.get("training", {}).get("train_samples_per_second"),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=1))
    rows = [f"| {k} | {v} |" for k, v in result.items() if not isinstance(v, dict)]
    rows += [f"| stage: {k} | {v} |" for k, v in result["stages_s"].items()]
    (out / "bench.md").write_text("| measure | value |\n|---|---|\n" + "\n".join(rows) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
