"""The model card: Hugging Face front matter, the sections, evaluation results from the harness."""

from __future__ import annotations

import json

import pytest

from stancekit.modelcard import card_metadata, hub_base_model, model_card, write_model_card
from tests.conftest import TINY

SECTIONS = [
    "## Intended use",
    "## Out-of-scope use",
    "## Training data",
    "## Evaluation results",
    "## Limitations",
    "## How to use",
]


@pytest.fixture(scope="module")
def report():
    from stancekit.baselines import load_baseline
    from stancekit.evaluation import evaluate

    return evaluate(load_baseline("cues"), "seed", n_resamples=50)


def test_front_matter_follows_the_hub_conventions():
    card = model_card({"name": "diplomacy-v2", "base_model": "all-MiniLM-L6-v2"})
    meta = card_metadata(card)
    assert meta["library_name"] == "stancekit"
    assert meta["license"] == "apache-2.0"
    assert meta["language"] == ["en"]
    assert "stance-detection" in meta["tags"]
    assert meta["base_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["pipeline_tag"] == "token-classification"
    assert "model-index" not in meta  # no results known
    positions = [card.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert "No evaluation recorded yet" in card


def test_license_and_base_model_choices(tmp_path):
    assert card_metadata(model_card({"license": "cc-by-4.0"}))["license"] == "cc-by-4.0"
    assert card_metadata(model_card({"license": "cc-by-4.0"}, license="mit"))["license"] == "mit"
    # a local folder is no Hub id: left out of the metadata, still named in the text
    card = model_card({"base_model": str(TINY)})
    assert "base_model" not in card_metadata(card) and str(TINY) in card
    assert hub_base_model("answerdotai/ModernBERT-base") == "answerdotai/ModernBERT-base"
    assert hub_base_model(None) is None and hub_base_model("../up") is None


def test_odd_names_keep_the_yaml_valid():
    name = 'runs/model: "v2" # final'
    meta = card_metadata(model_card({"name": name, "eval_results": {"seed": {"stance_macro_f1": {"value": 0.7}}}}))
    assert meta["model-index"][0]["name"] == name


def test_evaluation_results_from_a_harness_report(report, tmp_path):
    card = model_card({"name": "m", "training": {"train_sentences": 10}}, report=report)
    meta = card_metadata(card)
    (entry,) = meta["model-index"][0]["results"]
    assert entry["task"]["type"] == "token-classification"
    assert entry["dataset"]["name"] == f"stancekit suite seed v{report.suite['version']}"
    values = {m["type"]: m["value"] for m in entry["metrics"]}
    assert values["statement_macro_f1"] == report.metrics["all"]["statement_macro_f1"]["value"]
    assert all(m["verified"] is False for m in entry["metrics"])
    # the text has both subsets with intervals, per-stance scores and provenance
    m = report.metrics["all"]["speaker_exact_f1"]
    assert f"| speaker_exact_f1 | all | {m['value']:.3f} | [{m['ci_low']:.3f}, {m['ci_high']:.3f}] |" in card
    assert "| statement_macro_f1 | confident |" in card
    assert "| demand |" in card and f"{report.counts['sentences']} sentences" in card
    # a report file and its dict give the same card
    path = tmp_path / "report.json"
    report.save(path)
    assert model_card({"name": "m", "training": {"train_sentences": 10}}, report=str(path)) == card
    assert model_card({"name": "m", "training": {"train_sentences": 10}}, report=[report.to_dict()]) == card


def test_results_stored_in_the_config_still_appear():
    # the shape `stancekit demo` stores: {suite: report.metrics["all"]}
    results = {"dev": {"stance_macro_f1": {"value": 0.84, "ci_low": 0.8, "ci_high": 0.88}}}
    card = model_card({"name": "m", "eval_results": results})  # positional, as save_pretrained calls it
    assert "| stance_macro_f1 | all | 0.840 | [0.800, 0.880] |" in card
    assert card_metadata(card)["model-index"][0]["results"][0]["dataset"]["type"] == "stancekit/dev"


def test_saved_model_folder_has_the_card_and_it_can_be_rewritten(tmp_path, report):
    from stancekit.modeling import StanceModel

    folder = tmp_path / "model"
    StanceModel.from_base(str(TINY), seed=0).save_pretrained(folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert card_metadata(card)["pipeline_tag"] == "token-classification"
    assert all(s in card for s in SECTIONS)
    version = json.loads((folder / "config.json").read_text())["versions"]["stancekit"]
    assert f"Saved with stancekit {version}" in card

    write_model_card(folder, report=report)
    meta = card_metadata((folder / "README.md").read_text(encoding="utf-8"))
    assert meta["model-index"][0]["results"][0]["dataset"]["type"] == "stancekit/seed"
    StanceModel.from_pretrained(folder)  # the folder still loads
