"""Typical user mistakes on every command: a non-zero exit code, an [E...] code with a fix, no traceback.

``CliRunner`` catches an escaping exception instead of printing its traceback, so "no traceback"
is asserted as: the command ended through ``SystemExit`` (the CLI chose the exit code).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app

from .conftest import ROOT, TINY

DEV = ROOT / "training/data/dev.jsonl"
NOPE = "no-such-file.jsonl"


@pytest.fixture(scope="module")
def files(tiny_model, tmp_path_factory) -> Path:
    """A model folder, a readout, folders and files of the wrong kind, side by side."""
    folder = tmp_path_factory.mktemp("cli")
    tiny_model.save_pretrained(folder / "model")
    (folder / "empty-dir").mkdir()
    (folder / "readout.txt").write_text("Lavrov urged Kyiv to negotiate.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Le ministre a exigé.".encode("latin-1"))
    (folder / "data.jsonl").write_text("\n".join(DEV.read_text(encoding="utf-8").splitlines()[:20]) + "\n")
    rows = [{"doc_id": "a", "sent_index": 0, "text": "Li urged calm."}, {"doc_id": "a", "sent_index": 0, "text": "x"}]
    (folder / "repeated.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (folder / "no-text.jsonl").write_text('{"doc_id": "a", "sent_index": 0}\n', encoding="utf-8")
    (folder / "not-json.txt").write_text("this is not a report\n", encoding="utf-8")
    return folder


MISTAKES = [
    # (id, arguments with {dir} for the files fixture, exit code, error code)
    ("validate-missing-file", ["validate", "{dir}/" + NOPE], 3, "E108"),
    ("validate-a-folder", ["validate", "{dir}/empty-dir"], 3, "E108"),
    ("analyze-missing-file", ["analyze", "{dir}/" + NOPE, "--model", "{dir}/model"], 2, "E501"),
    ("analyze-a-folder", ["analyze", "{dir}/empty-dir", "--model", "{dir}/model"], 2, "E501"),
    ("analyze-not-utf8", ["analyze", "{dir}/latin1.txt", "--model", "{dir}/model"], 2, "E501"),
    ("analyze-bad-format", ["analyze", "{dir}/readout.txt", "--model", "{dir}/model", "--format", "xml"], 2, "E502"),
    ("analyze-no-such-model", ["analyze", "{dir}/readout.txt", "--model", "{dir}/no-model"], 4, "E300"),
    ("analyze-model-is-a-file", ["analyze", "{dir}/readout.txt", "--model", "{dir}/readout.txt"], 4, "E300"),
    ("analyze-folder-is-no-model", ["analyze", "{dir}/readout.txt", "--model", "{dir}/empty-dir"], 4, "E300"),
    ("analyze-jsonl-without-text", ["analyze", "{dir}/no-text.jsonl", "--model", "{dir}/model"], 3, "E101"),
    ("analyze-jsonl-repeated-key", ["analyze", "{dir}/repeated.jsonl", "--model", "{dir}/model"], 3, "E104"),
    ("eval-no-such-model", ["eval", "--model", "{dir}/no-model"], 5, "E200"),
    ("eval-unknown-baseline", ["eval", "--model", "baseline:regex"], 5, "E200"),
    ("eval-min-above-one", ["eval", "--model", "baseline:cues", "--min", "stance_macro_f1=2"], 5, "E206"),
    ("eval-min-without-value", ["eval", "--model", "baseline:cues", "--min", "stance_macro_f1"], 5, "E206"),
    ("eval-min-not-a-number", ["eval", "--model", "baseline:cues", "--min", "stance_macro_f1=high"], 5, "E206"),
    ("eval-min-unknown-metric", ["eval", "--model", "baseline:cues", "--min", "stance_f1=0.5"], 5, "E203"),
    ("eval-missing-data", ["eval", "--model", "baseline:cues", "--data", "{dir}/" + NOPE], 5, "E201"),
    ("eval-data-is-a-folder", ["eval", "--model", "baseline:cues", "--data", "{dir}/empty-dir"], 5, "E201"),
    (
        "eval-output-is-a-folder",  # was IsADirectoryError with a traceback
        ["eval", "--model", "baseline:cues", "--resamples", "10", "--output", "{dir}/empty-dir"],
        2,
        "E503",
    ),
    ("train-missing-data", ["train", "--data", "{dir}/" + NOPE, "--output", "{dir}/out"], 3, "E108"),
    ("train-data-is-a-folder", ["train", "--data", "{dir}/empty-dir", "--output", "{dir}/out"], 3, "E108"),
    ("train-data-not-jsonl", ["train", "--data", "{dir}/readout.txt", "--output", "{dir}/out"], 3, "E100"),
    ("train-missing-dev", ["train", "--data", "{dir}/data.jsonl", "--dev", "{dir}/" + NOPE, "--output", "{dir}/out"],
     3, "E108"),
    ("train-zero-epochs", ["train", "--data", "{dir}/data.jsonl", "--output", "{dir}/out", "--epochs", "0"], 2, "E400"),
    ("train-zero-batch", ["train", "--data", "{dir}/data.jsonl", "--output", "{dir}/out", "--batch-size", "0"], 2,
     "E400"),
    ("train-resume-nothing", ["train", "--data", "{dir}/data.jsonl", "--output", "{dir}/out", "--resume",
                              "--base-model", str(TINY)], 2, "E403"),
    ("train-no-such-base-model", ["train", "--data", "{dir}/data.jsonl", "--output", "{dir}/out", "--base-model",
                                  "{dir}/no-model"], 4, "E306"),
    ("corpus-stats-missing-file", ["corpus-stats", "{dir}/" + NOPE], 3, "E108"),
    # regressions: these four printed tracebacks before
    ("compare-reports-missing-file", ["compare-reports", "{dir}/" + NOPE, "{dir}/" + NOPE], 2, "E501"),
    ("compare-reports-not-a-report", ["compare-reports", "{dir}/not-json.txt", "{dir}/not-json.txt"], 2, "E501"),
    ("corpus-stats-bad-documents", ["corpus-stats", "{dir}/data.jsonl", "--documents", "{dir}/not-json.txt"], 3,
     "E100"),
    ("eval-unknown-subset", ["eval", "--model", "baseline:cues", "--resamples", "10", "--subset", "some",
                             "--min", "stance_macro_f1=0.1"], 2, "E502"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args", "exit_code", "code"), MISTAKES, ids=lambda v: v if isinstance(v, str) else "")
def test_user_mistakes_exit_non_zero_with_a_coded_message_and_no_traceback(files, name, args, exit_code, code):
    result = CliRunner().invoke(app, [a.replace("{dir}", str(files)) for a in args])
    assert isinstance(result.exception, SystemExit), f"{name} raised {result.exception!r}"  # no traceback
    assert result.exit_code == exit_code != 0, result.output
    assert f"[{code}]" in result.output and "Fix:" in result.output, result.output
    assert "Traceback" not in result.output
    assert not (files / "out").exists()


def test_the_console_script_prints_no_traceback_for_a_user_mistake(tmp_path):
    """The real entry point, in a process of its own: one line on stderr, exit code 3."""
    run = subprocess.run(
        [sys.executable, "-c", "from stancekit.cli.app import main; main()", "train", "--data", str(tmp_path / NOPE),
         "--output", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 3
    assert f"[E108] file not found: {tmp_path / NOPE}" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out").exists()


def test_analyze_warns_about_non_english_input_in_one_line(files, tmp_path):
    french = tmp_path / "communique.txt"
    french.write_text(
        "Le ministre des Affaires étrangères a exhorté Moscou à cesser les hostilités et à revenir à la table "
        "des négociations. Il a également critiqué la décision de Pékin d'imposer de nouveaux droits de douane.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["analyze", str(french), "--model", str(files / "model"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "warning: readout 'communique' does not look English" in result.stderr
    assert "translate it first" in result.stderr and "warnings.warn" not in result.stderr
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == ["communique", "communique"]
