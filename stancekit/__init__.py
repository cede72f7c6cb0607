"""stancekit: who demanded, conceded and criticised what in diplomatic readouts.

>>> import stancekit
>>> stancekit.Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU").stance
'demand'

Heavy parts (the model, training) load lazily so that ``import stancekit`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancekit.errors import StancekitError
from stancekit.records import STANCES, Readout, Sentence, Statement

if TYPE_CHECKING:
    from stancekit.modeling import StanceModel
    from stancekit.registry import ActorRegistry
    from stancekit.splitting import LanguageWarning
    from stancekit.training import TrainingConfig, train

__version__ = "0.1.0"

_LAZY = {
    "StanceModel": "stancekit.modeling",
    "ActorRegistry": "stancekit.registry",
    "TrainingConfig": "stancekit.training",
    "train": "stancekit.training",
    "read_sentences": "stancekit.jsonl",
    "write_sentences": "stancekit.jsonl",
    "to_dataset": "stancekit.jsonl",
    "split_readout": "stancekit.splitting",
    "LanguageWarning": "stancekit.splitting",
    "evaluate": "stancekit.evaluation",
    "load_baseline": "stancekit.baselines",
}

__all__ = [
    "STANCES",
    "ActorRegistry",
    "LanguageWarning",
    "Readout",
    "Sentence",
    "StanceModel",
    "StancekitError",
    "Statement",
    "TrainingConfig",
    "__version__",
    "evaluate",
    "load_baseline",
    "read_sentences",
    "split_readout",
    "to_dataset",
    "train",
    "write_sentences",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stancekit' has no attribute {name!r}")
