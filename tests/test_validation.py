"""One test per malformed case; each names the file, the line and a fix."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import DataError
from stancekit.jsonl import read_sentences
from stancekit.validation import validate_file

GOOD_STMT = {
    "speaker": "Li",
    "speaker_start": 0,
    "speaker_end": 2,
    "actor": "Li Qiang",
    "party": "China",
    "stance": "demand",
    "target": "EU",
}


def record(**over):
    rec = {"doc_id": "d", "sent_index": 0, "text": "Li urged the EU to act.", "statements": [dict(GOOD_STMT)]}
    rec.update(over)
    return json.dumps(rec, ensure_ascii=False)


def problems_of(tmp_path, *lines, raw: bytes | None = None):
    path = tmp_path / "data.jsonl"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, validate_file(path)


def test_valid_file_has_no_problems(tmp_path):
    _, problems = problems_of(tmp_path, record(), record(sent_index=1))
    assert problems == []


def test_malformed_json_line(tmp_path):
    path, problems = problems_of(tmp_path, record(), '{"doc_id": "d", "sent_index": 1,')
    assert [(p.code, p.line) for p in problems] == [("E100", 2)]
    assert f"{path}:2" in str(problems[0]) and "Fix:" in str(problems[0])


def test_speaker_offsets_not_matching_text(tmp_path):
    bad = dict(GOOD_STMT, speaker_start=3, speaker_end=5)
    _, problems = problems_of(tmp_path, record(statements=[bad]))
    assert [p.code for p in problems] == ["E103"]
    assert "occurs at 0-2" in str(problems[0])


def test_offsets_out_of_range(tmp_path):
    bad = dict(GOOD_STMT, speaker_start=90, speaker_end=92)
    _, problems = problems_of(tmp_path, record(statements=[bad]))
    assert [p.code for p in problems] == ["E103"]
    assert "out of range" in str(problems[0])


def test_unknown_stance_suggests_the_closest(tmp_path):
    _, problems = problems_of(tmp_path, record(statements=[dict(GOOD_STMT, stance="demnd")]))
    assert [p.code for p in problems] == ["E102"]
    assert "did you mean 'demand'" in str(problems[0])


def test_missing_field(tmp_path):
    stmt = {k: v for k, v in GOOD_STMT.items() if k != "actor"}
    _, problems = problems_of(tmp_path, record(statements=[stmt]))
    assert [p.code for p in problems] == ["E101"]
    assert "'actor'" in str(problems[0])


def test_missing_sentence_field(tmp_path):
    _, problems = problems_of(tmp_path, json.dumps({"doc_id": "d", "sent_index": 0, "statements": []}))
    assert [p.code for p in problems] == ["E101"]


def test_duplicate_doc_and_sentence_index(tmp_path):
    _, problems = problems_of(tmp_path, record(), record())
    assert [(p.code, p.line) for p in problems] == [("E104", 2)]
    assert "line 1" in str(problems[0])


def test_wrong_type(tmp_path):
    _, problems = problems_of(tmp_path, record(sent_index="0"))
    assert [p.code for p in problems] == ["E105"]


def test_not_utf8(tmp_path):
    _, problems = problems_of(tmp_path, raw=record().encode() + b"\n" + "é".encode("latin-1"))
    assert [(p.code, p.line) for p in problems] == [("E106", 2)]


def test_empty_file(tmp_path):
    _, problems = problems_of(tmp_path, raw=b"\n")
    assert [p.code for p in problems] == ["E107"]


def test_line_that_is_not_an_object(tmp_path):
    _, problems = problems_of(tmp_path, "[1, 2]")
    assert [p.code for p in problems] == ["E110"]


def test_every_problem_is_reported_at_once(tmp_path):
    path, problems = problems_of(tmp_path, "{", record(statements=[dict(GOOD_STMT, stance="x")]), record())
    assert [(p.code, p.line) for p in problems] == [("E100", 1), ("E102", 2)]
    with pytest.raises(DataError) as info:
        read_sentences(path)
    assert len(info.value.problems) == 2 and "1 more" in str(info.value)


def test_cli_validate_reports_all_and_exits_non_zero(tmp_path):
    path, _ = problems_of(tmp_path, "{", record(statements=[dict(GOOD_STMT, stance="x")]))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == DataError.exit_code
    assert "E100" in result.output and "E102" in result.output and "2 problem(s)" in result.output
    assert "Traceback" not in result.output


def test_cli_validate_accepts_the_seed_gold():
    result = CliRunner().invoke(app, ["validate", "eval/data/seed_gold.jsonl"])
    assert result.exit_code == 0, result.output
