"""``stancekit suggest``: uncertain sentences first, variety, exclusions, output formats, CLI smoke."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import StancekitError
from stancekit.interop.labelstudio import read_labelstudio
from stancekit.jsonl import read_sentences, write_sentences
from stancekit.records import Sentence, Statement
from stancekit.suggest import SuggestConfig, suggest, uncertainty, write_suggestions
from stancekit.tagging import RawStatement

runner = CliRunner()
AMBIGUOUS = "Li said Beijing might consider easing the curbs if Brussels showed restraint."
BACKGROUND = "The delegation toured the port of Piraeus."
CLEAR = "Kallas urged China to stop supporting Russia."


class FakeModel:
    """A model whose raw scores are fixed per sentence, so the ranking is known."""

    threshold = 0.5

    def __init__(self, scores: dict[str, list[float]]) -> None:
        self.scores = scores
        self.predicted: list[str] = []

    def calibration(self, score: float) -> float:
        return score

    def raw_predict(self, texts):
        return [[RawStatement(0, 2, "demand", s, None) for s in self.scores.get(t, [])] for t in texts]

    def predict(self, sentences):
        sentences = list(sentences)
        self.predicted += [s.text for s in sentences]
        return [
            [Statement(s.text[:2], 0, 2, s.text[:2], None, "demand", confidence=c)]
            for s in sentences
            for c in [max(self.scores.get(s.text) or [0.0])]
        ]


def sents(*texts: str, doc: str = "d") -> list[Sentence]:
    return [Sentence(doc, i, t) for i, t in enumerate(texts)]


def test_uncertainty_peaks_at_the_threshold():
    assert uncertainty([0.5], threshold=0.5) == 1.0
    assert uncertainty([0.97], threshold=0.5) == pytest.approx(0.06)
    assert uncertainty([0.25], threshold=0.5) == 0.5
    assert uncertainty([0.4, 0.4], threshold=0.5) > uncertainty([0.4], threshold=0.5)
    assert uncertainty([], threshold=0.5) == 0.0


def test_ambiguous_sentence_ranks_above_background_and_clear_ones():
    model = FakeModel({AMBIGUOUS: [0.48, 0.55], CLEAR: [0.97], BACKGROUND: []})
    found = suggest(sents(BACKGROUND, CLEAR, AMBIGUOUS), model, config=SuggestConfig(top=3, diversity=0.0))
    assert [s.sentence.text for s in found] == [AMBIGUOUS, CLEAR, BACKGROUND]
    assert [s.rank for s in found] == [1, 2, 3]
    assert found[0].uncertainty > 0.9 and found[2].uncertainty == 0.0
    # pre-annotations come from predicting whole documents (pronouns resolve as in `analyze`)
    assert found[0].sentence.statements[0].confidence == 0.55
    assert sorted(model.predicted) == sorted([BACKGROUND, CLEAR, AMBIGUOUS])


def test_diversity_skips_near_duplicates():
    twins = [f"Li urged the EU to drop tariffs on item {k}." for k in range(3)]
    other = "Costa voiced concern about overcapacity."
    model = FakeModel({**{t: [0.5] for t in twins}, other: [0.4]})
    plain = suggest(sents(*twins, other), model, config=SuggestConfig(top=2, diversity=0.0))
    assert [s.sentence.text for s in plain] == twins[:2]
    varied = suggest(sents(*twins, other), model, config=SuggestConfig(top=2, diversity=0.5))
    assert [s.sentence.text for s in varied] == [twins[0], other]


def test_exact_repeats_and_excluded_sentences_are_never_suggested():
    model = FakeModel({AMBIGUOUS: [0.5], CLEAR: [0.6]})
    found = suggest(sents(AMBIGUOUS, AMBIGUOUS + " ", CLEAR), model, config=SuggestConfig(top=3, diversity=0.0))
    assert [s.sentence.text for s in found] == [AMBIGUOUS, CLEAR]
    labelled = [Sentence("other", 9, AMBIGUOUS, [])]
    found = suggest(sents(AMBIGUOUS, CLEAR), model, exclude=labelled)
    assert [s.sentence.text for s in found] == [CLEAR]
    with pytest.raises(StancekitError, match=r"\[E716\] nothing to suggest"):
        suggest(sents(AMBIGUOUS), model, exclude=labelled)


@pytest.mark.parametrize(("kw", "detail"), [({"top": 0}, "top=0"), ({"diversity": 1.5}, "diversity=1.5")])
def test_invalid_settings(kw, detail):
    with pytest.raises(StancekitError) as err:
        SuggestConfig(**kw)
    assert (err.value.code, err.value.detail) == ("E715", detail)


def test_outputs_load_in_stancekit_and_label_studio(tmp_path):
    found = suggest(sents(AMBIGUOUS, CLEAR), FakeModel({AMBIGUOUS: [0.5], CLEAR: [0.9]}))
    out = tmp_path / "next.jsonl"
    write_suggestions(out, found)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert (first["suggest_rank"], first["suggest_score"], first["text"]) == (1, 1.0, AMBIGUOUS)
    assert [s.text for s in read_sentences(out)] == [AMBIGUOUS, CLEAR]
    ls = tmp_path / "next.json"
    write_suggestions(ls, found, fmt="labelstudio", model_version="tiny")
    tasks = json.loads(ls.read_text(encoding="utf-8"))
    assert tasks[0]["predictions"][0]["model_version"] == "tiny"
    with pytest.raises(StancekitError, match=r"\[E713\].*did you mean 'doccano'"):
        write_suggestions(tmp_path / "x", found, fmt="docano")


def test_real_tiny_model_scores_every_sentence(tiny_model):
    found = suggest(sents(AMBIGUOUS, BACKGROUND, CLEAR), tiny_model, config=SuggestConfig(top=2))
    assert len(found) == 2 and all(0.0 <= s.uncertainty <= 1.0 for s in found)
    assert [s.rank for s in found] == [1, 2]


def test_cli_smoke(tiny_model, tmp_path):
    # a saved random tiny model: the CLI path does not depend on training (tiny_trained trains one)
    folder = tmp_path / "model"
    tiny_model.save_pretrained(folder)
    inp = tmp_path / "unlabelled.jsonl"
    write_sentences(inp, sents(AMBIGUOUS, BACKGROUND, CLEAR))
    out = tmp_path / "tasks.json"
    args = ["suggest", str(inp), "--model", str(folder), "--top", "2", "--format", "labelstudio"]
    result = runner.invoke(app, [*args, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out}: 2 of 3 sentence(s)" in result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 2 and all("predictions" in t for t in tasks)
    read_labelstudio(out, predictions=True)  # the pre-annotations are valid Label Studio results
    result = runner.invoke(app, [*args[:-2], "--top", "0", "--output", str(out)])
    assert result.exit_code == 2 and "[E715]" in result.output
