"""The main job on the real default model: train on the bundled corpus, evaluate, compare, analyse.

It trains all-MiniLM-L6-v2 on the bundled corpus on 2 CPU cores (about 5-8 minutes) and evaluates it
on the seed suite, which the model never trained on, and on the corpus's dev split.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.evaluation import EvalReport, compare_reports

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", "--output", str(root / "model"), "--reports", str(root / "reports"), "--resamples", "1000"]
    )
    assert result.exit_code == 0, result.output
    return root, result.output


# Regression floors. The seed suite (45 sentences, 25 statements) moves a lot with the training seed alone:
# eight models trained on 2026-11-24 (two corpora, 5 or 6 epochs, frozen or trained embeddings, seeds 13 and
# 14) scored seed statement F1 0.51-0.76 while their dev F1 stayed within 0.688-0.709. The default (seed 13,
# 5,331 sentences, 5 epochs) measured seed statement 0.66, stance 0.74, speaker 0.76, background 0.96; dev
# statement 0.70, stance 0.83, speaker 0.76. The floors sit below those with room for float drift on other
# machines. The project's targets (seed.yaml thresholds: statement 0.85, stance 0.95, speaker 0.90) are NOT
# met yet: see issue 4.
SEED_FLOORS = {
    "statement_macro_f1": 0.55,
    "stance_macro_f1": 0.62,
    "speaker_exact_f1": 0.62,
    "background_accuracy": 0.85,
}
DEV_FLOORS = {"statement_macro_f1": 0.63, "stance_macro_f1": 0.78, "speaker_exact_f1": 0.72}


@pytest.mark.parametrize(("report", "floors"), [("seed-model.json", SEED_FLOORS), ("dev-model.json", DEV_FLOORS)])
def test_model_stays_above_measured_floors(demo_run, report, floors):
    root, _ = demo_run
    loaded = EvalReport.load(root / "reports" / report)
    assert loaded.failures(floors) == []


@pytest.mark.parametrize("baseline", ["cues", "tfidf"])
def test_model_finds_speakers_better_than_baselines(demo_run, baseline):
    root, _ = demo_run
    model = EvalReport.load(root / "reports" / "seed-model.json")
    base = EvalReport.load(root / "reports" / f"seed-{baseline}.json")
    result = compare_reports(base, model)
    assert result["speaker_exact_f1"]["significant"]
    if baseline == "tfidf":
        assert result["statement_macro_f1"]["difference"] > 0


def test_model_folder_is_complete_and_describes_itself(demo_run):
    root, output = demo_run
    config = json.loads((root / "model" / "config.json").read_text())
    assert config["training"]["train_runtime_s"] <= 600
    assert config["calibration_report"]["ece_calibrated"] <= 0.1
    assert "seed" in config["eval_results"] and "dev" in config["eval_results"]
    assert "statement_macro_f1" in (root / "model" / "README.md").read_text()
    assert "statements found in the seed articles" in output


def test_int8_export_keeps_the_seed_predictions_of_the_torch_model(demo_run):
    """Quantisation moves confidences by a few hundredths, so a statement sitting on the threshold may
    cross it; more than one is a broken export. One statement moves speaker F1 (micro, over the seed's
    25 statements) by up to about 0.04, and stance-macro figures by more (concession has 4 gold
    statements), so the guard is on the statements themselves, and on speaker F1 only to that bound."""
    root, output = demo_run
    assert (root / "model" / "onnx" / "model.onnx").is_file() and "int8 ONNX export" in output
    reports = [json.loads((root / "reports" / f"seed-{name}.json").read_text()) for name in ("model", "model-int8")]
    for key in (("actor", "stance"), ("speaker_start", "speaker_end", "stance")):
        torch_found, int8_found = (
            Counter(
                (p["doc_id"], p["sent_index"], *(s[k] for k in key)) for p in r["predictions"] for s in p["predicted"]
            )
            for r in reports
        )
        assert sum(((torch_found - int8_found) + (int8_found - torch_found)).values()) <= 1, key
    values = [r["metrics"]["all"]["speaker_exact_f1"]["value"] for r in reports]
    assert abs(values[0] - values[1]) <= 0.05


def test_second_run_reuses_the_trained_model(demo_run):
    root, _ = demo_run
    result = CliRunner().invoke(
        app, ["demo", "--output", str(root / "model"), "--reports", str(root / "r2"), "--resamples", "50"]
    )
    assert result.exit_code == 0, result.output
    assert "reusing" in result.output
