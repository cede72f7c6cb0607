"""ONNX export and the ONNX Runtime backend, windowing parity, streaming analysis."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import ModelError
from stancekit.export import export_onnx
from stancekit.inputs import iter_readouts
from stancekit.modeling import StanceModel
from stancekit.records import Readout, Sentence
from stancekit.registry import trie_pattern

from .conftest import ROOT

SENTENCES = [
    "Lavrov urged Kyiv to return to talks without preconditions.",
    "She also criticised Paris for its sanctions.",
    "The meeting took place in Geneva.",
    " ".join(["The talks continued without result."] * 40) + " Wang urged restraint.",
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, tiny_model):
    folder = tmp_path_factory.mktemp("export") / "model"
    tiny_model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def fp32_folder(saved, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "fp32"
    export_onnx(saved, out, quantize=False)
    return out


def test_fp32_export_gives_the_torch_probabilities(saved, fp32_folder):
    torch_model = StanceModel.from_pretrained(saved, backend="torch")
    onnx_model = StanceModel.from_pretrained(fp32_folder)
    assert onnx_model.backend.name == "onnx" and onnx_model.network is None
    batch = next(torch_model.windows.batches(torch_model.windows.encode(SENTENCES), 8, texts=SENTENCES))
    a, b = torch_model.backend.run(batch.inputs()), onnx_model.backend.run(batch.inputs())
    for head in ("speaker", "stance", "cue"):
        assert a[head].shape == b[head].shape
        np.testing.assert_allclose(a[head], b[head], atol=1e-4)
    np.testing.assert_allclose(torch_model.embed(SENTENCES), onnx_model.embed(SENTENCES), atol=1e-4)
    torch_model.threshold = onnx_model.threshold = 0.0
    assert torch_model.predict(SENTENCES) == onnx_model.predict(SENTENCES) != [[]] * len(SENTENCES)


def test_int8_export_goes_into_the_model_folder_and_stays_close(saved, tmp_path):
    import shutil

    folder = tmp_path / "m"
    shutil.copytree(saved, folder)
    info = export_onnx(folder)
    assert info["quantized"] and (folder / "onnx/model.onnx").is_file()
    recorded = json.loads((folder / "onnx/export.json").read_text())
    assert recorded["file"] == "onnx/model.onnx" and len(recorded["source_weights_sha256"]) == 64
    assert (folder / "onnx/model.onnx").stat().st_size < (folder / "model.safetensors").stat().st_size
    int8 = StanceModel.from_pretrained(folder)  # auto: the export wins
    reference = StanceModel.from_pretrained(folder, backend="torch")
    assert (int8.backend.name, reference.backend.name) == ("onnx", "torch")
    batch = next(int8.windows.batches(int8.windows.encode(SENTENCES[:3]), 8, texts=SENTENCES[:3]))
    a, b = reference.backend.run(batch.inputs()), int8.backend.run(batch.inputs())
    assert np.abs(a["speaker"] - b["speaker"]).max() < 0.1


def test_backend_errors_are_clear(saved, fp32_folder, tiny_model):
    with pytest.raises(ModelError, match=r"\[E307\].*has no onnx/model.onnx; run `stancekit export-onnx"):
        StanceModel.from_pretrained(saved, backend="onnx")
    with pytest.raises(ModelError, match=r"\[E307\] .*'gpu' is not one of auto, torch, onnx"):
        StanceModel.from_pretrained(saved, backend="gpu")
    with pytest.raises(ModelError, match=r"\[E300\] .*lacks model.safetensors"):
        StanceModel.from_pretrained(fp32_folder, backend="torch")
    with pytest.raises(ModelError, match=r"\[E307\] .*no torch weights to save"):
        StanceModel.from_pretrained(fp32_folder).save_pretrained(fp32_folder.parent / "copy")
    assert not (fp32_folder.parent / "copy").exists()


def test_onnx_path_never_imports_torch_or_transformers(fp32_folder):
    code = (
        "import sys; from stancekit.modeling import StanceModel;"
        f"m = StanceModel.from_pretrained({str(fp32_folder)!r}); m.threshold = 0.0;"
        "out = m.analyze('Lavrov urged Kyiv to talk. He criticised Paris.');"
        "print(len(out.sentences), sorted(k for k in ('torch', 'transformers', 'datasets') if k in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "2 []"


def test_cli_export_then_analyze_on_each_backend(saved, tmp_path):
    runner = CliRunner()
    out = tmp_path / "exported"
    result = runner.invoke(app, ["export-onnx", "--model", str(saved), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote .*onnx/model.onnx \(int8, [\d.]+ MB\)", result.output)
    text = tmp_path / "r.txt"
    text.write_text("Lavrov urged Kyiv to return to talks. He criticised Paris.", encoding="utf-8")
    outputs = {}
    for model, backend in ((out, "onnx"), (saved, "torch"), (out, "auto")):
        result = runner.invoke(
            app, ["analyze", str(text), "--model", str(model), "--backend", backend, "--format", "jsonl"]
        )
        assert result.exit_code == 0, result.output
        outputs[backend] = [json.loads(line)["sent_index"] for line in result.output.splitlines()]
    assert outputs == {"onnx": [0, 1], "torch": [0, 1], "auto": [0, 1]}
    result = runner.invoke(app, ["analyze", str(text), "--model", str(saved), "--backend", "onnx"])
    assert result.exit_code == 4 and "[E307]" in result.output and "Traceback" not in result.output


def test_windows_match_the_hugging_face_tokenizer(tiny_model):
    long = " ".join(["Negotiations over the grain corridor resumed in Istanbul."] * 30)
    texts = [long, "Short.", "Émile’s café — «quoted» 北京 text.", ""]
    hf = tiny_model.tokenizer(
        texts,
        truncation=True,
        max_length=tiny_model.config["max_length"],
        stride=tiny_model.config["stride"],
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    ours = [enc for encs in tiny_model.windows.encode(texts) for enc in encs]
    assert [e.ids for e in ours] == hf["input_ids"]
    assert [[tuple(o) for o in e.offsets] for e in ours] == [[tuple(o) for o in row] for row in hf["offset_mapping"]]
    assert len(tiny_model.windows.encode([long])[0]) > 1


def test_batches_are_length_sorted_and_padded(tiny_model):
    texts = ["A b c d e f g h.", "A.", "A b c.", "A b c d."]
    batches = list(tiny_model.windows.batches(tiny_model.windows.encode(texts), 2, texts=texts))
    assert [b.windows for b in batches] == [[(1, 0), (2, 0)], [(3, 0), (0, 0)]]
    first = batches[0]
    assert (
        first.input_ids.shape == first.attention_mask.shape and first.attention_mask[0].sum() < first.input_ids.shape[1]
    )
    assert first.case_ids is None and "case_ids" not in first.inputs()  # no word shapes without casing


@settings(max_examples=60, deadline=None)
@given(
    words=st.sets(st.text(alphabet="abAB -.é", min_size=1, max_size=6), min_size=1, max_size=12),
    text=st.text(alphabet="abAB -.é,", max_size=40),
)
def test_trie_pattern_finds_what_the_longest_first_alternation_finds(words, text):
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    plain = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    trie = re.compile(rf"(?<![\w-])(?:{trie_pattern(words)})(?![\w-])")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


# streaming ---------------------------------------------------------------------------------------


def test_readouts_stream_and_join_scattered_lines(tmp_path):
    path = tmp_path / "s.jsonl"
    rows = [("a", 0), ("b", 0), ("a", 2), ("c", 0), ("a", 1)]
    path.write_text("".join(json.dumps({"doc_id": d, "sent_index": i, "text": f"{d}{i}."}) + "\n" for d, i in rows))
    got = [(r.doc_id, [s.text for s in r.sentences]) for r in iter_readouts([path])]
    assert got == [("b", ["b0."]), ("c", ["c0."]), ("a", ["a0.", "a1.", "a2."])]


def test_a_bad_line_anywhere_fails_before_anything_is_printed(tmp_path, saved):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"doc_id": "a", "sent_index": 0, "text": "Li urged calm."}) + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"doc_id": "b", "sent_index": 0, "text": "Fine."}) + "\n" + '{"doc_id": "b"}\n')
    result = CliRunner().invoke(app, ["analyze", str(good), str(bad), "--model", str(saved), "--format", "jsonl"])
    assert result.exit_code == 3
    assert result.stdout == "" and f"{bad}:2: [E101]" in result.stderr


def test_analyze_stream_pulls_input_lazily(tiny_model):
    pulled = []

    def readouts():
        for i in range(10):
            pulled.append(i)
            yield Readout(f"d{i}", [Sentence(f"d{i}", k, "Lavrov urged Kyiv to talk.") for k in range(3)])

    stream = tiny_model.analyze_stream(readouts(), chunk_sentences=6)
    first = next(stream)
    assert first.doc_id == "d0" and len(first.sentences) == 3
    assert pulled == [0, 1, 2, 3]  # the first chunk of 6 sentences and the next (encoded ahead), no more
    assert [r.doc_id for r in stream] == [f"d{i}" for i in range(1, 10)]


def test_analyze_stream_matches_predict(tiny_model):
    tiny_model.threshold = 0.0
    try:
        readouts = [Readout(f"d{i}", [Sentence(f"d{i}", k, t) for k, t in enumerate(SENTENCES[:3])]) for i in range(4)]
        streamed = [s.statements for r in tiny_model.analyze_stream(readouts, chunk_sentences=4) for s in r.sentences]
        direct = tiny_model.predict([s for r in readouts for s in r.sentences])
    finally:
        tiny_model.threshold = 0.5
    assert streamed == direct and any(direct)
