"""Measure stancekit's CPU inference against what a user would write instead.

    python benchmarks/bench.py --model runs/default-model [--sentences 1000] [--repeats 3]

Everything is measured in this one run, with a warm-up and the median of ``--repeats`` runs,
on readouts rebuilt from the bundled training corpus (never the evaluation sentences):

- end-to-end analysis (split raw readouts, tokenise, encode, decode, resolve actors) in
  sentences/s, for the full-precision PyTorch model and its int8 ONNX export (made here,
  in a temporary folder), with the time of each stage;
- the reference a user would write: ``transformers.pipeline("text-classification",
  batch_size=32)`` over the same sentences with the same base encoder (a plain sentence
  classifier: strictly less work than finding speakers, stances and cues);
- the seed-suite accuracy of each configuration (the harness, 1,000 resamples);
- cold start: ``stancekit analyze`` on a one-sentence file in a fresh process (wall time);
- the ``stancekit analyze`` command on a 1k and a 10k-sentence JSONL file in a fresh
  process: wall time, sentences/s and peak resident memory (linear growth, flat memory);
- training throughput, as recorded in the model's config.

Writes ``benchmarks/results/bench.json`` and ``benchmarks/results/bench.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def documents(n_sentences: int) -> list[tuple[str, list[str]]]:
    """``(doc_id, sentences)`` of training-corpus readouts, repeated (with new ids) up to ``n_sentences``."""
    docs: dict[str, list[str]] = {}
    for line in (ROOT / "training/data/train.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        docs.setdefault(rec["doc_id"], []).append(rec["text"])
    out, total, copy = [], 0, 0
    while total < n_sentences:
        for doc_id, sents in docs.items():
            take = sents[: n_sentences - total]
            out.append((f"{doc_id}~{copy}", take))
            total += len(take)
            if total >= n_sentences:
                break
        copy += 1
    return out


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def end_to_end(model, texts: list[tuple[str, str]]) -> int:
    """Analyse raw readouts (split included); return the number of sentences analysed."""
    from stancekit.splitting import split_readout

    readouts = (split_readout(text, doc_id) for doc_id, text in texts)
    return sum(len(r.sentences) for r in model.analyze_stream(readouts))


def stages(model, texts: list[tuple[str, str]]) -> dict[str, float]:
    """Seconds per stage for one pass over the readouts."""
    from stancekit.splitting import split_readout

    out = {}
    start = time.perf_counter()
    readouts = [split_readout(text, doc_id) for doc_id, text in texts]
    out["splitting"] = time.perf_counter() - start
    sentences = [s for r in readouts for s in r.sentences]
    start = time.perf_counter()
    texts = [s.text for s in sentences]
    windows = model.windows.encode(texts)
    batches = list(model.windows.batches(windows, model.batch_size, texts=texts))
    out["tokenising"] = time.perf_counter() - start
    start = time.perf_counter()
    outputs = list(model.backend.run_many(b.inputs() for b in batches))
    out["encoder"] = time.perf_counter() - start
    start = time.perf_counter()
    raw = model._decode(windows, batches, outputs)
    out["decoding"] = time.perf_counter() - start
    start = time.perf_counter()
    model._resolve(sentences, raw)
    out["actor_resolution"] = time.perf_counter() - start
    return {k: round(v, 3) for k, v in out.items()}


def median_stages(model, texts: list[tuple[str, str]], repeats: int) -> dict[str, float]:
    """Per-stage medians of ``repeats`` passes, after a warm-up pass."""
    stages(model, texts)
    runs = [stages(model, texts) for _ in range(repeats)]
    return {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}


def seed_accuracy(model) -> dict[str, float]:
    from stancekit.evaluation import evaluate

    report = evaluate(model, "seed", n_resamples=1000)
    names = ("statement_macro_f1", "stance_macro_f1", "speaker_exact_f1", "background_accuracy")
    return {k: round(report.metrics["all"][k]["value"], 3) for k in names}


#: Runs one command and prints its wall time and peak memory. A small launcher process does it, because
#: a child forked straight from this (large) process would report this process's memory as its peak.
LAUNCHER = """
import os, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr.decode()[-2000:])
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def run_cli(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one fresh ``stancekit`` process."""
    exe = str(Path(sys.executable).with_name("stancekit"))
    done = subprocess.run([sys.executable, "-c", LAUNCHER, exe, *args], capture_output=True, text=True, env=ENV)
    if done.returncode:
        raise RuntimeError(f"stancekit {' '.join(args)} failed: {done.stderr}")
    wall, peak = done.stdout.split()
    return float(wall), float(peak)


def cli_runs(args: list[str], repeats: int) -> dict[str, float]:
    run_cli(args)  # warm the file cache
    walls, peaks = zip(*(run_cli(args) for _ in range(repeats)), strict=True)
    return {"wall_s": round(statistics.median(walls), 3), "peak_memory_mb": round(max(peaks), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "runs/default-model"))
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000, help="sentences of the large CLI input")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results"))
    args = parser.parse_args()
    os.environ.update(ENV)

    from transformers import pipeline

    from stancekit.export import export_onnx
    from stancekit.modeling import StanceModel, default_base_model
    from stancekit.splitting import split_readout

    tmp = Path(tempfile.mkdtemp(prefix="stancekit-bench-"))
    int8_dir, int8_first_dir = tmp / "int8", tmp / "int8-float-first-layer"
    export_onnx(args.model, int8_dir)
    export_onnx(args.model, int8_first_dir, float_first_layer=True)
    docs = documents(args.sentences)
    texts = [(doc_id, " ".join(sents)) for doc_id, sents in docs]
    sentences = [s.text for doc_id, text in texts for s in split_readout(text, doc_id).sentences]
    configs = {
        "torch_fp32": StanceModel.from_pretrained(args.model, backend="torch"),
        "onnx_int8": StanceModel.from_pretrained(int8_dir, backend="onnx"),
        "onnx_int8_float_first_layer": StanceModel.from_pretrained(int8_first_dir, backend="onnx"),
    }
    result: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sentences": len(sentences),
        "repeats": args.repeats,
        "configurations": {},
    }
    reference = pipeline("text-classification", model=default_base_model(), device=-1)
    ref_s = median_time(lambda: reference(sentences, batch_size=32, truncation=True), args.repeats)
    result["pipeline_reference"] = {"sentences_per_s": round(len(sentences) / ref_s, 1), "seed": None}
    for name, model in configs.items():
        seconds = median_time(lambda m=model: end_to_end(m, texts), args.repeats)
        result["configurations"][name] = {
            "sentences_per_s": round(len(sentences) / seconds, 1),
            "speedup_vs_reference": round(ref_s / seconds, 2),
            "stages_s": median_stages(model, texts, args.repeats),
            "seed": seed_accuracy(model),
        }
    full = result["configurations"]["torch_fp32"]["seed"]["statement_macro_f1"]
    for c in result["configurations"].values():
        c["seed_statement_f1_minus_fp32"] = round(c["seed"]["statement_macro_f1"] - full, 3)

    one = tmp / "one.txt"
    one.write_text("Lavrov urged Kyiv to return to talks.", encoding="utf-8")
    result["cold_start_s"] = {}
    for name, folder, backend in (("onnx_int8", str(int8_dir), "onnx"), ("torch_fp32", args.model, "torch")):
        run = cli_runs(
            ["analyze", str(one), "--model", folder, "--backend", backend, "--format", "jsonl"], args.repeats
        )
        result["cold_start_s"][name] = run["wall_s"]
    scaling = {}
    for n in (args.sentences, args.large):
        path = tmp / f"corpus-{n}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc_id, sents in documents(n):
                for k, text in enumerate(sents):
                    fh.write(json.dumps({"doc_id": doc_id, "sent_index": k, "text": text}, ensure_ascii=False) + "\n")
        run = cli_runs(["analyze", str(path), "--model", str(int8_dir), "--format", "jsonl"], args.repeats)
        scaling[str(n)] = {**run, "sentences_per_s": round(n / run["wall_s"], 1)}
    result["cli_analyze_onnx_int8"] = scaling
    model_config = configs["torch_fp32"].config.get("training", {})
    result["training_sentences_per_s"] = model_config.get("train_samples_per_second")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (out / "bench.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def markdown(r: dict) -> str:
    """The short table the README quotes."""
    ref = r["pipeline_reference"]["sentences_per_s"]
    lines = [
        f"{r['sentences']} corpus sentences, {r['machine']['cpus']} CPUs, "
        f"median of {r['repeats']} runs after a warm-up.",
        "",
        "| configuration | sentences/s | vs pipeline | seed statement F1 | seed stance F1 | seed speaker F1 |",
        "|---|---:|---:|---:|---:|---:|",
        f"| transformers.pipeline (reference) | {ref} | 1.00x | n/a | n/a | n/a |",
    ]
    for name, c in r["configurations"].items():
        s = c["seed"]
        lines.append(
            f"| stancekit {name} | {c['sentences_per_s']} | {c['speedup_vs_reference']:.2f}x | "
            f"{s['statement_macro_f1']:.3f} | {s['stance_macro_f1']:.3f} | {s['speaker_exact_f1']:.3f} |"
        )
    configs = r["configurations"].values()
    lines += ["", "| stage (s per run) | " + " | ".join(r["configurations"]) + " |"]
    lines.append("|---" + "|---:" * len(configs) + "|")
    for stage in next(iter(configs))["stages_s"]:
        lines.append(f"| {stage} | " + " | ".join(str(c["stages_s"][stage]) for c in configs) + " |")
    lines += [
        "",
        "| `stancekit analyze` (fresh process, onnx_int8) | wall s | sentences/s | peak MB |",
        "|---|---:|---:|---:|",
    ]
    lines.append(f"| one sentence (cold start) | {r['cold_start_s']['onnx_int8']} | | |")
    for n, c in r["cli_analyze_onnx_int8"].items():
        lines.append(f"| {int(n):,} sentences | {c['wall_s']} | {c['sentences_per_s']} | {c['peak_memory_mb']} |")
    lines += [
        "",
        f"Cold start with the torch backend: {r['cold_start_s']['torch_fp32']} s. "
        f"Training: {r['training_sentences_per_s']} sentences/s.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
