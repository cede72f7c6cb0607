from __future__ import annotations

import json

from stancekit.splitting import split_offsets, split_readout

from .conftest import ROOT, SEED_GOLD


def test_seed_articles_split_exactly_as_gold():
    gold = [json.loads(line)["text"] for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]
    seeds = ROOT / "eval" / "data" / "seeds"
    got = []
    for name in ("2025-07-brussels.txt", "2025-10-kuala-lumpur.txt"):
        text = (seeds / name).read_text(encoding="utf-8")
        spans = split_offsets(text)
        got += [text[a:b] for a, b in spans]
    assert len(got) == 45
    assert got == gold


def test_offsets_index_the_input_and_keep_hard_cases():
    text = (
        "The U.S. pressed Beijing. “We will not yield,” Li said — firmly.\n\n"
        "A headline without a full stop\r\nLast line."
    )
    readout = split_readout(text, "d")
    assert [s.text for s in readout.sentences] == [
        "The U.S. pressed Beijing.",
        "“We will not yield,” Li said — firmly.",
        "A headline without a full stop",
        "Last line.",
    ]
    for s in readout.sentences:
        assert text[s.start : s.end] == s.text


def test_empty_and_blank_text():
    assert split_offsets("") == []
    assert split_offsets("  \n \t ") == []
