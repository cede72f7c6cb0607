from __future__ import annotations

import numpy as np
import pytest

from stancekit.casing import SHAPES, case_ids
from stancekit.modeling import StanceModel


def shapes(text: str, model: StanceModel) -> list[str]:
    names = {v: k for k, v in SHAPES.items()}
    enc = model.windows.encode([text])[0][0]
    return [names[i] for i in case_ids(text, enc.offsets)]


def test_word_shapes_survive_an_uncased_tokenizer(tiny_model):
    # the tiny tokenizer lower-cases like the default one: "Li" and "li" are one token
    enc = tiny_model.windows.encode(["Li met li.", "li met Li."])
    assert enc[0][0].ids[1] == enc[1][0].ids[1]
    assert shapes("Li met li. EU", tiny_model) == ["special", "first", "lower", "lower", "other", "upper", "special"]
    pieces = shapes("talks with Kallasovitch", tiny_model)[3:-1]  # every piece of the name
    assert pieces and set(pieces) == {"capitalised"}


def test_casing_starts_as_the_plain_encoder_and_then_separates_names(tiny_model):
    plain = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=False)
    cased = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=True)
    texts = ["talks with Li ended.", "talks with li ended."]
    np.testing.assert_allclose(plain.embed(texts), cased.embed(texts), atol=1e-6)
    assert np.allclose(cased.embed(texts)[0], cased.embed(texts)[1])
    import torch

    with torch.no_grad():
        cased.network.case_embedding.weight.normal_()
    a, b = cased.embed(texts)
    assert not np.allclose(a, b)


def test_models_without_casing_still_load_and_predict(tmp_path):
    plain = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=False)
    plain.save_pretrained(tmp_path / "m")
    loaded = StanceModel.from_pretrained(tmp_path / "m", backend="torch")
    assert loaded.network.case_embedding is None and loaded.config["casing"] is False
    np.testing.assert_allclose(loaded.embed(["Li urged Tokyo."]), plain.embed(["Li urged Tokyo."]), atol=1e-6)


def test_a_casing_network_refuses_inputs_without_shapes():
    import torch

    cased = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=True)
    with pytest.raises(ValueError, match="case_ids"):
        cased.network.encode(torch.tensor([[1, 2]]), torch.tensor([[1, 1]]))


def test_casing_round_trips_through_save_and_onnx_export(tmp_path):
    import torch

    from stancekit.export import export_onnx

    cased = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=True)
    with torch.no_grad():
        cased.network.case_embedding.weight.normal_()
    cased.save_pretrained(tmp_path / "m")
    export_onnx(tmp_path / "m", quantize=False)
    texts = ["Talks with Li ended.", "talks with li ended, said LI."]
    torch_model = StanceModel.from_pretrained(tmp_path / "m", backend="torch")
    onnx_model = StanceModel.from_pretrained(tmp_path / "m", backend="onnx")
    assert torch_model.config["casing"] is True and "case_ids" in onnx_model.backend.input_names
    np.testing.assert_allclose(torch_model.embed(texts), cased.embed(texts), atol=1e-5)
    np.testing.assert_allclose(onnx_model.embed(texts), cased.embed(texts), atol=1e-4)


def test_batches_of_a_casing_model_carry_word_shapes():
    cased = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0, casing=True)
    texts = ["A b c d e f g h.", "A.", "A b c.", "A b c d."]
    first = next(cased.windows.batches(cased.windows.encode(texts), 2, texts=texts))
    assert first.case_ids.shape == first.input_ids.shape
    assert first.case_ids[0].tolist() == [0, 5, 4, 0, 0, 0] and first.case_ids[1].tolist() == [0, 5, 1, 1, 4, 0]
