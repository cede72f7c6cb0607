"""Event-data export: the crosswalk as data, exact PLOVER records and CAMEO codes, dates, CLI."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import StancekitError
from stancekit.interop.events import CAMEO_COLUMNS, CROSSWALK, cameo_quad_class, rule_for, to_cameo_rows, to_plover
from stancekit.jsonl import write_sentences
from stancekit.records import STANCES, Sentence, Statement

runner = CliRunner()


def stmt(stance: str, cue: str | None) -> Statement:
    text = f"X {cue or ''}"
    return Statement("X", 0, 1, "X", "EU", stance, "China", cue=cue, cue_start=2 if cue else None,
                     cue_end=len(text) if cue else None)  # fmt: skip


@pytest.mark.parametrize(
    ("stance", "cue", "plover", "cameo"),
    [
        ("demand", "urged", "REQUEST", "020"),
        ("demand", "called on", "REQUEST", "020"),
        ("demand", "set out its expectation that", "REQUEST", "020"),
        ("demand", "demanded", "REQUEST", "100"),
        ("demand", "insisted", "REQUEST", "100"),
        ("demand", None, "REQUEST", "100"),
        ("criticism", "warned that", "THREATEN", "130"),
        ("criticism", "accused", "ACCUSE", "112"),
        ("criticism", "condemned", "ACCUSE", "111"),
        ("criticism", "criticized", "ACCUSE", "111"),
        ("criticism", "lodged a complaint", "ACCUSE", "114"),
        ("criticism", "voiced concern", "ACCUSE", "110"),
        ("concession", "agreed to", "CONCEDE", "080"),
        ("concession", "aims to resolve", "CONCEDE", "037"),
        ("concession", "signalled a preference for dialogue", "CONCEDE", "036"),
        ("concession", "was willing to", "CONCEDE", "035"),
        ("concession", None, "CONCEDE", "035"),
    ],
)
def test_crosswalk_codes(stance, cue, plover, cameo):
    rule = rule_for(stmt(stance, cue))
    assert (rule.plover, rule.cameo) == (plover, cameo)


def test_crosswalk_table_is_complete_and_documented():
    from stancekit.interop import events

    for stance in STANCES:
        rules = [r for r in CROSSWALK if r.stance == stance]
        assert rules[-1].cue_stems is None  # every stance has a default, matched last
        assert all(r.cue_stems for r in rules[:-1])
    for rule in CROSSWALK:
        assert f"{rule.plover:<12} {rule.cameo} " in events.__doc__  # the docstring table shows every row
    assert {r.cameo: cameo_quad_class(r.cameo) for r in CROSSWALK} == {
        "020": 1, "100": 3, "130": 3, "112": 3, "111": 3, "114": 3, "110": 3, "080": 2, "037": 1, "036": 1, "035": 1,
    }  # fmt: skip


SENTS = [
    Sentence(
        "sum-1",
        4,
        "Costa warned Beijing and urged it to act.",
        [
            Statement(
                "Costa",
                0,
                5,
                "António Costa",
                "EU",
                "criticism",
                "China",
                confidence=0.7,
                cue="warned",
                cue_start=6,
                cue_end=12,
            ),
            Statement(
                "Costa",
                0,
                5,
                "António Costa",
                "EU",
                "demand",
                "China",
                uncertain=True,
                confidence=0.6,
                cue="urged",
                cue_start=25,
                cue_end=30,
            ),
        ],
    ),
    Sentence("sum-1", 5, "They toured the port.", []),
]


def test_plover_records_carry_the_evidence():
    events = to_plover(SENTS, dates={"sum-1": "2025-07-24"})
    assert events[1] == {
        "id": "sum-1-4-1",
        "date": "2025-07-24",
        "event": "REQUEST",
        "mode": None,
        "context": [],
        "quad_class": "verbal conflict",
        "source": "EU",
        "source_actor": "António Costa",
        "source_text": "Costa",
        "target": "China",
        "cameo": "020",
        "stance": "demand",
        "cue": "urged",
        "text": "Costa warned Beijing and urged it to act.",
        "doc_id": "sum-1",
        "sent_index": 4,
        "confidence": 0.6,
        "uncertain": True,
        "coder": "stancekit-events-1",
    }
    assert [e["event"] for e in events] == ["THREATEN", "REQUEST"]
    assert to_plover(SENTS)[0]["date"] is None


def test_cameo_rows_and_bad_dates():
    rows = to_cameo_rows(SENTS)
    assert [(r["EventCode"], r["EventRootCode"], r["QuadClass"], r["EventName"]) for r in rows] == [
        ("130", "13", 3, "Threaten, not specified below"),
        ("020", "02", 1, "Make an appeal or request, not specified below"),
    ]
    assert list(rows[0]) == list(CAMEO_COLUMNS)
    with pytest.raises(StancekitError, match=r"\[E601\] invalid date: sum-1='24/07/2025'"):
        to_cameo_rows(SENTS, dates={"sum-1": "24/07/2025"})


def test_cli_export_plover_and_cameo(tmp_path):
    preds = tmp_path / "pred.jsonl"
    write_sentences(preds, SENTS)
    out = tmp_path / "events.jsonl"
    result = runner.invoke(
        app, ["export", str(preds), "--to", "plover", "--date", "sum-1=2025-07-24", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    events = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(e["id"], e["date"], e["event"]) for e in events] == [
        ("sum-1-4-0", "2025-07-24", "THREATEN"),
        ("sum-1-4-1", "2025-07-24", "REQUEST"),
    ]
    tsv = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", str(preds), "--to", "cameo", "--output", str(tsv)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"))
    assert [(r["EventCode"], r["Date"], r["Confidence"], r["Uncertain"]) for r in rows] == [
        ("130", "", "0.7", "False"),
        ("020", "", "0.6", "True"),
    ]
    result = runner.invoke(app, ["export", str(preds), "--to", "gdelt", "--output", str(tsv)])
    assert result.exit_code == 2 and "[E713] unknown interop format: --to 'gdelt'" in result.output
    result = runner.invoke(app, ["export", str(preds), "--to", "plover", "--date", "2025", "--output", str(out)])
    assert result.exit_code == 2 and "[E601]" in result.output
