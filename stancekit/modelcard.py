"""Generate a Hugging Face style model card (README.md) for a stancekit model folder.

>>> "## Intended use" in model_card({"name": "m", "base_model": "all-MiniLM-L6-v2"})
True
"""

from __future__ import annotations

from typing import Any


def _metrics_table(results: dict[str, Any]) -> str:
    rows = ["| suite | metric | value | 95% CI |", "|---|---|---|---|"]
    for suite, metrics in results.items():
        for name, m in metrics.items():
            rows.append(f"| {suite} | {name} | {m.get('value')} | {m.get('ci_low')}-{m.get('ci_high')} |")
    return "\n".join(rows)


def model_card(config: dict[str, Any]) -> str:
    """The card text from a model config (training summary and eval results when present)."""
    training = config.get("training", {})
    results = config.get("eval_results", {})
    calib = config.get("calibration_report", {})
    front = "\n".join(
        [
            "---",
            "library_name: stancekit",
            "language: en",
            f"base_model: {config.get('base_model')}",
            "pipeline_tag: token-classification",
            "tags: [stance, diplomacy, speaker-attribution]",
            "---",
        ]
    )
    return f"""{front}

# {config.get("name", "stancekit model")}

A stancekit model: for each sentence of a diplomatic readout it finds each statement's
speaker span and stance (demand, concession, criticism) with the cue that carries it;
stancekit resolves the actor, party and target from the readout and the actor registry.

## Intended use

Comparing who demanded, conceded and criticised what across readouts and news reports
in English. Load with `stancekit.StanceModel.from_pretrained(folder)` or
`stancekit analyze FILE --model folder`. Not for decisions about people; outputs are
leads for an analyst to check against the text.

## Training data

- train sentences: {training.get("train_sentences", "n/a")}, dev sentences: {training.get("dev_sentences", "n/a")}
- data: {training.get("train_file", "n/a")} (dev: {training.get("dev_file", "n/a")})
- base model: {config.get("base_model")}; epochs run: {training.get("epochs_run", "n/a")};
  seed: {training.get("seed", "n/a")}; training time: {training.get("train_runtime_s", "n/a")} s

## Evaluation

Measured by the stancekit harness (`stancekit eval`), 95% bootstrap intervals over sentences.

{_metrics_table(results) if results else "No evaluation recorded yet."}

Confidence calibration on the dev split (Platt scaling, expected calibration error by
2-fold cross-fitting): raw {calib.get("ece_raw", "n/a")}, calibrated {calib.get("ece_calibrated", "n/a")}.

## Limitations

- English only; other languages give unreliable output.
- Actor and party resolution relies on the registry and on names in the same readout;
  unknown titles and descriptions fall back to the nearest plausible actor.
- Trained on a synthetic-but-realistic corpus of readouts; real newsroom styles differ.
"""
