"""The main job on the real default model: train on the bundled corpus, evaluate, compare, analyse.

This is the test that holds the model to the project's targets on the seed suite, which the
model never trained on. It trains all-MiniLM-L6-v2 on 2 CPU cores in a few minutes.
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


def test_seed_suite_targets_hold(demo_run):
    root, _ = demo_run
    report = EvalReport.load(root / "reports" / "seed-model.json")
    assert report.value("statement_macro_f1") >= 0.85
    assert report.value("stance_macro_f1") >= 0.95
    assert report.value("speaker_exact_f1") >= 0.90
    assert report.value("background_accuracy") >= 0.90


@pytest.mark.parametrize("baseline", ["cues", "tfidf"])
def test_model_beats_baselines_by_a_real_margin(demo_run, baseline):
    root, _ = demo_run
    model = EvalReport.load(root / "reports" / "seed-model.json")
    base = EvalReport.load(root / "reports" / f"seed-{baseline}.json")
    result = compare_reports(base, model)["statement_macro_f1"]
    assert result["difference"] >= 0.15 and result["significant"]


def test_model_folder_is_complete_and_describes_itself(demo_run):
    root, output = demo_run
    config = json.loads((root / "model" / "config.json").read_text())
    assert config["training"]["train_runtime_s"] <= 600
    assert config["calibration_report"]["ece_calibrated"] <= 0.1
    assert "seed" in config["eval_results"] and "dev" in config["eval_results"]
    assert "statement_macro_f1" in (root / "model" / "README.md").read_text()
    assert "statements found in the seed articles" in output


def test_second_run_reuses_the_trained_model(demo_run):
    root, _ = demo_run
    result = CliRunner().invoke(
        app, ["demo", "--output", str(root / "model"), "--reports", str(root / "r2"), "--resamples", "50"]
    )
    assert result.exit_code == 0, result.output
    assert "reusing" in result.output
