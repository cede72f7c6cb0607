from __future__ import annotations

import math

import numpy as np

from stancekit.evaluation import compare_reports, evaluate, score
from stancekit.evaluation.bootstrap import bootstrap_ci, paired_bootstrap
from stancekit.evaluation.metrics import confusion, metrics_from_counts, sentence_counts
from stancekit.records import Sentence, Statement


def st(actor, stance, start=0, end=2, party="China", target="EU", uncertain=False):
    return Statement("Li", start, end, actor, party, stance, target, uncertain)


def metrics(gold, pred):
    return metrics_from_counts(sum(sentence_counts(g, p) for g, p in zip(gold, pred, strict=True)))


def test_perfect_prediction_scores_one():
    gold = [[st("Li Qiang", "demand"), st("Li Qiang", "criticism")], []]
    m = metrics(gold, gold)
    assert m["statement_macro_f1"] == m["stance_macro_f1"] == m["speaker_exact_f1"] == 1.0
    assert m["target_accuracy"] == m["background_accuracy"] == 1.0


def test_actor_names_compare_case_and_accent_insensitively():
    gold = [[st("António Costa", "demand")]]
    assert metrics(gold, [[st("antonio COSTA", "demand")]])["statement_macro_f1"] == 1.0


def test_wrong_actor_keeps_stance_but_loses_statement_credit():
    gold = [[st("Li Qiang", "demand")]]
    m = metrics(gold, [[st("Wang Yi", "demand")]])
    assert m["stance_macro_f1"] == 1.0
    # demand: tp 0, fp 1, fn 1 -> F1 0; other stances absent on both sides -> 1.0 each
    assert math.isclose(m["statement_macro_f1"], 2 / 3)
    assert m["party_statement_macro_f1"] == 1.0  # same party


def test_one_to_one_matching_counts_duplicates_once():
    gold = [[st("Li Qiang", "demand")]]
    m = metrics(gold, [[st("Li Qiang", "demand"), st("Li Qiang", "demand", start=5, end=7)]])
    # demand: tp 1, fp 1 -> F1 2/3; macro with two perfect absent stances
    assert math.isclose(m["statement_macro_f1"], (2 / 3 + 2) / 3)


def test_background_accuracy_counts_only_empty_gold_sentences():
    gold = [[], [], [st("Li Qiang", "demand")]]
    pred = [[], [st("X", "criticism")], []]
    assert metrics(gold, pred)["background_accuracy"] == 0.5


def test_target_accuracy_on_matched_statements_only():
    gold = [[st("Li Qiang", "demand", target="EU"), st("Li Qiang", "criticism", target="EU")]]
    pred = [[st("Li Qiang", "demand", target="Japan"), st("Wang Yi", "criticism", target="EU")]]
    assert metrics(gold, pred)["target_accuracy"] == 0.0


def test_confusion_pairs_same_actor_with_other_stance():
    gold = [[st("Li Qiang", "demand"), st("Wang Yi", "criticism")]]
    pred = [[st("Li Qiang", "concession"), st("Costa", "demand")]]
    table = confusion(gold, pred)
    assert table["demand"]["concession"] == 1
    assert table["criticism"]["none"] == 1
    assert table["none"]["demand"] == 1


def test_bootstrap_interval_contains_the_estimate_and_narrows_with_data():
    rng = np.random.default_rng(1)
    small = rng.integers(0, 2, size=(20, 1)).astype(float)
    large = rng.integers(0, 2, size=(2000, 1)).astype(float)
    mean = lambda n: lambda t: t[0] / n  # noqa: E731
    lo_s, hi_s = bootstrap_ci(small, mean(20))
    lo_l, hi_l = bootstrap_ci(large, mean(2000))
    assert lo_s <= small.mean() <= hi_s and lo_l <= large.mean() <= hi_l
    assert hi_l - lo_l < hi_s - lo_s


def test_paired_bootstrap_detects_a_real_difference_and_not_a_null_one():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, size=(300, 1)).astype(float)
    better = np.maximum(a, rng.integers(0, 2, size=(300, 1)))
    stat = lambda t: t[0] / 300  # noqa: E731
    assert paired_bootstrap(a, better, stat)["p_value"] < 0.01
    assert paired_bootstrap(a, a.copy(), stat)["p_value"] > 0.5


def test_score_reports_confidence_intervals():
    gold = [[st("Li Qiang", "demand")], [], [st("Wang Yi", "criticism")]] * 5
    pred = [[st("Li Qiang", "demand")], [], []] * 5
    m = score(gold, pred, n_resamples=200)["statement_macro_f1"]
    assert m["ci_low"] <= m["value"] <= m["ci_high"]


class Oracle:
    name = "oracle"

    def __init__(self, gold):
        self.gold = {s.key: s.statements for s in gold}

    def predict(self, sentences):
        return [self.gold[s.key] for s in sentences]


def test_evaluate_splits_confident_subset_and_oracle_wins_paired_test():
    from stancekit.baselines import load_baseline
    from stancekit.jsonl import read_sentences

    from .conftest import SEED_GOLD

    gold = read_sentences(SEED_GOLD)
    oracle = evaluate(Oracle(gold), SEED_GOLD, n_resamples=100)
    assert oracle.value("statement_macro_f1") == 1.0
    assert oracle.counts["confident_sentences"] == sum(1 for s in gold if not s.uncertain)
    none = evaluate(load_baseline("none"), SEED_GOLD, n_resamples=100)
    result = compare_reports(none, oracle, n_resamples=500)
    assert result["statement_macro_f1"]["significant"]
    assert not compare_reports(oracle, none, n_resamples=500)["statement_macro_f1"]["significant"]


def test_in_memory_sentences_are_evaluable():
    gold = [Sentence("d", 0, "Li urged.", [st("Li Qiang", "demand")])]
    report = evaluate(Oracle(gold), gold, n_resamples=20)
    assert report.suite["name"] == "in-memory" and report.value("stance_macro_f1") == 1.0
