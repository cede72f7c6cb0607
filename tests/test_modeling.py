from __future__ import annotations

import json
import shutil
import threading

import pytest

from stancekit.errors import ModelError
from stancekit.modeling import StanceModel
from stancekit.records import Readout, Sentence

TEXT = "Lavrov urged Kyiv to negotiate. He warned Paris against escalation.\nA headline"


def test_analyze_returns_sentences_with_offsets_into_input(tiny_model):
    readout = tiny_model.analyze(TEXT, doc_id="x")
    assert [s.text for s in readout.sentences][-1] == "A headline"
    for s in readout.sentences:
        assert TEXT[s.start : s.end] == s.text
        for st in s.statements:
            assert s.text[st.speaker_start : st.speaker_end] == st.speaker


def test_predict_is_deterministic_and_batch_independent(tiny_model):
    tiny_model.threshold = 0.0
    try:
        sents = [
            Sentence("d", i, t)
            for i, t in enumerate(["Li urged Tokyo to act.", "Kallas condemned it.", "Talks ended."] * 5)
        ]
        a = tiny_model.predict(sents)
        tiny_model.batch_size = 4
        b = tiny_model.predict(sents)
    finally:
        tiny_model.threshold, tiny_model.batch_size = 0.5, 32
    assert a == b
    assert any(a)  # threshold 0 keeps raw candidates, so the comparison is not vacuous


def test_long_sentence_is_windowed_not_truncated(tiny_model):
    long = " ".join(["The talks continued without result."] * 60) + " Lavrov urged Kyiv to negotiate."
    raw = tiny_model.raw_predict([long])
    enc = tiny_model.tokenizer(long)
    assert len(enc["input_ids"]) > tiny_model.config["max_length"]
    # every character of the sentence is covered by some window: decoding saw the end
    tiny_model.threshold = 0.0
    try:
        ends = [st.speaker_end for st in tiny_model.predict([long])[0]]
    finally:
        tiny_model.threshold = 0.5
    assert isinstance(raw[0], list) and (not ends or max(ends) <= len(long))


def test_save_and_load_round_trip(tiny_model, tmp_path):
    tiny_model.save_pretrained(tmp_path / "m")
    files = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "registry.json", "README.md"} <= files
    assert not any(name.endswith((".bin", ".pkl", ".pt")) for name in files)
    loaded = StanceModel.from_pretrained(tmp_path / "m", threshold=0.0)
    tiny_model.threshold = 0.0
    try:
        assert loaded.predict(["Li urged Tokyo to act."]) == tiny_model.predict(["Li urged Tokyo to act."])
    finally:
        tiny_model.threshold = 0.5
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["labels"]["stance"] == ["demand", "concession", "criticism"]
    assert "torch" in config["versions"]


@pytest.fixture()
def saved(tiny_model, tmp_path):
    tiny_model.save_pretrained(tmp_path / "m")
    return tmp_path / "m"


def test_pickle_weights_are_refused(saved):
    (saved / "model.safetensors").unlink()
    (saved / "pytorch_model.bin").write_bytes(b"\x80\x04not really")
    with pytest.raises(ModelError, match="E301"):
        StanceModel.from_pretrained(saved)


def test_remote_code_is_refused(saved):
    cfg = json.loads((saved / "config.json").read_text())
    cfg["encoder"]["auto_map"] = {"AutoModel": "evil.Model"}
    (saved / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="E305"):
        StanceModel.from_pretrained(saved)


def test_corrupted_weights_are_detected(saved):
    data = (saved / "model.safetensors").read_bytes()
    (saved / "model.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="E302"):
        StanceModel.from_pretrained(saved)


def test_newer_format_and_other_label_schema_are_reported(saved, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(saved, other)
    cfg = json.loads((saved / "config.json").read_text())
    (saved / "config.json").write_text(json.dumps({**cfg, "stancekit_format": 99}))
    with pytest.raises(ModelError, match="E303"):
        StanceModel.from_pretrained(saved)
    (other / "config.json").write_text(json.dumps({**cfg, "labels": {**cfg["labels"], "stance": ["demand"]}}))
    with pytest.raises(ModelError, match="E304"):
        StanceModel.from_pretrained(other)


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ModelError, match="E300"):
        StanceModel.from_pretrained(tmp_path)


def test_threads_give_the_same_results_as_serial(tiny_model):
    texts = [f"Minister {i} urged Tokyo to act. She warned Seoul." for i in range(8)]
    tiny_model.threshold = 0.0
    try:
        serial = [tiny_model.analyze(t).to_dict() for t in texts]
        results = [None] * len(texts)

        def work(k):
            results[k] = tiny_model.analyze(texts[k]).to_dict()

        threads = [threading.Thread(target=work, args=(k,)) for k in range(len(texts))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        tiny_model.threshold = 0.5
    assert results == serial


def test_analyze_accepts_a_readout(tiny_model):
    readout = Readout("r", [Sentence("r", 0, "Li urged Tokyo to act.")])
    assert tiny_model.analyze(readout).doc_id == "r"


def test_speaker_spans_are_whole_words_and_merged(tiny_model):
    from stancekit.registry import ActorRegistry
    from stancekit.resolution import DocumentResolver
    from stancekit.tagging import RawStatement

    text = "Türkiye's expectation was conveyed by Minister Fidan."
    raw = [RawStatement(6, 7, "demand", 0.9, None), RawStatement(0, 4, "demand", 0.7, None)]
    resolver = DocumentResolver(ActorRegistry.default(), [text])
    out = tiny_model._statements(resolver, 0, text, raw)
    assert [(s.speaker, s.speaker_start, s.speaker_end) for s in out] == [("Türkiye", 0, 7)]
    assert out[0].confidence == round(tiny_model.calibration(0.9), 4)
