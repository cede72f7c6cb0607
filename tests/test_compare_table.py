"""Side-by-side table: counts per party (and actor) and stance, statements per cell, filters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stancekit.compare import StatementFilter, compare_readouts, side_by_side, stance_counts, statements_frame
from stancekit.compare.frame import UNKNOWN_PARTY
from stancekit.errors import DataError
from stancekit.jsonl import read_sentences
from stancekit.records import Readout, Sentence, Statement, group_readouts

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
A_ID, B_ID = "arvenia-calder-2024-03-arv", "arvenia-calder-2024-03-cal"


def pair() -> list[Readout]:
    return [r for name in ("meeting_arvenia.jsonl", "meeting_calder.jsonl")
            for r in group_readouts(read_sentences(FIXTURES / name))]  # fmt: skip


def test_statements_frame_has_one_row_per_statement_in_order():
    frame = statements_frame(pair())
    assert len(frame) == 13
    assert frame["sid"].is_unique
    assert frame.loc[0, "sid"] == f"{A_ID}#1.0"
    assert frame.loc[0, "sentence"].startswith("Marek urged Calder to release")
    assert frame.loc[0, ["party", "stance", "target", "confidence", "cue"]].tolist() == [
        "Arvenia", "demand", "Calder", 0.94, "urged"]  # fmt: skip
    assert list(frame["doc_id"].unique()) == [A_ID, B_ID]


def test_counts_per_party_and_stance():
    counts = stance_counts(statements_frame(pair()))
    assert counts.to_dict("index") == {
        "Arvenia": {"demand": 3, "concession": 2, "criticism": 2, "total": 7},
        "Calder": {"demand": 1, "concession": 3, "criticism": 2, "total": 6},
    }


def test_counts_per_party_and_actor():
    counts = stance_counts(statements_frame(pair()), by=["party", "actor"])
    assert counts.loc[("Arvenia", "Ilse Marek")].tolist() == [2, 2, 2, 6]
    assert counts.loc[("Arvenia", "Arvenia")].tolist() == [1, 0, 0, 1]  # "The Arvenian side"
    assert counts.loc[("Calder", "Tomas Rhee")].tolist() == [1, 3, 2, 6]


def test_cells_list_sentence_target_and_confidence():
    cells = side_by_side(statements_frame(pair()))
    demands = cells.loc["Arvenia", "demand"]
    assert [c["sid"] for c in demands] == [f"{A_ID}#1.0", f"{A_ID}#4.0", f"{B_ID}#2.0"]
    assert demands[1]["sentence"] == "Marek pressed Calder to share monthly river flow data from the dam."
    assert demands[1]["target"] == "Calder" and demands[1]["confidence"] == 0.86
    assert demands[2]["actor"] == "Arvenia"
    assert cells.loc["Calder", "demand"][0]["sentence"].startswith("Rhee urged Arvenia to lift the steel tariffs")
    for party, row in cells.iterrows():
        for stance in ("demand", "concession", "criticism"):
            assert all(isinstance(c["confidence"], float) for c in row[stance]), (party, stance)


def test_empty_cells_are_empty_lists_and_counts_zero():
    readout = Readout(
        "d", [Sentence("d", 0, "Li urged the EU to act.", [Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU")])]
    )
    frame = statements_frame([readout])
    assert side_by_side(frame).loc["China", "criticism"] == []
    assert stance_counts(frame).loc["China"].tolist() == [1, 0, 0, 1]


def test_statement_without_party_is_counted_as_unknown():
    st = Statement("They", 0, 4, "they", None, "criticism", "EU")
    frame = statements_frame([Readout("d", [Sentence("d", 0, "They condemned it.", [st])])])
    assert stance_counts(frame).loc[UNKNOWN_PARTY, "criticism"] == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            StatementFilter(party=["Calder"]),
            {f"{A_ID}#3.0", f"{A_ID}#5.0", f"{B_ID}#1.0", f"{B_ID}#4.0", f"{B_ID}#5.0", f"{B_ID}#7.0"},
        ),
        (StatementFilter(stance="criticism"), {f"{A_ID}#2.0", f"{B_ID}#3.0", f"{B_ID}#4.0", f"{B_ID}#5.0"}),
        (StatementFilter(party=["Arvenia"], stance=["demand"]), {f"{A_ID}#1.0", f"{A_ID}#4.0", f"{B_ID}#2.0"}),
        (StatementFilter(target=["Arvenia"], stance=["demand"]), {f"{B_ID}#7.0"}),
        (StatementFilter(actor=["Arvenia"]), {f"{B_ID}#2.0"}),
    ],
)
def test_filters_select_statements(filters, expected):
    assert set(filters.apply(statements_frame(pair()))["sid"]) == expected


def test_topic_filter_by_key_term_in_compare():
    result = compare_readouts(pair(), config=_config(StatementFilter(topic=["tariffs"])))
    assert set(result.statements["sid"]) == {f"{B_ID}#5.0", f"{B_ID}#7.0"}
    assert result.counts().to_dict("index") == {"Calder": {"demand": 1, "concession": 0, "criticism": 1, "total": 2}}
    # the filtered alignment keeps only rows touching a kept statement
    assert set(result.alignment.frame["kind"]) == {"only_b"}


def test_unknown_stance_filter_is_an_error_with_a_suggestion():
    with pytest.raises(DataError, match="did you mean 'concession'"):
        StatementFilter(stance=["concesion"])


def test_filter_leaves_frame_without_topic_column_alone():
    frame = statements_frame(pair())
    assert len(StatementFilter(topic=["visa"]).apply(frame)) == len(frame)
    assert isinstance(StatementFilter().mask(frame), pd.Series)


def _config(filters):
    from stancekit.compare import CompareConfig

    return CompareConfig(filters=filters)
