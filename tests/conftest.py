from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny-encoder"
SEED_GOLD = ROOT / "eval" / "data" / "seed_gold.jsonl"


@pytest.fixture(scope="session")
def tiny_model():
    """A tiny randomly initialised model (2 layers, hidden 32) shared by the session."""
    from stancekit.modeling import StanceModel

    return StanceModel.from_base(str(TINY), seed=0)


@pytest.fixture(scope="session")
def tiny_trained(tmp_path_factory):
    """A tiny model trained for one epoch on a slice of the corpus, saved to a folder."""
    from stancekit.training import TrainingConfig, train

    out = tmp_path_factory.mktemp("models") / "tiny"
    cfg = TrainingConfig(
        train_file=str(ROOT / "training/data/dev.jsonl"),
        dev_file=str(ROOT / "training/data/dev.jsonl"),
        output_dir=str(out),
        base_model=str(TINY),
        epochs=1,
        batch_size=32,
        seed=3,
    )
    train(cfg, progress=False)
    return out


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
