from __future__ import annotations

import json
import random
import re

import pytest

from stancekit.augment import GIVEN_NAMES, SURNAMES, augment_names, rename_readouts, speaking_people, swap_names
from stancekit.errors import ConfigError
from stancekit.jsonl import read_sentences
from stancekit.records import Sentence, Statement
from stancekit.training import TrainingConfig, fingerprint

from .conftest import ROOT


def statement(text: str, speaker: str, actor: str, party: str, stance: str, cue: str | None = None) -> Statement:
    a = text.index(speaker)
    c = text.index(cue) if cue else None
    return Statement(
        speaker, a, a + len(speaker), actor, party, stance, cue=cue, cue_start=c, cue_end=c + len(cue) if cue else None
    )


def test_every_span_still_names_its_words_after_the_swap():
    text = "Foreign Minister Sergey Lavrov told Antony Blinken that Russia wanted talks, and Blinken criticised Moscow."
    sent = Sentence(
        "d",
        0,
        text,
        [
            statement(text, "Sergey Lavrov", "Sergey Lavrov", "Russia", "demand", "wanted talks"),
            statement(text, "Blinken", "Antony Blinken", "United States", "criticism", "criticised"),
        ],
    )
    out = swap_names(sent, random.Random(0))
    assert "Lavrov" not in out.text and "Blinken" not in out.text
    lavrov, blinken = out.statements
    assert out.text[lavrov.speaker_start : lavrov.speaker_end] == lavrov.speaker == lavrov.actor
    assert out.text[blinken.speaker_start : blinken.speaker_end] == blinken.speaker == blinken.actor.split()[-1]
    assert out.text[lavrov.cue_start : lavrov.cue_end] == "wanted talks"
    assert out.text[blinken.cue_start : blinken.cue_end] == "criticised"
    # the full name in the object position is the same person: renamed the same way
    assert out.text.count(blinken.actor) == 1
    assert [(s.stance, s.party) for s in out.statements] == [("demand", "Russia"), ("criticism", "United States")]


@pytest.mark.parametrize(
    ("text", "speaker", "actor", "party"),
    [
        ("Beijing urged Manila to stop.", "Beijing", "China", "China"),
        ("Wang urged Manila to stop.", "Wang", "Wang Yi", "China"),  # surname first: left alone
        ("The Foreign Ministry urged Manila to stop.", "The Foreign Ministry", "Foreign Ministry", "China"),
        ("He urged Manila to stop.", "He", "Sergey Lavrov", "Russia"),  # the name is not in the sentence
    ],
)
def test_institutions_places_and_names_it_cannot_place_stay(text, speaker, actor, party):
    sent = Sentence("d", 0, text, [statement(text, speaker, actor, party, "demand", "urged")])
    assert speaking_people(sent) == {}
    assert swap_names(sent, random.Random(0)) == sent


def test_a_span_boundary_inside_a_name_leaves_the_sentence_unchanged():
    text = "Lavrov urged Kyiv to talk."
    odd = Statement("Lavrov", 0, 6, "Sergey Lavrov", "Russia", "demand", cue="vrov urged", cue_start=2, cue_end=12)
    sent = Sentence("d", 0, text, [odd])
    assert swap_names(sent, random.Random(0)) == sent


def test_augmenting_is_deterministic_and_rate_bounded():
    sents = read_sentences(ROOT / "training/data/dev.jsonl")
    assert augment_names(sents, 0.0, seed=1) == sents
    a, b = augment_names(sents, 0.5, seed=1), augment_names(sents, 0.5, seed=1)
    assert a == b and len(a) == len(sents)
    assert a != augment_names(sents, 0.5, seed=2)
    everyone = augment_names(sents, 1.0, seed=1)
    changed = [(s, t) for s, t in zip(sents, everyone, strict=True) if s.text != t.text]
    qualifying = [s for s in sents if speaking_people(s)]
    assert len(changed) >= 0.9 * len(qualifying) > 50
    for s, t in changed:
        assert [x.stance for x in s.statements] == [x.stance for x in t.statements]
        assert all(t.text[x.speaker_start : x.speaker_end] == x.speaker for x in t.statements)
        new_words = set(re.findall(r"[\w'-]+", t.text)) - set(re.findall(r"[\w'-]+", s.text))
        assert new_words & (set(GIVEN_NAMES) | set(SURNAMES))


def test_readouts_rename_one_person_the_same_way_in_every_sentence():
    t0, t1 = "Kaja Kallas arrived in Kyiv.", "Kallas urged Moscow to stop, Kaja Kallas said."
    doc = [
        Sentence("d", 0, t0),
        Sentence("d", 1, t1, [statement(t1, "Kallas", "Kaja Kallas", "EU", "demand", "urged")]),
        Sentence("e", 0, t1, [statement(t1, "Kallas", "Kaja Kallas", "EU", "demand", "urged")]),
    ]
    out = rename_readouts(doc, seed=4)
    new = out[1].statements[0].actor
    assert new != "Kaja Kallas"
    assert out[0].text == f"{new} arrived in Kyiv."
    assert out[1].text == f"{new.split()[-1]} urged Moscow to stop, {new} said."
    assert out[2].statements[0].actor != "Kaja Kallas"  # another readout gets its own draw
    assert rename_readouts(doc, seed=4) == out


def test_name_swap_is_checked_and_changes_the_fingerprint(tmp_path):
    with pytest.raises(ConfigError, match="name_swap"):
        TrainingConfig(train_file="a", output_dir="b", name_swap=1.5)
    data = tmp_path / "t.jsonl"
    data.write_text(json.dumps({"doc_id": "d", "sent_index": 0, "text": "x", "statements": []}) + "\n")
    plain = TrainingConfig(train_file=str(data), output_dir="b")
    swapped = TrainingConfig(train_file=str(data), output_dir="b", name_swap=0.5)
    assert fingerprint(plain) != fingerprint(swapped)
