from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import ConfigError, DataError, StancekitError
from stancekit.modeling import StanceModel
from stancekit.training import TrainingConfig, train

from .conftest import ROOT, TINY

DEV = str(ROOT / "training/data/dev.jsonl")


def config(tmp_path, name="m", **over):
    base = dict(train_file=DEV, output_dir=str(tmp_path / name), base_model=str(TINY), epochs=1, batch_size=32, seed=5)
    return TrainingConfig(**{**base, **over})


def test_config_validates_and_rejects_unknown_keys():
    with pytest.raises(ConfigError, match="E400"):
        TrainingConfig(train_file="a", output_dir="b", epochs=0)
    with pytest.raises(ConfigError, match="did you mean 'epochs'"):
        TrainingConfig.from_dict({"train_file": "a", "output_dir": "b", "epoch": 3})


def test_training_writes_a_complete_folder_and_removes_checkpoints(tiny_trained):
    files = {p.name for p in tiny_trained.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md", "registry.json"} <= files
    cfg = json.loads((tiny_trained / "config.json").read_text())
    assert cfg["training"]["train_sentences"] > 0 and "ece_calibrated" in cfg["calibration_report"]
    assert not (tiny_trained.parent / "tiny.checkpoints").exists()
    assert not [p for p in tiny_trained.parent.iterdir() if ".partial" in p.name]
    card = (tiny_trained / "README.md").read_text()
    assert "## Training data" in card and "## Limitations" in card


def test_same_seed_same_model(tmp_path):
    train(config(tmp_path, "a"), progress=False)
    train(config(tmp_path, "b"), progress=False)
    a, b = load_file(str(tmp_path / "a/model.safetensors")), load_file(str(tmp_path / "b/model.safetensors"))
    assert all((a[k] == b[k]).all() for k in a)


def test_frozen_word_embeddings_stay_and_the_rest_trains(tmp_path):
    key = "encoder.embeddings.word_embeddings.weight"
    before = StanceModel.from_base(str(TINY), seed=5).network.state_dict()
    train(config(tmp_path, "frozen", freeze_word_embeddings=True), progress=False)
    train(config(tmp_path, "free"), progress=False)
    frozen = load_file(str(tmp_path / "frozen/model.safetensors"))
    free = load_file(str(tmp_path / "free/model.safetensors"))
    assert (frozen[key] == before[key]).all()
    assert not (free[key] == before[key]).all()
    layer = next(k for k in frozen if "encoder.layer.0" in k and k.endswith("weight"))
    assert not (frozen[layer] == before[layer]).all()
    saved = json.loads((tmp_path / "frozen/config.json").read_text())["training"]
    assert saved["freeze_word_embeddings"] is True


def test_invalid_data_never_starts_training(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "d", "sent_index": 0, "text": "x", "statements": [{"stance": "demand"}]}\n')
    with pytest.raises(DataError, match=r"bad.jsonl:1"):
        train(config(tmp_path, train_file=str(bad)), progress=False)
    assert not (tmp_path / "m").exists()


def test_resume_without_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(StancekitError, match="E403"):
        train(config(tmp_path, resume=True), progress=False)


def test_retraining_from_an_earlier_stancekit_model(tiny_trained, tmp_path):
    model = train(config(tmp_path, "again", base_model=str(tiny_trained)), progress=False)
    assert isinstance(model, StanceModel)
    assert (tmp_path / "again" / "model.safetensors").is_file()


def test_cli_train_and_analyze_jsonl(tiny_trained, tmp_path):
    runner = CliRunner()
    data = tmp_path / "in.jsonl"
    rows = [
        {"doc_id": "a", "sent_index": 1, "text": "She warned Tokyo."},
        {"doc_id": "a", "sent_index": 0, "text": "Kallas urged Beijing to act.", "extra": 1},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(
        app, ["analyze", str(data), "--model", str(tiny_trained), "--format", "jsonl", "--threshold", "0"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["doc_id"], r["sent_index"]) for r in lines] == [("a", 0), ("a", 1)]
    bad = runner.invoke(app, ["analyze", str(data), "--model", str(tmp_path)])
    assert bad.exit_code != 0 and "E300" in bad.output and "Traceback" not in bad.output


def test_resume_refuses_checkpoints_of_other_data(tmp_path):
    cfg = config(tmp_path, keep_checkpoints=True)
    train(cfg, progress=False)
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(Path(DEV).read_text(encoding="utf-8").split("\n")[:60]) + "\n", encoding="utf-8")
    changed = config(tmp_path, train_file=str(other), resume=True)
    with pytest.raises(StancekitError, match="E405"):
        train(changed, progress=False)
