"""``stancekit compare``: analysed JSONL without a model, raw text with one, formats, filters, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stancekit.cli.compare import compare_cli
from stancekit.errors import StancekitError

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
PAIR = [str(FIXTURES / "meeting_arvenia.jsonl"), str(FIXTURES / "meeting_calder.jsonl")]
TIMELINE = str(FIXTURES / "timeline.jsonl")
A, B = "arvenia-calder-2024-03-arv", "arvenia-calder-2024-03-cal"

app = typer.Typer()
app.command()(compare_cli)
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def error_code(result) -> str:
    assert result.exit_code != 0
    assert isinstance(result.exception, StancekitError), result.output
    return result.exception.code


def test_markdown_of_the_pair_without_a_model():
    result = run(*PAIR, "--format", "md")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "| Arvenia | 3 | 2 | 2 | 7 |" in out and "| Calder | 1 | 3 | 2 | 6 |" in out
    assert "4 matched, 1 reframed, 1 only in A, 2 only in B." in out
    assert "## Over time" not in out


def test_json_with_filters():
    result = run(*PAIR, "--format", "json", "--party", "Calder", "--stance", "criticism")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["filters"] == {"party": ["Calder"], "stance": ["criticism"]}
    assert {s["sid"] for s in data["statements"]} == {f"{B}#4.0", f"{B}#5.0"}
    assert data["counts"] == {"Calder": {"demand": 0, "concession": 0, "criticism": 2, "total": 2}}
    assert data["alignment"]["counts"] == {"match": 0, "reframed": 1, "only_a": 0, "only_b": 1}


def test_topic_filter_and_user_topic_list(tmp_path):
    topics = tmp_path / "topics.yaml"
    topics.write_text("border:\n  - border\n  - crossing\ntrade: [tariff, steel]\n", encoding="utf-8")
    result = run(*PAIR, "--format", "json", "--topics", str(topics), "--topic", "trade")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["topics"]["method"] == "keywords"
    assert {s["sid"] for s in data["statements"]} == {f"{B}#5.0", f"{B}#7.0"}
    assert {s["topic"] for s in data["statements"]} == {"trade"}


def test_dates_make_a_timeline():
    result = run(TIMELINE, "--format", "json", "--dates", "2024-01-15,2024-04-20", "--dates", "2024-09-02")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["date"] for r in data["readouts"]] == ["2024-01-15", "2024-04-20", "2024-09-02"]
    assert data["timeline"]["status_counts"] == {"answered": 2, "rejected": 1, "open": 2}
    assert data["alignment"] is None


def test_html_and_table_output(tmp_path):
    out = tmp_path / "report" / "compare.html"
    result = run(*PAIR, "--html", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-party="Calder" data-stance="concession" data-count="3"' in page
    assert "party × stance (13 statements)" in result.output
    assert "only in A (1)" in result.output


def test_no_align_option():
    data = json.loads(run(*PAIR, "--format", "json", "--no-align").output)
    assert data["alignment"] is None


def test_raw_text_needs_a_model(tmp_path):
    raw = tmp_path / "readout.txt"
    raw.write_text("Marek urged Calder to release the journalist.", encoding="utf-8")
    assert error_code(run(str(raw), PAIR[0])) == "E605"


def test_raw_text_with_a_model(tmp_path):
    from stancekit.modeling import StanceModel

    folder = tmp_path / "model"
    StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0).save_pretrained(folder)
    raw = tmp_path / "calder-readout.txt"
    raw.write_text("Rhee urged Arvenia to lift the steel tariffs. He condemned the tariffs.\n"
                   "Marek agreed to ease visa rules.", encoding="utf-8")  # fmt: skip
    result = run(str(raw), PAIR[0], "--model", str(folder), "--format", "json", "--threshold", "0.0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["doc_id"] for r in data["readouts"]] == ["calder-readout", A]
    assert data["readouts"][0]["sentences"] == 3
    # the analysed fixture is used as is, the raw text went through the (random) model
    assert data["readouts"][1]["statements"] == 6
    assert sum(r["statements"] for r in data["readouts"]) == len(data["statements"])
    assert data["alignment"] is not None


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--format", "xml"], "E502"),
        (["--party", "Calde"], "E607"),
        (["--target", "Narnia"], "E607"),
        (["--topic", "weather"], "E607"),
        (["--stance", "demnd"], "E102"),
        (["--dates", "2024-03-12"], "E602"),
        (["--dates", "2024-03-12,12.3.2024"], "E601"),
        (["--n-topics", "0"], "E609"),
    ],
)
def test_option_errors(args, code):
    assert error_code(run(*PAIR, *args)) == code


def test_bad_input_files(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "d", "sent_index": 0, "text": "Hi.", "statements": [{"stance": "demand"}]}\n')
    assert error_code(run(str(bad))) == "E101"
    topics = tmp_path / "topics.json"
    topics.write_text('["not", "a", "mapping"]')
    assert error_code(run(*PAIR, "--topics", str(topics))) == "E604"
    assert error_code(run(PAIR[0], PAIR[0])) == "E610"
