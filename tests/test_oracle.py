from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import EvalError
from stancekit.evaluation import evaluate
from stancekit.evaluation.oracle import SpanOracle, load_oracle
from stancekit.records import Sentence, Statement

DOC = [
    Sentence(
        "d",
        0,
        "Ethiopian Foreign Minister Abebe Tesfaye met the Kenyan envoy.",
    ),
    Sentence(
        "d",
        1,
        "He urged Nairobi to reopen the border.",
        [Statement("He", 0, 2, "Abebe Tesfaye", "Ethiopia", "demand", "Kenya", cue="urged", cue_start=3, cue_end=8)],
    ),
]


def test_oracle_keeps_gold_spans_and_resolves_actors():
    report = evaluate(SpanOracle(DOC), DOC, n_resamples=10)
    values = {k: v["value"] for k, v in report.metrics["all"].items()}
    assert values["speaker_exact_f1"] == values["stance_macro_f1"] == 1.0
    assert values["statement_macro_f1"] == 1.0  # "He" resolves to the minister named before
    [statement] = report.predictions[1]["predicted"]
    assert (statement["actor"], statement["party"], statement["target"]) == ("Abebe Tesfaye", "Ethiopia", "Kenya")


def test_oracle_shows_resolution_errors_the_tagger_cannot_fix():
    wrong = [DOC[0], Sentence("d", 1, DOC[1].text, [Statement("He", 0, 2, "Someone Else", "Kenya", "demand")])]
    report = evaluate(SpanOracle(wrong), wrong, n_resamples=10)
    assert report.metrics["all"]["statement_macro_f1"]["value"] < 1.0


def test_oracle_refuses_sentences_it_has_no_gold_for():
    with pytest.raises(EvalError, match="not in its gold data"):
        SpanOracle(DOC).predict([Sentence("other", 0, "Lavrov urged Kyiv to talk.")])
    with pytest.raises(EvalError, match="oracles: oracle:speakers"):
        load_oracle("oracle:tags", "seed")


def test_eval_cli_runs_the_oracle_on_a_jsonl_file(tmp_path):
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(s.to_dict()) + "\n" for s in DOC), encoding="utf-8")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["eval", "--model", "oracle:speakers", "--data", str(data), "--output", str(out), "--resamples", "10"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["model"] == "oracle:speakers"
