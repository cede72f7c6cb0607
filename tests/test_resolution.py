from __future__ import annotations

import pytest

from stancekit.registry import ActorRegistry
from stancekit.resolution import DocumentResolver


@pytest.fixture(scope="module")
def registry():
    return ActorRegistry.default()


def span(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def resolve(registry, sentences, i, needle):
    doc = DocumentResolver(registry, sentences)
    return doc.resolve_speaker(i, *span(sentences[i], needle))


def test_metonyms_and_institutions_resolve_to_the_state(registry):
    sents = ["Beijing rejected the claim.", "Chinese officials warned Tokyo.", "The Dutch government agreed."]
    assert resolve(registry, sents, 0, "Beijing") == ("China", "China")
    assert resolve(registry, sents, 1, "Chinese officials") == ("China", "China")
    assert resolve(registry, sents, 2, "The Dutch government") == ("Netherlands", "Netherlands")


def test_eu_metonym_keeps_the_institutional_actor(registry):
    assert resolve(registry, ["Brussels has warned Beijing."], 0, "Brussels") == ("European Union", "EU")


def test_surname_links_to_full_name_from_earlier_sentence(registry):
    sents = ["Foreign Minister Abebe Tesfaye of Ethiopia met his Kenyan counterpart.", "Tesfaye urged Nairobi to act."]
    actor, party = resolve(registry, sents, 1, "Tesfaye")
    assert actor == "Abebe Tesfaye" and party == "Ethiopia"


def test_pronoun_resolves_to_the_last_person_speaking(registry):
    sents = ["Lavrov met Wang Yi in Moscow.", "Lavrov urged the West to stop arming Kyiv.", "He also warned Paris."]
    doc = DocumentResolver(registry, sents)
    doc.resolve_speaker(1, *span(sents[1], "Lavrov"))
    assert doc.resolve_speaker(2, *span(sents[2], "He")) == ("Sergey Lavrov", "Russia")


def test_description_resolves_through_the_registry_title(registry):
    sents = ["The EU's top diplomat pressed China to act.", "This followed a meeting with Kaja Kallas."]
    actor, party = resolve(registry, sents, 0, "The EU's top diplomat")
    assert party == "EU" and actor in {"Kaja Kallas", "Josep Borrell"}


def test_target_named_after_the_cue_and_split_on_and(registry):
    sents = ["Lavrov urged Kyiv and Paris to negotiate."]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_target(0, "demand", "Russia", cue_end=span(sents[0], "urged")[1]) == ["Ukraine", "France"]


def test_undirected_demand_targets_the_counterpart(registry):
    sents = ["Wang Yi met Kaja Kallas in Brussels.", "Wang called for mutual respect."]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_target(1, "demand", "China", cue_end=span(sents[1], "called for")[1]) == ["EU"]


def test_user_registry_extends_and_overrides(tmp_path, registry):
    path = tmp_path / "mine.json"
    path.write_text('{"parties": [], "actors": [{"actor": "Jane Roe", "party": "Atlantis", "aliases": ["Roe"]}]}')
    extended = registry.extend(ActorRegistry.from_file(path))
    assert extended.actor("Roe").party == "Atlantis"
    assert extended.party_of_name("Beijing") == "China"


def test_bad_registry_file_is_reported(tmp_path):
    from stancekit.errors import StancekitError

    path = tmp_path / "bad.json"
    path.write_text('{"parties": [{"party": "X", "colour": "red"}]}')
    with pytest.raises(StancekitError, match="E500"):
        ActorRegistry.from_file(path)


def test_joint_speaker_gives_one_statement_per_side_aimed_at_the_other(registry):
    sents = [
        "Wang Yi met Indian National Security Adviser Ajit Doval in Beijing.",
        "The two sides agreed to resume border trade.",
    ]
    doc = DocumentResolver(registry, sents)
    got = doc.resolve_statements(1, *span(sents[1], "The two sides"), "concession")
    assert sorted(got) == [("China", "China", "India"), ("India", "India", "China")]


def test_description_prefers_the_person_whose_title_matches_best(registry):
    sents = [
        "British Foreign Secretary David Lammy called Deputy Prime Minister Ishaq Dar on Sunday.",
        "The Deputy Prime Minister said Pakistan was ready to talk.",
    ]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_speaker(1, *span(sents[1], "The Deputy Prime Minister"))[0] == "Ishaq Dar"


def test_repeated_keys_keep_their_own_statements_in_every_predictor():
    from stancekit.baselines import load_baseline
    from stancekit.records import Sentence

    sents = [Sentence("d", 0, "Lavrov urged Kyiv to negotiate."), Sentence("d", 0, "Talks ended without result.")]
    got = load_baseline("cues").predict(sents)
    assert [len(x) for x in got] == [1, 0]
