"""Where the encoder runs: PyTorch (the full-precision reference) or ONNX Runtime (exported, int8).

Both take padded ``int64`` arrays and return per-token probabilities as NumPy arrays:
``speaker`` (O/B/I softmax), ``stance`` (three sigmoids) and ``cue`` (softmax); ``embed``
gives sentence embeddings: the attention-masked mean of the last hidden states, L2-normalised.

>>> from stancekit.modeling import StanceModel
>>> runner = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0).backend
>>> out = runner.run({"input_ids": np.array([[2, 5, 3]]), "attention_mask": np.ones((1, 3), dtype=np.int64)})
>>> out["speaker"].shape, round(float(out["speaker"][0, 0].sum()), 3)
((1, 3, 3), 1.0)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

HEADS = ("speaker", "stance", "cue")


def probabilities(network, inputs: dict) -> dict:
    """Torch forward pass of a stance network to per-token probabilities."""
    import torch

    out = network(**inputs)
    return {
        "speaker": torch.softmax(out["speaker_logits"], -1),
        "stance": torch.sigmoid(out["stance_logits"]),
        "cue": torch.softmax(out["cue_logits"], -1),
    }


def mean_pooled(states, attention_mask):
    """Attention-masked mean of token states, L2-normalised (the sentence embedding)."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(states.dtype)
    pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize(pooled, dim=-1)


class TorchBackend:
    """Runs a torch stance network (the full-precision reference).

    Args:
        network: the encoder-with-heads module (see :func:`stancekit.modeling.build_network`).
    """

    name = "torch"

    def __init__(self, network) -> None:
        self.network = network
        self.takes_token_types = _takes_token_types(network)

    def _feed(self, inputs: dict[str, np.ndarray]) -> dict:
        import torch

        feed = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in inputs.items()}
        if not self.takes_token_types:
            feed.pop("token_type_ids", None)
        return feed

    def run(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-token probabilities for one padded batch."""
        import torch

        with torch.inference_mode():
            out = probabilities(self.network, self._feed(inputs))
        return {k: v.float().numpy() for k, v in out.items()}

    def run_many(self, batches: Iterable[dict[str, np.ndarray]]) -> Iterator[dict[str, np.ndarray]]:
        """:meth:`run` on each batch, in order (torch already uses every core for one batch)."""
        return (self.run(b) for b in batches)

    def embed(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Sentence embeddings (one row per window) for one padded batch."""
        import torch

        feed = self._feed(inputs)
        with torch.inference_mode():
            states = self.network.encode(**feed)
            return mean_pooled(states, feed["attention_mask"]).float().numpy()


def _takes_token_types(network) -> bool:
    import inspect

    encoder = getattr(network, "encoder", None)
    if encoder is None:
        return True
    return "token_type_ids" in inspect.signature(encoder.forward).parameters


class OnnxBackend:
    """Runs an exported stance network with ONNX Runtime on the CPU.

    Batches run concurrently, one single-threaded run per core: on small matrices (a batch of
    sentences of ~35 tokens) that uses the cores better than splitting each run across them
    (measured in ``benchmarks/bench.py``).

    Args:
        path: the ``.onnx`` file written by :func:`stancekit.export.export_onnx`.
        threads: concurrent runs (default: ``STANCEKIT_THREADS``, else the number of CPUs, at most 8).
    """

    name = "onnx"

    def __init__(self, path: str | Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.threads = threads or int(os.environ.get("STANCEKIT_THREADS", "0") or 0) or min(os.cpu_count() or 1, 8)
        self.path = Path(path)
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_names = tuple(i.name for i in self.session.get_inputs())
        self._pool = None

    def _feed(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: v for k, v in inputs.items() if k in self.input_names}

    def run(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-token probabilities for one padded batch."""
        return dict(zip(HEADS, self.session.run(list(HEADS), self._feed(inputs)), strict=True))

    def run_many(self, batches: Iterable[dict[str, np.ndarray]]) -> Iterator[dict[str, np.ndarray]]:
        """:meth:`run` on each batch, in order, ``threads`` batches at a time."""
        if self.threads == 1:
            return (self.run(b) for b in batches)
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="stancekit-onnx")
        return self._pool.map(self.run, batches)

    def embed(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Sentence embeddings (one row per window) for one padded batch."""
        return self.session.run(["embedding"], self._feed(inputs))[0]
