"""Readouts over time: dates, and demands answered, rejected or left open."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancekit.compare import (
    CompareConfig,
    StatementFilter,
    assign_dates,
    compare_readouts,
    link_demands,
    statements_frame,
    timeline_counts,
)
from stancekit.compare.frame import plain
from stancekit.errors import ConfigError
from stancekit.jsonl import read_sentences
from stancekit.records import Readout, Sentence, Statement, group_readouts

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
T1, T2, T3 = "arvenia-calder-2024-01", "arvenia-calder-2024-04", "arvenia-calder-2024-09"
DATES = ["2024-01-15", "2024-04-20", "2024-09-02"]
KEYWORDS = {"journalist": ["journalist"], "tariffs": ["tariff", "steel"], "dam": ["dam", "river"],
            "fishing": ["fishing", "Gull Strait"]}  # fmt: skip
#: demand sid -> (status, first response sid)
EXPECTED = {
    f"{T1}#0.0": ("answered", f"{T2}#0.0"),  # release the journalist -> Calder releases her
    f"{T1}#1.0": ("rejected", f"{T2}#1.0"),  # lift steel tariffs -> Arvenia accuses Calder of dumping
    f"{T1}#2.0": ("open", None),  # river flow data: only asked again, by Arvenia itself
    f"{T2}#2.0": ("answered", f"{T3}#0.0"),  # fishing permits (the January criticism came before)
    f"{T3}#1.0": ("open", None),  # nothing later
}


def dated(dates=DATES):
    return assign_dates(group_readouts(read_sentences(FIXTURES / "timeline.jsonl")), dates)


def statuses(links):
    return {r["demand_sid"]: (r["status"], plain(r["response_sid"])) for _, r in links.iterrows()}


@pytest.mark.parametrize("keywords", [None, KEYWORDS], ids=["clustered-topics", "keyword-topics"])
def test_demands_are_answered_rejected_or_open(keywords):
    links = link_demands(statements_frame(dated()), keywords=keywords)
    assert statuses(links) == EXPECTED
    assert list(links["date"]) == sorted(links["date"])
    row = links[links["demand_sid"] == f"{T1}#1.0"].iloc[0]
    assert (row["party"], row["target"], row["response_actor"], row["response_stance"]) == (
        "Calder", "Arvenia", "Ilse Marek", "criticism")  # fmt: skip
    assert row["responses"] == [f"{T2}#1.0"]


def test_only_strictly_later_readouts_answer():
    same_day = link_demands(statements_frame(dated(["2024-01-15", "2024-01-15", "2024-01-15"])), keywords=KEYWORDS)
    assert set(same_day["status"]) == {"open"}
    reversed_order = link_demands(statements_frame(dated(["2024-09-01", "2024-04-20", "2024-01-15"])),
                                  keywords=KEYWORDS)  # fmt: skip
    # now January's readout is the last one: its criticism of Arvenia's fishing fleet rejects
    # April's fishing demand, and nothing answers the demands made in it
    assert statuses(reversed_order) == {
        f"{T1}#0.0": ("open", None),
        f"{T1}#1.0": ("open", None),
        f"{T1}#2.0": ("open", None),
        f"{T2}#2.0": ("rejected", f"{T1}#3.0"),
        f"{T3}#1.0": ("open", None),
    }


def _st(party, stance, target):
    return Statement("X", 0, 1, f"{party} envoy", party, stance, target)


def _readout(doc_id, date, text, *statements):
    return Readout(doc_id, [Sentence(doc_id, 0, text, list(statements))], date=date)


def test_concession_wins_on_the_same_date_and_other_targets_do_not_answer():
    frame = statements_frame([
        _readout("a", "2024-01-01", "X asked for lower tariffs.", _st("P", "demand", "T")),
        _readout("b", "2024-02-01", "X criticised Q over tariffs.", _st("T", "criticism", "Q")),
        _readout("c", "2024-03-01", "X criticised P over tariffs.", _st("T", "criticism", "P")),
        _readout("d", "2024-03-01", "X agreed to cut tariffs.", _st("T", "concession", None)),
    ])  # fmt: skip
    frame["topic"] = "tariffs"
    (row,) = link_demands(frame).to_dict("records")
    assert (row["status"], row["response_sid"]) == ("answered", "d#0.0")
    assert row["responses"] == ["d#0.0", "c#0.0"]


def test_demand_without_target_stays_open():
    frame = statements_frame([
        _readout("a", "2024-01-01", "X called for calm.", _st("P", "demand", None)),
        _readout("b", "2024-02-01", "X agreed to calm.", _st("T", "concession", "P")),
    ])  # fmt: skip
    frame["topic"] = "calm"
    assert link_demands(frame)["status"].tolist() == ["open"]


def test_timeline_counts_per_date_and_party():
    counts = timeline_counts(statements_frame(dated()))
    assert counts.values.tolist() == [
        ["2024-01-15", T1, "Arvenia", 2, 0, 0],
        ["2024-01-15", T1, "Calder", 1, 0, 1],
        ["2024-04-20", T2, "Arvenia", 1, 0, 1],
        ["2024-04-20", T2, "Calder", 0, 1, 0],
        ["2024-09-02", T3, "Arvenia", 1, 0, 0],
        ["2024-09-02", T3, "Calder", 0, 1, 0],
    ]


def test_assign_dates_by_position_or_doc_id():
    assert [r.date for r in dated()] == DATES
    by_id = assign_dates(dated([]), [f"{T3}=2024-09-02", f"{T1}=2024-01-15"])
    assert [r.date for r in by_id] == ["2024-01-15", None, "2024-09-02"]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (["2024-01-15", "2024-04-20"], "E602"),
        (["2024-01-15,2024-04-20,arvenia-calder-2024-09=2024-09-02"], "E602"),
        (["2024-13-01,2024-04-20,2024-09-02"], "E601"),
        (["arvenia-calder-2024-1=2024-01-15"], "E603"),
    ],
)
def test_bad_dates_are_reported(values, code):
    with pytest.raises(ConfigError) as err:
        dated(values)
    assert err.value.code == code


def test_link_demands_needs_dates():
    with pytest.raises(ConfigError) as err:
        link_demands(statements_frame(dated([])))
    assert err.value.code == "E600" and T1 in str(err.value)


def test_compare_builds_the_timeline_when_readouts_are_dated():
    undated = compare_readouts(dated([]))
    assert undated.links is None and undated.timeline is None and undated.alignment is None
    result = compare_readouts(dated())
    assert statuses(result.links) == EXPECTED
    assert result.to_dict()["timeline"]["status_counts"] == {"answered": 2, "rejected": 1, "open": 2}
    calder = compare_readouts(dated(), config=CompareConfig(filters=StatementFilter(party=["Calder"])))
    assert statuses(calder.links) == {f"{T1}#1.0": EXPECTED[f"{T1}#1.0"]}
    assert set(calder.timeline["party"]) == {"Calder"}


def test_compare_refuses_partly_dated_readouts():
    readouts = dated([f"{T1}=2024-01-15"])
    with pytest.raises(ConfigError) as err:
        compare_readouts(readouts)
    assert err.value.code == "E600" and T2 in str(err.value)
