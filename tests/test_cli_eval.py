from __future__ import annotations

import json

from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import EvalError

runner = CliRunner()


def test_eval_cues_writes_and_prints_report(tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(
        app, ["eval", "--model", "baseline:cues", "--data", "seed", "--output", str(out), "--resamples", "100"]
    )
    assert result.exit_code == 0, result.output
    assert "statement_macro_f1" in result.output
    report = json.loads(out.read_text())
    assert report["suite"]["name"] == "seed" and report["suite"]["version"] == "1"
    assert report["counts"]["sentences"] == 45 and len(report["predictions"]) == 45
    assert report["provenance"]["versions"]["stancekit"]
    m = report["metrics"]["all"]["statement_macro_f1"]
    assert m["ci_low"] <= m["value"] <= m["ci_high"]
    assert "confident" in report["metrics"]


def test_min_threshold_above_measured_value_fails(tmp_path):
    out = tmp_path / "report.json"
    ok = runner.invoke(
        app,
        [
            "eval",
            "--model",
            "baseline:cues",
            "--output",
            str(out),
            "--resamples",
            "50",
            "--min",
            "background_accuracy=0.1",
        ],
    )
    assert ok.exit_code == 0, ok.output
    value = json.loads(out.read_text())["metrics"]["all"]["statement_macro_f1"]["value"]
    bad = runner.invoke(
        app,
        [
            "eval",
            "--model",
            "baseline:cues",
            "--resamples",
            "50",
            "--min",
            f"statement_macro_f1={min(1.0, value + 0.01)}",
        ],
    )
    assert bad.exit_code == EvalError.exit_code
    assert "threshold not met" in bad.output


def test_strict_enforces_suite_thresholds():
    result = runner.invoke(app, ["eval", "--model", "baseline:none", "--strict", "--resamples", "20"])
    assert result.exit_code == EvalError.exit_code


def test_unknown_metric_and_baseline_get_suggestions():
    r1 = runner.invoke(app, ["eval", "--model", "baseline:cues", "--min", "statement_f1=0.5"])
    assert r1.exit_code != 0 and "did you mean" in r1.output
    r2 = runner.invoke(app, ["eval", "--model", "baseline:cuse"])
    assert r2.exit_code != 0 and "did you mean 'cues'" in r2.output
    r3 = runner.invoke(app, ["eval", "--model", "baseline:cues", "--data", "sed"])
    assert r3.exit_code != 0 and "did you mean 'seed'" in r3.output


def test_eval_on_users_own_jsonl(tmp_path):
    data = tmp_path / "mine.jsonl"
    data.write_text(
        json.dumps({"doc_id": "x", "sent_index": 0, "text": "Lavrov urged Kyiv to talk.", "statements": []}) + "\n"
    )
    result = runner.invoke(app, ["eval", "--model", "baseline:none", "--data", str(data), "--resamples", "10"])
    assert result.exit_code == 0, result.output


def test_compare_reports_cli(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    runner.invoke(app, ["eval", "--model", "baseline:none", "--output", str(a), "--resamples", "20"])
    runner.invoke(app, ["eval", "--model", "baseline:cues", "--output", str(b), "--resamples", "20"])
    result = runner.invoke(app, ["compare-reports", str(a), str(b), "--resamples", "200"])
    assert result.exit_code == 0, result.output
    assert "paired bootstrap" in result.output
