"""Topics without a hand-made list (clusters labelled by key terms), keyword lists, and embedders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stancekit.compare import TfidfEmbedder, assign_topics, embed, encoder_embedder, statements_frame
from stancekit.compare.topics import OTHER_TOPIC, Topics, check_topic_list, cluster_topics, keyword_topics
from stancekit.errors import ConfigError, DataError, StancekitError
from stancekit.jsonl import read_sentences
from stancekit.records import group_readouts

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
T1, T2, T3 = "arvenia-calder-2024-01", "arvenia-calder-2024-04", "arvenia-calder-2024-09"
#: statements of the timeline fixture by what they are about
TIMELINE_TOPICS = {
    "journalist": {f"{T1}#0.0", f"{T2}#0.0"},
    "tariffs": {f"{T1}#1.0", f"{T2}#1.0"},
    "dam": {f"{T1}#2.0", f"{T3}#1.0"},
    "fishing": {f"{T1}#3.0", f"{T2}#2.0", f"{T3}#0.0"},
}
KEYWORDS = {"journalist": ["journalist", "Anna Lind"], "tariffs": ["tariff", "steel"], "dam": ["dam", "river"],
            "fishing": ["fishing", "Gull Strait"]}  # fmt: skip


def timeline_frame():
    return statements_frame(group_readouts(read_sentences(FIXTURES / "timeline.jsonl")))


def groups(frame, labels):
    out: dict[str, set[str]] = {}
    for sid, label in zip(frame["sid"], labels, strict=True):
        out.setdefault(label, set()).add(sid)
    return out


def test_clusters_recover_the_topics_without_a_list():
    frame = timeline_frame()
    topics = assign_topics(frame)
    assert topics.method == "clusters"
    found = groups(frame, topics.labels)
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, TIMELINE_TOPICS.values()))
    by_sid = dict(zip(frame["sid"], topics.labels, strict=True))
    assert "journalist" in topics.terms[by_sid[f"{T1}#0.0"]]
    assert "steel" in topics.terms[by_sid[f"{T1}#1.0"]]
    assert "fishing" in topics.terms[by_sid[f"{T1}#3.0"]]
    assert any("dam" in term for term in topics.terms[by_sid[f"{T1}#2.0"]])


def test_cluster_labels_leave_out_names_and_cue_words():
    topics = assign_topics(timeline_frame())
    words = {w for terms in topics.terms.values() for term in terms for w in term.split()}
    assert not words & {"marek", "rhee", "calder", "arvenia", "urged", "asked", "said", "criticised"}


def test_n_topics_is_respected():
    topics = assign_topics(timeline_frame(), n_topics=2)
    assert len(set(topics.labels)) == 2


def test_keyword_list_replaces_clustering():
    frame = timeline_frame()
    topics = assign_topics(frame, keywords=KEYWORDS)
    assert topics.method == "keywords" and topics.terms == KEYWORDS
    assert groups(frame, topics.labels) == TIMELINE_TOPICS


def test_keyword_topics_prefix_match_ties_and_other():
    topics = {"trade": ["tariff"], "fish": ["fishing", "quota"]}
    assert keyword_topics(["New TARIFFS.", "A fishing quota and a tariff.", "Nothing here."], topics) == [
        "trade", "fish", OTHER_TOPIC]  # fmt: skip
    assert keyword_topics(["a tariff on fishing"], topics) == ["trade"]  # tie: first listed wins
    assert keyword_topics(["tarifa"], {"t": ["tariff"]}) == [OTHER_TOPIC]
    assert keyword_topics(["Gull   Strait patrols"], {"g": ["gull strait"]}) == ["g"]


@pytest.mark.parametrize("bad", [["a"], {}, {"t": []}, {"t": [1]}, {"t": [""]}])
def test_invalid_topic_lists_are_rejected(bad):
    with pytest.raises(DataError) as err:
        check_topic_list(bad)
    assert err.value.code == "E604"


def test_topic_resolution_by_label_or_key_term():
    topics = Topics(["a, b"], {"a, b": ["a", "b"], "steel, tariffs": ["steel", "tariffs"]})
    assert topics.resolve("steel, tariffs") == ["steel, tariffs"]
    assert topics.resolve("Tariffs") == ["steel, tariffs"]
    with pytest.raises(ConfigError, match="did you mean 'tariffs'"):
        topics.resolve("tarifs")


def test_custom_embedder_is_used_for_clustering():
    frame = timeline_frame()
    calls = []

    def by_country(texts):  # groups by who is speaking, ignoring what about
        calls.append(len(texts))
        return np.array([[1.0, 0.0] if t.startswith("Marek") else [0.0, 1.0] for t in texts])

    topics = assign_topics(frame, embedder=by_country)
    assert calls == [len(set(frame["sentence"]))]  # one call with every distinct sentence
    found = groups(frame, topics.labels)
    marek = {sid for sid, s in zip(frame["sid"], frame["sentence"], strict=True) if s.startswith("Marek")}
    assert marek in found.values()


def test_cluster_topics_small_inputs():
    assert cluster_topics(np.zeros((0, 3))).tolist() == []
    assert cluster_topics(np.array([[1.0, 0.0], [1.0, 0.0]])).tolist() == [0, 0]
    assert cluster_topics(np.eye(3), n_topics=3).tolist() == [0, 1, 2]


def test_tfidf_embedder_ignores_stop_words():
    vectors = embed(TfidfEmbedder(stop_words=["Marek"]), ["Marek urged talks", "Marek praised dams"])
    assert vectors.shape[0] == 2
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.0)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_embed_rejects_wrong_shapes():
    with pytest.raises(StancekitError) as err:
        embed(lambda texts: np.zeros(len(texts)), ["a", "b"])
    assert err.value.code == "E606"


def test_encoder_embedder_mean_pools_the_model_encoder(tiny_model):
    embedder = encoder_embedder(tiny_model, batch_size=2)
    texts = ["Marek urged Calder to act.", "Rhee agreed.", "Marek urged Calder to act.", "A much longer sentence here."]
    vectors = embedder(texts)
    assert vectors.shape == (4, tiny_model.network.encoder.config.hidden_size)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2], atol=1e-5)  # padding in another batch does not matter
    assert not np.allclose(vectors[0], vectors[1])
    assert encoder_embedder(tiny_model)([]).shape[0] == 0


def test_encoder_embedder_plugs_into_topics(tiny_model):
    frame = timeline_frame()
    topics = assign_topics(frame, embedder=encoder_embedder(tiny_model), n_topics=3)
    assert len(topics.labels) == len(frame) and len(set(topics.labels)) == 3
