"""The main job on the real default model: train on the bundled corpus, evaluate, compare, analyse.

It trains all-MiniLM-L6-v2 on the bundled corpus on 2 CPU cores (about 5-8 minutes) and evaluates it
on the seed suite, which the model never trained on, and on the corpus's dev split.
"""

from __future__ import annotations

import json

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


# Regression floors, set below the values measured on 2026-11-23 (seed: statement 0.53, stance 0.52,
# speaker 0.67, background 0.89; dev: statement 0.64, stance 0.84, speaker 0.78). The project's targets
# (seed.yaml thresholds: statement 0.85, stance 0.95, speaker 0.90) are NOT met yet: see issue 4.
SEED_FLOORS = {
    "statement_macro_f1": 0.40,
    "stance_macro_f1": 0.40,
    "speaker_exact_f1": 0.55,
    "background_accuracy": 0.85,
}
DEV_FLOORS = {"statement_macro_f1": 0.55, "stance_macro_f1": 0.75, "speaker_exact_f1": 0.75}


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


def test_int8_export_keeps_the_seed_accuracy_of_the_torch_model(demo_run):
    root, output = demo_run
    assert (root / "model" / "onnx" / "model.onnx").is_file() and "int8 ONNX export" in output
    torch_report = EvalReport.load(root / "reports" / "seed-model.json")
    int8_report = EvalReport.load(root / "reports" / "seed-model-int8.json")
    for name in ("statement_macro_f1", "speaker_exact_f1"):
        assert abs(int8_report.metrics["all"][name]["value"] - torch_report.metrics["all"][name]["value"]) <= 0.01


def test_second_run_reuses_the_trained_model(demo_run):
    root, _ = demo_run
    result = CliRunner().invoke(
        app, ["demo", "--output", str(root / "model"), "--reports", str(root / "r2"), "--resamples", "50"]
    )
    assert result.exit_code == 0, result.output
    assert "reusing" in result.output
