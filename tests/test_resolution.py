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


def test_demand_on_both_sides_targets_the_two_parties_the_readout_names_most(registry):
    sents = [
        "Fighting between Armenia and Azerbaijan resumed on Monday, Armenia said.",
        "Azerbaijan blamed Armenia for the shelling.",
        "Lavrov urged both sides to return to talks.",
        "Lavrov urged restraint.",
        "Lavrov welcomed both sides to Moscow.",
    ]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_target(2, "demand", "Russia", cue_end=span(sents[2], "urged")[1]) == ["Armenia", "Azerbaijan"]
    assert doc.resolve_target(3, "demand", "Russia", cue_end=span(sents[3], "urged")[1]) == ["Armenia"]
    # only demands address a pair; a concession "to both sides" keeps one counterpart
    assert doc.resolve_target(4, "concession", "Russia", cue_end=span(sents[4], "welcomed")[1]) == ["Armenia"]
    # the speaker's own side is never its own target, and one party left is no pair
    sents = ["Armenia and Azerbaijan met in Geneva.", "Armenia urged both sides to keep talking."]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_target(1, "demand", "Armenia", cue_end=span(sents[1], "urged")[1]) == ["Azerbaijan"]


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


def test_pronoun_prefers_the_subject_of_the_previous_sentence(registry):
    sents = [
        "Foreign Secretary Jane Holloway met Prime Minister Ravi Menon and General Tomas Ortega.",
        "She urged both sides to keep talking.",
    ]
    assert resolve(registry, sents, 1, "She")[0] == "Jane Holloway"


def test_pronoun_after_a_trailing_reporting_clause(registry):
    sents = [
        "China is ready to import more coffee from Kenya, Wang Yi told Foreign Minister Amos Wekesa.",
        "He also called on Nairobi to protect Chinese workers.",
    ]
    assert resolve(registry, sents, 1, "He") == ("Wang Yi", "China")


def test_pronoun_chain_follows_earlier_pronouns(registry):
    sents = ["Sergey Lavrov met Ararat Mirzoyan in Moscow.", "He noted progress.", "He then warned the West."]
    assert resolve(registry, sents, 2, "He") == ("Sergey Lavrov", "Russia")


def test_office_with_of_phrase_resolves_to_the_titled_person(registry):
    sents = [
        "The Business Secretary, Jonathan Reed, met Secretary-General Omar Haddad of the GCC.",
        "The Secretary of State pressed for open procurement markets.",
    ]
    assert resolve(registry, sents, 1, "The Secretary of State")[0] == "Jonathan Reed"


def test_deputy_is_not_the_office_itself(registry):
    sents = [
        "Prime Minister Ravi Menon met the envoy.",
        "Deputy Prime Minister and Foreign Minister Lina Sato joined them.",
        "The Prime Minister urged calm.",
        "The Deputy Prime Minister urged restraint.",
    ]
    assert resolve(registry, sents, 2, "The Prime Minister")[0] == "Ravi Menon"
    assert resolve(registry, sents, 3, "The Deputy Prime Minister")[0] == "Lina Sato"


def test_titles_before_a_middle_initial_belong_to_the_full_name(registry):
    sents = [
        "Secretary of State Antony J. Blinken met Foreign Minister Wang Yi in Beijing.",
        "The Secretary and Director Wang held talks.",
        "The Secretary urged China to stop supplying Russia.",
    ]
    assert resolve(registry, sents, 2, "The Secretary") == ("Antony Blinken", "United States")


def test_apostrophe_names_do_not_match_a_shorter_alias(registry):
    sents = ["The EU's sanctions envoy, David O'Sullivan, toured the region.", "He warned firms in Astana."]
    assert resolve(registry, sents, 1, "He")[0] == "David O'Sullivan"


def test_unnamed_members_and_offices_speak_for_their_institution(registry):
    sents = [
        "A White House official said Washington expected more.",
        "Hamas was accused by Netanyahu's office of lying.",
    ]
    assert resolve(registry, sents, 0, "A White House official") == ("United States", "United States")
    assert resolve(registry, sents, 1, "Netanyahu's office") == ("Israel", "Israel")


def test_other_given_name_before_a_surname_alias_is_another_person(registry):
    sents = ["Trade envoy Amna Lavrov met officials in Geneva.", "She urged them to drop the duties."]
    assert resolve(registry, sents, 1, "She")[0] == "Amna Lavrov"
    sents = ["Foreign Minister Seyed Sergey Lavrov met officials in Geneva.", "He urged them to drop the duties."]
    assert resolve(registry, sents, 1, "He") == ("Sergey Lavrov", "Russia")


