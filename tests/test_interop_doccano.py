"""doccano: realistic exports (relations and the older label form), exact round trips, located errors, CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import DataError
from stancekit.interop.doccano import read_doccano, to_doccano, write_doccano
from stancekit.jsonl import read_sentences, write_sentences
from stancekit.validation import validate_file
from tests.test_interop_labelstudio import sample_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
runner = CliRunner()
TEXT = "Li urged Brussels to act."


def lines(tmp_path: Path, *records) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def line(entities, relations=None, **extra):
    rec = {"id": 1, "text": TEXT, "entities": entities, "relations": relations or [], "Comments": []}
    return {**rec, "doc_id": "d", "sent_index": 0, **extra}


SPK = {"id": 1, "label": "SPEAKER", "start_offset": 0, "end_offset": 2}
CUE = {"id": 2, "label": "CUE-demand", "start_offset": 3, "end_offset": 8}
REL = {"id": 1, "from_id": 1, "to_id": 2, "type": "states"}


def test_realistic_export_with_relations():
    got = [s.to_dict() for s in read_doccano(FIXTURES / "doccano_export.jsonl").sentences]
    assert [
        (
            x["sent_index"],
            [
                (st["speaker"], st["actor"], st["party"], st["stance"], st["target"], st["uncertain"], st["cue"])
                for st in x["statements"]
            ],
        )
        for x in got
    ] == [
        (0, [("Costa", "António Costa", "EU", "demand", "China", False, "pressed")]),
        (1, [("Li", "Li Qiang", "China", "concession", "EU", True, "was ready to")]),  # resolved: no metadata
        (2, []),
    ]
    assert "confidence" not in got[0]["statements"][0]  # gold by default


def test_predictions_flag_keeps_exported_confidence():
    first = read_doccano(FIXTURES / "doccano_export.jsonl", predictions=True).sentences[0]
    assert [st.confidence for st in first.statements] == [0.91]


def test_older_label_form_with_one_speaker():
    got = read_doccano(FIXTURES / "doccano_label_form.jsonl").sentences
    assert [
        (s.sent_index, [(st.speaker, st.actor, st.stance, st.target, st.cue) for st in s.statements]) for s in got
    ] == [
        (0, [("Costa", "António Costa", "demand", "China", "pressed")]),
        (2, []),
    ]


def test_older_label_form_cannot_attribute_cues_of_two_speakers(tmp_path):
    text = "Li urged calm and Costa warned Moscow."
    spans = [[0, 2, "SPEAKER"], [3, 8, "CUE-demand"], [18, 23, "SPEAKER"], [24, 30, "CUE-criticism"]]
    rec = {"id": 3, "text": text, "doc_id": "d", "sent_index": 0, "label": spans}
    path = lines(tmp_path, rec)
    with pytest.raises(DataError) as err:
        read_doccano(path)
    assert str(err.value) == (
        f"{path}:1: [E707] cues cannot be attributed without relations: 2 SPEAKER spans and CUE-demand at 3-8: "
        "no relation says whose. Fix: label the project with relations (doccano: "
        "sequence labelling with relation labelling), or keep one SPEAKER per sentence in the relation-less "
        "`label` form."
    )


def test_older_label_form_no_cue_convention(tmp_path):
    text = "Li and Costa met; Li demanded an apology."
    spans = [[0, 2, "SPEAKER"], [18, 20, "SPEAKER"], [18, 20, "CUE-demand"]]
    rec = {"text": text, "doc_id": "d", "sent_index": 0, "label": spans}
    path = lines(tmp_path, rec)
    with pytest.raises(DataError, match=r":1: \[E708\] speaker has no stance: SPEAKER 'Li' at 0-2"):
        read_doccano(path)
    rec["label"] = rec["label"][1:]
    st = read_doccano(lines(tmp_path, rec)).sentences[0].statements
    assert [(s.speaker_start, s.stance, s.cue) for s in st] == [(18, "demand", None)]


def test_round_trip_is_exact(tmp_path):
    sentences = sample_sentences()
    path = tmp_path / "doccano.jsonl"
    write_doccano(path, sentences)
    assert read_doccano(path, predictions=True).sentences == sentences
    no_conf = [replace(s, statements=[replace(x, confidence=None) for x in s.statements]) for s in sentences]
    assert read_doccano(path).sentences == no_conf


def test_round_trip_survives_doccano_renumbering_ids(tmp_path):
    """doccano gives entities and relations its own ids on import; the metadata is matched by spans."""
    exported = to_doccano(sample_sentences())
    for n, rec in enumerate(exported):
        shift = {e["id"]: 1000 + 10 * n + k for k, e in enumerate(rec["entities"])}
        rec["entities"] = [{**e, "id": shift[e["id"]]} for e in rec["entities"]]
        rec["relations"] = [
            {**r, "id": 500 + k, "from_id": shift[r["from_id"]], "to_id": shift[r["to_id"]]}
            for k, r in enumerate(rec["relations"])
        ]
        rec.update(id=9000 + n, Comments=[])
    assert read_doccano(lines(tmp_path, *exported), predictions=True).sentences == sample_sentences()


def test_export_shape():
    rec = to_doccano(sample_sentences()[:2])[1]
    assert rec["entities"] == [
        {"id": 4, "label": "SPEAKER", "start_offset": 0, "end_offset": 10},
        {"id": 5, "label": "SPEAKER", "start_offset": 0, "end_offset": 10},
        {"id": 6, "label": "CUE-concession", "start_offset": 11, "end_offset": 20},
        {"id": 7, "label": "CUE-concession", "start_offset": 11, "end_offset": 20},
    ]
    assert [(r["from_id"], r["to_id"], r["type"]) for r in rec["relations"]] == [(4, 6, "states"), (5, 7, "states")]
    assert [(m["actor"], m["party"], m["targets"]) for m in rec["stancekit"]] == [
        ("European Union", "EU", ["China"]),
        ("China", "China", ["EU"]),
    ]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            line([{**SPK, "end_offset": 40}, CUE], [REL]),
            "[E702] region does not match the text: SPEAKER span 1: offsets 0-40 are outside the text (length 25). "
            "Fix: re-draw the region in the tool so that it selects its text.",
        ),
        (
            line([SPK, {**CUE, "label": "CUE-demnd"}], [REL]),
            "[E703] unknown label: span label 'CUE-demnd' (did you mean 'CUE-demand'?). Fix: use the labelling "
            "configuration in stancekit/interop/ (spans SPEAKER, CUE-demand, CUE-concession, CUE-criticism; "
            "relations states, states-uncertain).",
        ),
        (
            line([SPK, CUE], [{**REL, "type": "says"}]),
            "[E703] unknown label: relation label 'says'; use states or states-uncertain (and 2 more problems, in "
            "err.problems). Fix: use the labelling configuration in stancekit/interop/ (spans SPEAKER, CUE-demand, "
            "CUE-concession, CUE-criticism; relations states, states-uncertain).",
        ),
        (
            line([SPK, CUE, {**CUE, "id": 3}], [REL, {**REL, "id": 2, "from_id": 2, "to_id": 3}]),
            "[E705] relation must go from a SPEAKER to a CUE region: relation 2 -> 3 links CUE-demand to CUE-demand "
            "(and 1 more problems, in err.problems). Fix: draw the relation from the speaker to its cue.",
        ),
        (
            {"id": 1, "text": TEXT, "label": ["positive"], "doc_id": "d", "sent_index": 0},
            "[E711] not a doccano JSONL export: 'label' is not a list of [start, end, label] (a classification "
            "project?). Fix: export the project from doccano as JSONL (sequence labelling, one object per line with "
            "text and entities).",
        ),
        (
            line([SPK, CUE], [REL], doc_id=None),
            "[E701] task lacks text, doc_id or sent_index: bad or missing doc_id=None. Fix: keep text, doc_id and "
            "sent_index (an integer >= 0) in the task data or meta; stancekit export writes them.",
        ),
    ],
)
def test_errors_name_file_line_and_fix(tmp_path, record, message):
    path = lines(tmp_path, line([], doc_id="ok", sent_index=0), record)
    with pytest.raises(DataError) as err:
        read_doccano(path)
    assert str(err.value) == f"{path}:2: {message}"


def test_invalid_json_line_and_duplicate_sentence(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(line([])) + "\n{oops\n" + json.dumps(line([])) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_doccano(path)
    assert [str(p).split(". Fix")[0] for p in err.value.problems] == [
        f"{path}:2: [E711] not a doccano JSONL export: invalid JSON: Expecting property name enclosed in double "
        "quotes (column 2)",
        f"{path}:3: [E714] two tasks hold the same sentence: ('d', 0) is also in line 1",
    ]


def test_cli_import_and_export(tmp_path):
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(
        app, ["import", str(FIXTURES / "doccano_export.jsonl"), "--from", "doccano", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert validate_file(out) == []
    preds, exported = tmp_path / "pred.jsonl", tmp_path / "doccano.jsonl"
    write_sentences(preds, sample_sentences())
    result = runner.invoke(app, ["export", str(preds), "--to", "doccano", "--output", str(exported)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.jsonl"
    result = runner.invoke(app, ["import", str(exported), "--from", "doccano", "--predictions", "--output", str(back)])
    assert result.exit_code == 0, result.output
    assert read_sentences(back) == sample_sentences()
