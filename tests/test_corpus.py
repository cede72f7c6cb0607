"""The bundled training corpus: valid, big and broad enough, up to date, and free of evaluation data."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from stancekit.corpus import corpus_stats
from stancekit.jsonl import read_sentences
from stancekit.validation import validate_file

from .conftest import ROOT, SEED_GOLD

DATA = ROOT / "training" / "data"
SPLITS = [DATA / "train.jsonl", DATA / "dev.jsonl"]


@pytest.fixture(scope="module")
def corpus():
    return [s for path in SPLITS for s in read_sentences(path)]


@pytest.fixture(scope="module")
def documents():
    return [json.loads(line) for line in (DATA / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


@pytest.mark.parametrize("path", SPLITS, ids=lambda p: p.name)
def test_every_split_validates(path):
    assert validate_file(path) == []


def test_splits_are_built_from_the_current_sources():
    result = subprocess.run(
        [sys.executable, str(ROOT / "training" / "build_corpus.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dev_split_is_by_document(corpus):
    train_docs = {s.doc_id for s in read_sentences(SPLITS[0])}
    dev_docs = {s.doc_id for s in read_sentences(SPLITS[1])}
    assert dev_docs and not train_docs & dev_docs


def test_registered_speakers_carry_the_registry_actor_name(corpus):
    # the harness compares actor names as written (up to case and accents): gold "ECOWAS" against
    # the resolver's "Economic Community of West African States" would count a correct statement as wrong
    from stancekit.evaluation import normalize_name
    from stancekit.registry import ActorRegistry

    registry = ActorRegistry.default()
    canonical = {}
    for entry in registry.parties.values():
        for name in (entry.party, *entry.names):
            canonical[name] = entry.canonical_actor
    wrong = []
    for s in corpus:
        for t in s.statements:
            person = registry.actor(t.actor)
            name = person.actor if person else canonical.get(t.actor, t.actor)
            if normalize_name(name) != normalize_name(t.actor):
                wrong.append(f"{s.doc_id}#{s.sent_index}: {t.actor!r} -> {name!r}")
    assert wrong == []


def test_no_training_sentence_shares_an_8_word_sequence_with_evaluation_data(corpus):
    evaluation = set().union(*(ngrams(s.text) for s in read_sentences(SEED_GOLD)))
    evaluation |= set().union(*(ngrams(p.read_text(encoding="utf-8")) for p in (ROOT / "eval/data/seeds").glob("*")))
    leaks = [s.text for s in corpus if ngrams(s.text) & evaluation]
    assert leaks == []


def test_leakage_guard_catches_a_copied_sentence():
    seed = read_sentences(SEED_GOLD)[2].text
    evaluation = ngrams(seed)
    copied = "In other news, " + seed.lower()
    assert ngrams(copied) & evaluation


def test_no_training_document_is_about_the_seed_meetings(corpus):
    by_doc: dict[str, str] = {}
    for s in corpus:
        by_doc[s.doc_id] = by_doc.get(s.doc_id, "") + " " + s.text
    offending = []
    for doc_id, text in by_doc.items():
        if re.search(r"nexperia|wingtech", text, re.I):
            offending.append(doc_id)
        if "Kallas" in text and "Wang" in text:
            offending.append(doc_id)
        if "Costa" in text and re.search(r"\bLi Qiang\b|\bLi\b", text):
            offending.append(doc_id)
        if re.search(r"Kuala Lumpur", text) and re.search(r"\bEU\b|European Union", text):
            offending.append(doc_id)
    assert offending == []


def test_corpus_meets_the_size_balance_and_breadth_targets(corpus, documents):
    stats = corpus_stats(corpus, documents)
    assert stats["documents"] >= 200 and stats["sentences"] >= 2500
    assert min(stats["statements_per_stance"].values()) >= 500
    assert stats["background_share"] >= 0.35
    assert stats["distinct_speakers"] >= 60 and stats["distinct_parties"] >= 25
    assert stats["topics"] >= 20 and stats["distinct_cue_expressions"] >= 150
    registers = stats["registers"]
    assert all(
        registers.get(r, 0) >= 10 for r in ("western-readout", "chinese-readout", "russian-readout", "wire", "analysis")
    )
    for tag in (
        "negation",
        "hypothetical",
        "multi_speaker",
        "multi_stance",
        "pronoun",
        "passive",
        "channel",
        "quotation",
        "long",
        "non_speaker_cue",
        "title_only",
        "description",
    ):
        assert stats["hard_case_tags"].get(tag, 0) >= 15, tag


def test_corpus_stats_cli_prints_the_numbers():
    from typer.testing import CliRunner

    from stancekit.cli.app import app

    result = CliRunner().invoke(app, ["corpus-stats"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["sentences"] >= 2500 and "hard_case_share" in stats