def test_apposition_titles_stop_at_the_next_person(registry):
    sents = [
        "The envoy met Prime Minister Ravi Menon, Deputy Prime Minister Lina Sato and General Tomas Ortega.",
        "The Deputy Prime Minister later urged restraint.",
        "The Prime Minister urged calm.",
    ]
    assert resolve(registry, sents, 1, "The Deputy Prime Minister")[0] == "Lina Sato"
    assert resolve(registry, sents, 2, "The Prime Minister")[0] == "Ravi Menon"


def test_plural_speaker_with_coordinated_parties_gives_one_side_each(registry):
    sents = ["Ministers from Kenya and Tanzania urged Uganda to reopen the border."]
    doc = DocumentResolver(registry, sents)
    out = doc.resolve_statements(0, *span(sents[0], "Ministers from Kenya and Tanzania"), "demand")
    assert [(a, p, t) for a, p, t in out] == [("Kenya", "Kenya", "Uganda"), ("Tanzania", "Tanzania", "Uganda")]


def test_they_after_several_sides_spoke_means_all_of_them(registry):
    sents = ["Kenya urged calm and Tanzania warned Uganda.", "They called on Kampala to reopen the border."]
    doc = DocumentResolver(registry, sents)
    doc.resolve_statements(0, *span(sents[0], "Kenya"), "demand")
    doc.resolve_statements(0, *span(sents[0], "Tanzania"), "criticism")
    out = doc.resolve_statements(1, *span(sents[1], "They"), "demand")
    assert sorted(p for _, p, _ in out) == ["Kenya", "Tanzania"]


def test_capitalised_titles_are_not_part_of_an_unregistered_name(registry):
    sents = ["Kenyan Health Minister Amina Odhiambo met Colonel Ibrahim Sow.", "Odhiambo urged Mali to act."]
    doc = DocumentResolver(registry, sents)
    assert [m.actor for m in doc.mentions[0] if m.person] == ["Amina Odhiambo", "Ibrahim Sow"]
    assert doc.resolve_speaker(1, *span(sents[1], "Odhiambo")) == ("Amina Odhiambo", "Kenya")


def test_subject_with_a_relative_clause_or_an_apposition(registry):
    sents = [
        "President Ana Ruiz met Prime Minister Tomas Berg in Lima.",
        "Berg, who had come to Lima hoping to reset relations, replied calmly.",
        "He told Ruiz that Sweden was willing to buy more copper.",
    ]
    assert resolve(registry, sents, 2, "He")[0] == "Tomas Berg"
    sents = [
        "Uzbek Foreign Minister Bakhtiyor Saidov urged Kabul to share data.",
        "A Taliban spokesman, Matiullah Abid, said the canal would be completed.",
        "He said Kabul was open to cooperation.",
    ]
    assert resolve(registry, sents, 2, "He")[0] == "Matiullah Abid"


def test_bare_office_prefers_the_holder_without_another_office_word(registry):
    sents = [
        "Secretary of State Marco Rubio spoke with Philippine Secretary of Foreign Affairs Theresa Lazaro.",
        "The Secretary condemned the manoeuvres.",
    ]
    assert resolve(registry, sents, 1, "The Secretary")[0] == "Marco Rubio"


def test_unnamed_spokesperson_speaks_for_the_side_speaking(registry):
    sents = ["Beijing urged Tokyo to retract the remarks.", "A ministry spokesperson warned of consequences."]
    doc = DocumentResolver(registry, sents)
    doc.resolve_speaker(0, *span(sents[0], "Beijing"))
    assert doc.resolve_speaker(1, *span(sents[1], "A ministry spokesperson")) == ("China", "China")


def test_titles_inside_the_speaker_span_and_arabic_particles(registry):
    sents = [
        "Energy Minister Saad al-Kaabi met President Donald Trump.",
        "Kaabi urged buyers to sign long-term contracts.",
        "President Trump warned Doha.",
    ]
    assert resolve(registry, sents, 1, "Kaabi")[0] == "Saad al-Kaabi"
    assert resolve(registry, sents, 2, "President Trump") == ("Donald Trump", "United States")


def test_a_party_name_is_not_read_as_part_of_a_longer_name(registry):
    sents = ["The Forum on China-Africa Cooperation met in Beijing.", "China pledged new credit lines."]
    assert resolve(registry, sents, 1, "China") == ("China", "China")


