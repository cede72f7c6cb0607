"""Sentences to encoder windows and back, with the ``tokenizers`` library alone (no transformers import).

A sentence longer than ``max_length`` tokens becomes overlapping windows (``stride``
tokens of overlap), exactly as a Hugging Face fast tokenizer with
``return_overflowing_tokens=True`` would cut it. Windows are batched by length, so a
batch carries almost no padding, and the per-token outputs of a sentence's windows are
merged back, each token taken from the window where it sits furthest from an edge.

>>> from tokenizers import Tokenizer
>>> windows = WindowTokenizer(Tokenizer.from_file("tests/fixtures/tiny-encoder/tokenizer.json"), max_length=8, stride=2)
>>> [len(w) for w in windows.encode(["Lavrov urged Kyiv to return to the talks at once.", "Yes."])]
[3, 1]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stancekit.casing import case_ids
from stancekit.splitting import encodable


@dataclass(frozen=True)
class Batch:
    """Padded encoder inputs for some windows; ``windows[k] = (text index, window index)``."""

    windows: list[tuple[int, int]]
    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray
    case_ids: np.ndarray | None = None

    def inputs(self, names: tuple[str, ...] = ("input_ids", "attention_mask", "token_type_ids", "case_ids")) -> dict:
        """The arrays the encoder takes, by name (``case_ids`` only for a model that reads word shapes)."""
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


class WindowTokenizer:
    """Cuts texts into encoder windows and pads them into length-sorted batches.

    Args:
        tokenizer: a ``tokenizers.Tokenizer`` (the ``tokenizer.json`` of a model); it is copied.
        max_length: tokens per window, special tokens included.
        stride: tokens shared by consecutive windows of one text.
        pad_id: the id used for padding (masked out).
        casing: fill ``Batch.case_ids`` with word shapes (:mod:`stancekit.casing`); None otherwise.
    """

    def __init__(
        self, tokenizer, *, max_length: int = 128, stride: int = 32, pad_id: int = 0, casing: bool = True
    ) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_str(tokenizer.to_str())
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length, stride=stride)
        self.max_length = max_length
        self.pad_id = pad_id
        self.casing = casing

    @classmethod
    def from_folder(cls, folder: str | Path, *, max_length: int = 128, stride: int = 32) -> WindowTokenizer:
        """From a model folder's ``tokenizer.json`` (the pad token from ``tokenizer_config.json``)."""
        import json

        from tokenizers import Tokenizer

        folder = Path(folder)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        pad_id = 0
        cfg = folder / "tokenizer_config.json"
        if cfg.is_file():
            pad = json.loads(cfg.read_text(encoding="utf-8")).get("pad_token")
            pad = pad.get("content") if isinstance(pad, dict) else pad
            if pad is not None and tokenizer.token_to_id(pad) is not None:
                pad_id = tokenizer.token_to_id(pad)
        return cls(tokenizer, max_length=max_length, stride=stride, pad_id=pad_id)

    def encode(self, texts: list[str]) -> list[list]:
        """The windows (``tokenizers.Encoding``) of each text, in order."""
        encodings = self.tokenizer.encode_batch([encodable(t) for t in texts])
        return [[e, *e.overflowing] for e in encodings]

    def batches(self, windows: list[list], batch_size: int, *, texts: list[str]) -> Iterator[Batch]:
        """Length-sorted, padded batches of at most ``batch_size`` windows of ``texts``."""
        flat = [(i, w, enc) for i, encs in enumerate(windows) for w, enc in enumerate(encs)]
        flat.sort(key=lambda item: len(item[2].ids))
        for k in range(0, len(flat), batch_size):
            chunk = flat[k : k + batch_size]
            width = max(len(enc.ids) for _, _, enc in chunk)
            ids = np.full((len(chunk), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            types = np.zeros((len(chunk), width), dtype=np.int64)
            shapes = np.zeros((len(chunk), width), dtype=np.int64) if self.casing else None
            for row, (i, _, enc) in enumerate(chunk):
                n = len(enc.ids)
                ids[row, :n] = enc.ids
                mask[row, :n] = enc.attention_mask
                types[row, :n] = enc.type_ids
                if shapes is not None:
                    shapes[row, :n] = case_ids(texts[i], enc.offsets)
            yield Batch([(i, w) for i, w, _ in chunk], ids, mask, types, shapes)


def merge_windows(windows: list, outputs: list[tuple[np.ndarray, ...]]) -> tuple[list[tuple[int, int]], list]:
    """Per-token rows of one text from its windows' outputs.

    Each token (keyed by its character offsets) is taken from the window where it is
    furthest from a window edge; special tokens (empty offsets) are dropped.

    Returns:
        ``(offsets, [array per output])`` in text order.
    """
    if len(windows) == 1:
        offsets = windows[0].offsets
        real = [t for t, (a, b) in enumerate(offsets) if b > a]
        return [offsets[t] for t in real], [out[real] for out in outputs[0]]
    best: dict[tuple[int, int], tuple[int, int, int]] = {}
    for w, enc in enumerate(windows):
        real = [t for t, (a, b) in enumerate(enc.offsets) if b > a]
        for pos, t in enumerate(real):
            margin = min(pos, len(real) - 1 - pos)
            key = enc.offsets[t]
            if key not in best or best[key][0] < margin:
                best[key] = (margin, w, t)
    keys = sorted(best)
    rows = [best[k] for k in keys]
    merged = [np.stack([outputs[w][j][t] for _, w, t in rows]) for j in range(len(outputs[0]))]
    return keys, merged
