"""Two readouts of one meeting: known matches, omissions and reframings on a hand-made pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancekit.compare import AlignConfig, StatementFilter, align_readouts, encoder_embedder
from stancekit.errors import ConfigError
from stancekit.jsonl import read_sentences
from stancekit.records import Readout, Sentence, Statement, group_readouts

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
A, B = "arvenia-calder-2024-03-arv", "arvenia-calder-2024-03-cal"
#: the answer key of tests/fixtures/compare/README.md
MATCHES = {(f"{A}#1.0", f"{B}#2.0"), (f"{A}#2.0", f"{B}#3.0"), (f"{A}#3.0", f"{B}#1.0"), (f"{A}#6.0", f"{B}#6.0")}
REFRAMED = {(f"{A}#5.0", f"{B}#4.0")}
ONLY_A = {f"{A}#4.0"}
ONLY_B = {f"{B}#5.0", f"{B}#7.0"}


def load(name: str) -> Readout:
    (readout,) = group_readouts(read_sentences(FIXTURES / name))
    return readout


def pairs(alignment, kind):
    rows = alignment.kind(kind)
    return set(zip(rows["a_sid"], rows["b_sid"], strict=True))


def test_known_matches_omissions_and_reframings():
    result = align_readouts(load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl"))
    assert (result.a, result.b) == (A, B)
    assert pairs(result, "match") == MATCHES
    assert pairs(result, "reframed") == REFRAMED
    assert set(result.kind("only_a")["a_sid"]) == ONLY_A
    assert set(result.kind("only_b")["b_sid"]) == ONLY_B
    assert result.counts() == {"match": 4, "reframed": 1, "only_a": 1, "only_b": 2}
    assert result.kind("only_a")["b_sid"].isna().all() and result.kind("only_b")["a_sid"].isna().all()


def test_reframing_reports_both_stances_and_sentences():
    row = align_readouts(load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl")).kind("reframed").iloc[0]
    assert (row["a_stance"], row["b_stance"]) == ("concession", "criticism")
    assert row["a_party"] == row["b_party"] == "Calder"
    assert "Tarn border crossing" in row["a_sentence"] and "Tarn border crossing" in row["b_sentence"]
    assert 0 < row["similarity"] <= row["score"]


def test_match_despite_different_actor_names():
    result = align_readouts(load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl"))
    row = result.frame[result.frame["b_sid"] == f"{B}#2.0"].iloc[0]
    assert row["kind"] == "match" and (row["a_actor"], row["b_actor"]) == ("Ilse Marek", "Arvenia")


def test_alignment_is_symmetric():
    result = align_readouts(load("meeting_calder.jsonl"), load("meeting_arvenia.jsonl"))
    assert pairs(result, "match") == {(b, a) for a, b in MATCHES}
    assert pairs(result, "reframed") == {(b, a) for a, b in REFRAMED}
    assert set(result.kind("only_a")["a_sid"]) == ONLY_B
    assert set(result.kind("only_b")["b_sid"]) == ONLY_A


def test_rows_are_ordered_by_kind():
    kinds = list(align_readouts(load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl")).frame["kind"])
    assert kinds == ["match"] * 4 + ["reframed"] + ["only_a"] + ["only_b"] * 2


def test_similarity_threshold_turns_pairs_into_omissions():
    result = align_readouts(
        load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl"), config=AlignConfig(min_similarity=0.99)
    )
    assert result.counts() == {"match": 1, "reframed": 0, "only_a": 5, "only_b": 6}  # only the identical visa line
    assert pairs(result, "match") == {(f"{A}#6.0", f"{B}#6.0")}


def test_statements_of_different_parties_never_pair():
    def readout(doc_id, party):
        st = Statement("Li", 0, 2, "Li Qiang", party, "demand", "EU")
        return Readout(doc_id, [Sentence(doc_id, 0, "Li urged the EU to lift tariffs on cars.", [st])])

    assert align_readouts(readout("a", "China"), readout("b", "Japan")).counts()["match"] == 0
    loose = align_readouts(readout("a", "China"), readout("b", "Japan"), config=AlignConfig(same_party=False))
    assert loose.counts()["match"] == 1


def test_stance_bonus_prefers_the_same_stance_among_similar_sentences():
    text = "Li spoke about tariffs on electric cars."

    def st(stance):
        return Statement("Li", 0, 2, "Li Qiang", "China", stance, "EU")

    a = Readout("a", [Sentence("a", 0, text, [st("demand")])])
    b = Readout("b", [Sentence("b", 0, text, [st("criticism"), st("demand")])])
    result = align_readouts(a, b)
    assert pairs(result, "match") == {("a#0.0", "b#0.1")}
    assert set(result.kind("only_b")["b_sid"]) == {"b#0.0"}


def test_filtered_alignment_keeps_rows_touching_the_filter():
    result = align_readouts(load("meeting_arvenia.jsonl"), load("meeting_calder.jsonl"))
    calder = result.filtered(StatementFilter(party=["Calder"]))
    assert calder.counts() == {"match": 1, "reframed": 1, "only_a": 0, "only_b": 2}
    crit = result.filtered(StatementFilter(stance=["criticism"]))
    assert pairs(crit, "reframed") == REFRAMED  # A's concession is kept: B's side is a criticism


def test_empty_readouts():
    empty = Readout("e", [Sentence("e", 0, "Nothing said.")])
    result = align_readouts(empty, load("meeting_calder.jsonl"))
    assert result.counts() == {"match": 0, "reframed": 0, "only_a": 0, "only_b": 7}


def test_bad_config_values():
    with pytest.raises(ConfigError):
        AlignConfig(stance_weight=-1)


def test_encoder_embedder_aligns_a_readout_with_itself(tiny_model):
    readout = load("meeting_calder.jsonl")
    copy = Readout("copy", [Sentence("copy", s.sent_index, s.text, s.statements) for s in readout.sentences])
    result = align_readouts(
        readout, copy, embedder=encoder_embedder(tiny_model), config=AlignConfig(min_similarity=0.9)
    )
    assert result.counts() == {"match": 7, "reframed": 0, "only_a": 0, "only_b": 0}
    assert all(a.split("#")[1] == b.split("#")[1] for a, b in pairs(result, "match"))


def test_forced_alignment_needs_two_readouts():
    from stancekit.compare import CompareConfig, compare_readouts

    readouts = [load("meeting_arvenia.jsonl")]
    with pytest.raises(ConfigError) as err:
        compare_readouts(readouts, config=CompareConfig(align=True))
    assert err.value.code == "E608"