def test_long_pronoun_chains_stay_linear(registry):
    body = ["He thanked the hosts.", "He visited a port.", "He toured a factory.", "He laid a wreath."]
    sents = ["The delegation was received by Foreign Minister Amos Wekesa."]
    sents += [body[n % 4] for n in range(600)] + ["He urged Beijing to open its market."]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_speaker(len(sents) - 1, 0, 2)[0] == "Amos Wekesa"  # the only person, found in linear time
    sents = ["Sergey Lavrov met Ararat Mirzoyan in Moscow.", *["He noted progress."] * 600]
    assert resolve(registry, sents, 600, "He") == ("Sergey Lavrov", "Russia")


def test_possessive_opening_is_not_the_subject(registry):
    sents = [
        "Trump's envoy Steve Witkoff met President Vladimir Putin in Moscow.",
        "He urged Moscow to accept a truce.",
    ]
    assert resolve(registry, sents, 1, "He")[0] == "Steve Witkoff"


def test_hyphenated_offices_match_whole(registry):
    sents = ["Nigerian Vice-President Kashim Shettima met President Cyril Ramaphosa.", "The Vice-President urged calm."]
    assert resolve(registry, sents, 1, "The Vice-President")[0] == "Kashim Shettima"
    sents = [
        "Secretary-General Omar Haddad of the GCC met General Tomas Ortega.",
        "The Secretary-General urged restraint.",
    ]
    assert resolve(registry, sents, 1, "The Secretary-General")[0] == "Omar Haddad"


def test_coordination_with_an_article(registry):
    sents = ["Ministers from Kenya and the United States urged Uganda to act."]
    doc = DocumentResolver(registry, sents)
    out = doc.resolve_statements(0, *span(sents[0], "Ministers from Kenya and the United States"), "demand")
    assert [p for _, p, _ in out] == ["Kenya", "United States"]
    sents = ["Lavrov urged Kyiv and the United States to negotiate."]
    doc = DocumentResolver(registry, sents)
    assert doc.resolve_target(0, "demand", "Russia", cue_end=span(sents[0], "urged")[1]) == ["Ukraine", "United States"]


def test_honorifics_and_title_words_inside_names(registry):
    assert resolve(registry, ["Chairman Kim urged Seoul to halt the drills.", "He warned Washington."], 1, "He")[0] == (
        "Kim Jong Un"
    )
    sents = ["Kazakh envoy Aliya Bekova met Kyrgyz envoy Sultan Raev.", "Raev urged Astana to reopen the border."]
    assert resolve(registry, sents, 1, "Raev")[0] == "Sultan Raev"


def test_titles_then_a_name_resolve_to_the_person(registry):
    sents = ["Chinese President Xi Jinping urged restraint."]
    assert resolve(registry, sents, 0, "Chinese President Xi Jinping") == ("Xi Jinping", "China")
    sents = ["The interim government led by Muhammad Yunus rejected the claim."]
    assert resolve(registry, sents, 0, "The interim government led by Muhammad Yunus")[0] != "Muhammad Yunus"


def test_both_countries_are_the_sides_the_readout_is_about(registry):
    sents = [
        "Armenia and Azerbaijan signed a peace text in Washington.",
        "Armenia agreed to amend its constitution and Azerbaijan agreed to reopen transit routes.",
        "The United States offered to guarantee the corridor.",
        "Both countries also lifted their objections to each other's participation in regional bodies.",
    ]
    doc = DocumentResolver(registry, sents)
    out = doc.resolve_statements(3, *span(sents[3], "Both countries"), "concession")
    assert sorted(p for _, p, _ in out) == ["Armenia", "Azerbaijan"]


def test_a_person_after_a_partys_registered_name_is_found(registry):
    sents = [
        "Minister of Foreign Affairs of the Russian Federation Oksana Petrova held talks in Moscow.",
        "Petrova urged Kyiv to return to talks.",
    ]
    assert resolve(registry, sents, 1, "Petrova") == ("Oksana Petrova", "Russia")


def test_a_description_means_the_unplaced_person_when_nobody_of_its_side_was_named(registry):
    sents = [
        "On February 12, Foreign Minister Ana Lindqvist held talks in Moscow with a visiting delegation.",
        "The Russian minister called for restraint.",
    ]
    assert resolve(registry, sents, 1, "The Russian minister") == ("Ana Lindqvist", "Russia")
    # a person the text places on another side is not taken for it
    sents[0] = "On February 12, Ukrainian Foreign Minister Ana Lindqvist held talks in Moscow."
    assert resolve(registry, sents, 1, "The Russian minister") == ("Russia", "Russia")
