"""Label Studio: import of realistic exports, exact round trips of pre-annotations, located errors, CLI."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import DataError
from stancekit.interop.labelstudio import read_labelstudio, to_labelstudio, write_labelstudio
from stancekit.interop.schema import config_files
from stancekit.jsonl import read_sentences, write_sentences
from stancekit.records import Sentence, Statement
from stancekit.validation import validate_file

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
EXPORT = FIXTURES / "labelstudio_export.json"
runner = CliRunner()


def st(text: str, speaker: str, stance: str, cue: str | None, **kw) -> Statement:
    a = text.index(speaker)
    fields = {"actor": speaker, "party": "EU", "target": "China", **kw}
    c = text.index(cue) if cue else None
    return Statement(
        speaker,
        a,
        a + len(speaker),
        stance=stance,
        cue=cue,
        cue_start=c,
        cue_end=c + len(cue) if cue else None,
        **fields,
    )


def sample_sentences() -> list[Sentence]:
    """Predictions covering every shape the scheme has to carry."""
    t0 = "Kallas urged Kyiv and Moscow to talk and criticised Beijing."
    t1 = "Both sides agreed to restore flights."
    t2 = "The meeting lasted two hours."
    t3 = "🇪🇺 Kallas 😀 condemned the strike, officials said."
    t4 = "It was urged to act."
    return [
        Sentence(
            "d",
            0,
            t0,
            [
                st(t0, "Kallas", "demand", "urged", actor="Kaja Kallas", target="Ukraine", confidence=0.81),
                st(t0, "Kallas", "demand", "urged", actor="Kaja Kallas", target="Russia", confidence=0.81),
                st(t0, "Kallas", "criticism", "criticised", actor="Kaja Kallas", uncertain=True, confidence=0.55),
            ],
        ),
        Sentence(
            "d",
            1,
            t1,
            [
                st(t1, "Both sides", "concession", "agreed to", actor="European Union", confidence=0.7),
                st(
                    t1,
                    "Both sides",
                    "concession",
                    "agreed to",
                    actor="China",
                    party="China",
                    target="EU",
                    confidence=0.7,
                ),
            ],
        ),
        Sentence("d", 2, t2, []),
        Sentence("d", 3, t3, [st(t3, "Kallas", "criticism", "condemned", actor="Kaja Kallas", target=None)]),
        Sentence("e", 0, t4, [st(t4, "It", "demand", None, actor="It", party=None, target=None, confidence=0.5)]),
    ]


def dump(tmp_path: Path, tasks) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def accept(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports after an annotator submits each pre-annotation unchanged."""
    out = copy.deepcopy(tasks)
    for k, task in enumerate(out, 1):
        result = [{**item, "origin": "prediction"} for item in task.pop("predictions")[0]["result"]]
        task.update(id=k, annotations=[{"id": k, "result": result, "was_cancelled": False, "lead_time": 5.0}])
    return out


def test_realistic_export_imports_the_submitted_annotations():
    result = read_labelstudio(EXPORT)
    got = [s.to_dict() for s in result.sentences]
    t0 = got[0]["text"]
    assert got[0]["statements"] == [
        {
            "speaker": "Kaja Kallas",
            "speaker_start": 0,
            "speaker_end": 11,
            "actor": "Kaja Kallas",
            "party": "EU",
            "stance": "demand",
            "target": "China",
            "uncertain": False,
            "cue": "urged",
            "cue_start": 12,
            "cue_end": 17,
        },
        {
            "speaker": "Kaja Kallas",
            "speaker_start": 0,
            "speaker_end": 11,
            "actor": "Kaja Kallas",
            "party": "EU",
            "stance": "criticism",
            "target": "China",
            "uncertain": True,
            "cue": "criticised",
            "cue_start": t0.index("criticised"),
            "cue_end": t0.index("criticised") + 10,
        },
    ]
    # attributes left empty are resolved from the document: "She" is the previous speaker
    assert [(s["actor"], s["party"], s["target"], s["cue"]) for s in got[1]["statements"]] == [
        ("Kaja Kallas", "EU", "China", "called on")
    ]
    assert got[1]["sent_index"] == 1  # a digit string in the task data
    assert got[2]["statements"] == []  # submitted with no regions: background
    assert result.skipped == [f"{EXPORT}: task 4 (id 104)"]  # only a prediction


def test_predictions_of_a_task_can_be_read_instead():
    # tasks 1-3 have no prediction; task 4's prediction marks a speaker without a cue
    with pytest.raises(DataError) as err:
        read_labelstudio(EXPORT, predictions=True)
    assert str(err.value) == (
        f"{EXPORT}: task 4 (id 104): [E708] speaker has no stance: SPEAKER 'Wang Yi' at 0-7 is in no relation. "
        "Fix: relate the speaker to the CUE region of its stance, or delete the region."
    )


def test_round_trip_of_predictions_is_exact(tmp_path):
    sentences = sample_sentences()
    path = tmp_path / "tasks.json"
    write_labelstudio(path, sentences, model_version="tiny-1")
    assert read_labelstudio(path, predictions=True).sentences == sentences


def test_round_trip_through_submitted_annotations_drops_confidence(tmp_path):
    sentences = sample_sentences()
    path = dump(tmp_path, accept(to_labelstudio(sentences)))
    expected = [replace(s, statements=[replace(x, confidence=None) for x in s.statements]) for s in sentences]
    assert read_labelstudio(path).sentences == expected


def test_predictions_carry_model_version_score_and_js_offsets():
    tasks = to_labelstudio(sample_sentences(), model_version="tiny-1")
    first = tasks[0]["predictions"][0]
    assert (first["model_version"], first["score"]) == ("tiny-1", 0.55)
    assert "score" not in tasks[2]["predictions"][0]  # background
    assert tasks[2]["predictions"][0]["result"] == []
    assert tasks[0]["data"] == {"text": sample_sentences()[0].text, "doc_id": "d", "sent_index": 0}
    # "🇪🇺 Kallas": two flag characters, each two UTF-16 units, and a space before the name
    speaker = next(r for r in tasks[3]["predictions"][0]["result"] if r["type"] == "labels")
    assert (speaker["value"]["start"], speaker["value"]["end"], speaker["value"]["text"]) == (5, 11, "Kallas")
    targets = [r["value"]["text"] for r in tasks[0]["predictions"][0]["result"] if r.get("from_name") == "target"]
    assert targets == [["Ukraine", "Russia"], ["China"]]


def test_gold_data_can_be_exported_as_annotations_to_review():
    task = to_labelstudio(sample_sentences()[:1], as_annotations=True)[0]
    assert "predictions" not in task and len(task["annotations"][0]["result"]) == 9


def test_config_files_name_every_label():
    xml, spans, relations = (p.read_text(encoding="utf-8") for p in config_files())
    for label in ("SPEAKER", "CUE-demand", "CUE-concession", "CUE-criticism", "states", "states-uncertain"):
        assert f'value="{label}"' in xml
    assert [x["text"] for x in json.loads(spans)] == ["SPEAKER", "CUE-demand", "CUE-concession", "CUE-criticism"]
    assert [x["text"] for x in json.loads(relations)] == ["states", "states-uncertain"]
    for name in ('name="label"', 'name="text"', 'name="actor"', 'name="party"', 'name="target"'):
        assert name in xml


TEXT = "Li urged Brussels to act."


def region(rid, start, end, label, text=None):
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": TEXT[start:end] if text is None else text, "labels": [label]},
    }


def one_task(result, *, data=None):
    return [
        {
            "id": 5,
            "data": data or {"text": TEXT, "doc_id": "d", "sent_index": 0},
            "annotations": [{"id": 1, "result": result, "was_cancelled": False}],
        }
    ]


REL = {"from_id": "s", "to_id": "c", "type": "relation", "direction": "right", "labels": []}


@pytest.mark.parametrize(
    ("result", "data", "message"),
    [
        (
            [region("s", 0, 3, "SPEAKER", "Li"), region("c", 3, 8, "CUE-demand"), REL],
            None,
            "[E702] region does not match the text: SPEAKER region s: offsets 0-3 select 'Li ', the region says "
            "'Li'. Fix: re-draw the region in the tool so that it selects its text.",
        ),
        (
            [region("s", 0, 2, "SPEAKER"), region("c", 3, 8, "CUE-demand")],
            None,
            "[E708] speaker has no stance: SPEAKER 'Li' at 0-2 is in no relation (and 1 more problems, in "
            "err.problems). Fix: relate the speaker to the CUE region of its stance, or delete the region.",
        ),
        (
            [region("s", 0, 2, "SPEAKER"), region("c", 3, 8, "CUE-demnad"), REL],
            None,
            "[E703] unknown label: region c has labels ['CUE-demnad'] (did you mean 'CUE-demand'?); give it exactly "
            "one of ('SPEAKER', 'CUE-demand', 'CUE-concession', 'CUE-criticism'). Fix: use the labelling "
            "configuration in stancekit/interop/ (spans SPEAKER, CUE-demand, CUE-concession, CUE-criticism; "
            "relations states, states-uncertain).",
        ),
        (
            [region("s", 0, 2, "SPEAKER"), region("c", 3, 8, "CUE-demand"), {**REL, "to_id": "gone"}],
            None,
            "[E704] relation refers to a missing region: relation s -> gone: no region with id gone (and 2 more "
            "problems, in err.problems). Fix: delete the relation and draw it again between two regions.",
        ),
        (
            [],
            {"text": TEXT, "doc_id": "d"},
            "[E701] task lacks text, doc_id or sent_index: bad or missing sent_index=None. Fix: keep text, doc_id "
            "and sent_index (an integer >= 0) in the task data or meta; stancekit export writes them.",
        ),
    ],
)
def test_errors_name_file_task_and_fix(tmp_path, result, data, message):
    path = dump(tmp_path, one_task(result, data=data))
    with pytest.raises(DataError) as err:
        read_labelstudio(path)
    assert str(err.value) == f"{path}: task 1 (id 5): {message}"


def test_every_problem_is_listed(tmp_path):
    path = dump(tmp_path, one_task([region("s", 0, 2, "SPEAKER"), region("c", 3, 8, "CUE-demand")]))
    with pytest.raises(DataError) as err:
        read_labelstudio(path)
    assert [p.code for p in err.value.problems] == ["E708", "E706"]


def test_relation_drawn_backwards_is_accepted(tmp_path):
    result = [region("s", 0, 2, "SPEAKER"), region("c", 3, 8, "CUE-demand"), {**REL, "from_id": "c", "to_id": "s"}]
    sent = read_labelstudio(dump(tmp_path, one_task(result))).sentences[0]
    assert [(x.actor, x.party, x.stance, x.target) for x in sent.statements] == [("Li", None, "demand", "EU")]


def test_converted_record_is_validated(tmp_path):
    tasks = [*one_task([]), {**one_task([])[0], "id": 6}]
    path = dump(tmp_path, tasks)
    with pytest.raises(DataError) as err:
        read_labelstudio(path)
    assert str(err.value) == (
        f"{path}: task 2 (id 6): [E714] two tasks hold the same sentence: ('d', 0) is also in task 1 "
        "(id 5). Fix: keep one task per "
        "(doc_id, sent_index): delete the duplicate task in the tool."
    )


def test_file_level_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"data": {}},\n  oops]', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.json:2: \[E700\] not a Label Studio JSON export"):
        read_labelstudio(bad)
    with pytest.raises(DataError, match=r"\[E700\].*holds a dict, not a list of tasks"):
        read_labelstudio(dump(tmp_path, {"data": {}}))
    skipped = [{"id": 1, "data": {"text": TEXT, "doc_id": "d", "sent_index": 0}, "annotations": []}]
    with pytest.raises(DataError, match=r"\[E712\] nothing annotated: 1 task\(s\), none annotated"):
        read_labelstudio(dump(tmp_path, skipped))
    with pytest.raises(DataError, match=r"\[E108\]"):
        read_labelstudio(tmp_path / "missing.json")


def test_cli_import_writes_valid_jsonl(tmp_path):
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["import", str(EXPORT), "--from", "labelstudio", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out}: 3 sentence(s), 3 statement(s)" in result.output
    assert validate_file(out) == []
    assert read_sentences(out) == read_labelstudio(EXPORT).sentences


def test_cli_export_then_import_round_trip(tmp_path):
    preds, tasks, back = tmp_path / "pred.jsonl", tmp_path / "tasks.json", tmp_path / "back.jsonl"
    write_sentences(preds, sample_sentences())
    result = runner.invoke(app, ["export", str(preds), "--to", "label-studio", "--output", str(tasks)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(tasks), "--from", "labelstudio", "--predictions", "--output", str(back)])
    assert result.exit_code == 0, result.output
    assert read_sentences(back) == sample_sentences()


def test_cli_errors_exit_with_the_data_code(tmp_path):
    result = runner.invoke(app, ["import", str(EXPORT), "--from", "prodigy", "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "[E713] unknown interop format: --from 'prodigy'" in result.output
    path = dump(tmp_path, one_task([region("s", 0, 2, "SPEAKER")]))
    result = runner.invoke(app, ["import", str(path), "--from", "labelstudio", "--output", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert f"error: {path}: task 1 (id 5): [E708]" in result.output
    assert not (tmp_path / "o").exists()
