"""Fine-tune a :class:`~stancekit.modeling.StanceModel` with the Hugging Face Trainer.

The trainer owns the loop, checkpoints, early stopping and calibration; the model never
needs it. Because it is the stock ``transformers.Trainer``, ``accelerate launch`` and
``torchrun`` run it on several processes unchanged.

>>> cfg = TrainingConfig(train_file="train.jsonl", output_dir="out", epochs=2)
>>> TrainingConfig.from_dict(cfg.to_dict()) == cfg
True
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from stancekit.atomic import write_text_atomic
from stancekit.augment import augment_names
from stancekit.casing import case_ids
from stancekit.errors import StancekitError
from stancekit.records import STANCES, Sentence
from stancekit.settings import Settings, check
from stancekit.tagging import encode_labels


@dataclass
class TrainingConfig(Settings):
    """Everything that decides a trained model. Unknown keys are rejected.

    Args:
        train_file: JSONL of annotated sentences.
        output_dir: where the finished model folder appears (atomically).
        dev_file: JSONL for early stopping and calibration (recommended).
        base_model: Hugging Face id or local folder, or a stancekit model folder to continue from.
        epochs: maximum number of epochs (early stopping may end sooner).
        seed: the same seed on the same data gives the same model.
        encoder_layers: keep only the first N layers of the base encoder (a smaller, faster model).
        casing: let the network see each word's capitalisation (``stancekit.casing``).
        name_swap: share of training sentences whose speaking people are renamed with names
            from elsewhere (``stancekit.augment``), so that the model learns who speaks from the
            sentence rather than from the names it has read; 0 turns it off.
        freeze_word_embeddings: keep the base encoder's word-piece embedding table fixed. It is
            half of MiniLM's weights; not updating it makes each step about a fifth faster on
            2 CPU cores, for a dev statement F1 about 0.005 lower (two seeds), hence off by default.
    """

    train_file: str
    output_dir: str
    dev_file: str | None = None
    base_model: str | None = None
    epochs: float = 5.0
    seed: int = 13
    learning_rate: float = 2e-4
    batch_size: int = 16
    max_length: int = 128
    weight_decay: float = 0.01
    warmup: float = 0.1
    early_stopping_patience: int = 2
    checkpoint_dir: str | None = None
    resume: bool = False
    overwrite: bool = True
    keep_checkpoints: bool = False
    threads: int | None = None
    encoder_layers: int | None = None
    casing: bool = False
    name_swap: float = 0.0
    freeze_word_embeddings: bool = False

    def __post_init__(self) -> None:
        checks = [
            (self.epochs > 0, "epochs must be > 0"),
            (0 < self.learning_rate < 1, "learning_rate must be in (0, 1)"),
            (self.batch_size >= 1, "batch_size must be >= 1"),
            (16 <= self.max_length <= 4096, "max_length must be in [16, 4096]"),
            (0 <= self.warmup < 1, "warmup must be a ratio in [0, 1)"),
            (self.early_stopping_patience >= 0, "early_stopping_patience must be >= 0"),
            (self.encoder_layers is None or self.encoder_layers >= 1, "encoder_layers must be >= 1"),
            (0 <= self.name_swap <= 1, "name_swap must be a share in [0, 1]"),
        ]
        check(checks, "E400")

    @property
    def checkpoints(self) -> Path:
        """Folder for intermediate checkpoints (kept apart from the output folder)."""
        return Path(self.checkpoint_dir or f"{self.output_dir.rstrip('/')}.checkpoints")


def fingerprint(config: TrainingConfig) -> str:
    """Hash of the training data, the configuration and the code that shapes the model."""
    h = hashlib.sha256()
    for path in (config.train_file, config.dev_file):
        if path:
            h.update(Path(path).read_bytes())
    keep = {
        k: v
        for k, v in config.to_dict().items()
        if k not in {"output_dir", "checkpoint_dir", "resume", "overwrite", "keep_checkpoints", "threads"}
    }
    h.update(json.dumps(keep, sort_keys=True).encode())
    pkg = Path(__file__).resolve().parent
    for name in ("training.py", "modeling.py", "tagging.py", "casing.py", "augment.py"):
        h.update((pkg / name).read_bytes())
    return h.hexdigest()[:16]


def encode_sentences(tokenizer, sentences: list[Sentence], max_length: int, *, casing: bool = False) -> dict[str, list]:
    """Tokenise sentences and attach token labels (columns for a ``datasets.Dataset``);
    with ``casing``, also the word shapes (:mod:`stancekit.casing`)."""
    enc = tokenizer([s.text for s in sentences], truncation=True, max_length=max_length, return_offsets_mapping=True)
    columns: dict[str, list] = {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}
    if "token_type_ids" in enc:
        columns["token_type_ids"] = enc["token_type_ids"]
    if casing:
        columns["case_ids"] = [
            case_ids(s.text, offsets) for offsets, s in zip(enc["offset_mapping"], sentences, strict=True)
        ]
    labels = [encode_labels(offsets, s.statements) for offsets, s in zip(enc["offset_mapping"], sentences, strict=True)]
    for key in ("speaker_labels", "stance_labels", "stance_mask", "cue_labels"):
        columns[key] = [lab[key] for lab in labels]
    return columns


class Collator:
    """Pad a batch dynamically (inputs with the tokenizer's pad id, labels with -100 / 0)."""

    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, rows: list[dict]) -> dict:
        import torch

        n = max(len(r["input_ids"]) for r in rows)
        pad = {
            "input_ids": self.pad_id,
            "attention_mask": 0,
            "token_type_ids": 0,
            "case_ids": 0,
            "speaker_labels": -100,
            "cue_labels": -100,
            "stance_mask": 0.0,
        }
        batch = {}
        for key, value in pad.items():
            if key in rows[0]:
                dtype = torch.float32 if key == "stance_mask" else torch.long
                batch[key] = torch.tensor([list(r[key]) + [value] * (n - len(r[key])) for r in rows], dtype=dtype)
        batch["stance_labels"] = torch.tensor(
            [list(r["stance_labels"]) + [[0.0] * len(STANCES)] * (n - len(r["stance_labels"])) for r in rows],
            dtype=torch.float32,
        )
        return batch


def token_stance_f1(eval_pred) -> dict[str, float]:
    """Dev metric for model selection: F1 over (speaker token, stance) pairs."""
    preds, labels = eval_pred.predictions, eval_pred.label_ids
    speaker_logits, stance_logits = preds[0], preds[1]
    speaker_labels, stance_labels = labels[0], labels[1]
    valid = speaker_labels != -100
    pred = (speaker_logits.argmax(-1) > 0)[..., None] & (stance_logits > 0)
    gold = (speaker_labels > 0)[..., None] & (stance_labels > 0.5)
    pred, gold = pred & valid[..., None], gold & valid[..., None]
    tp = float((pred & gold).sum())
    denom = float(pred.sum() + gold.sum())
    return {"stance_token_f1": 2 * tp / denom if denom else 1.0}


def _last_checkpoint(folder: Path) -> str | None:
    """The newest complete checkpoint. The Trainer writes ``trainer_state.json`` last, so a checkpoint
    without it (or with a torn one) is what a killed save left behind: resuming from it fails."""
    if not folder.is_dir():
        return None
    ckpts = [p for p in folder.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()]
    for ckpt in sorted(ckpts, key=lambda p: int(p.name.split("-")[-1]), reverse=True):
        try:
            json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return str(ckpt)
    return None


def train(config: TrainingConfig, *, progress: bool = True):
    """Train, calibrate on dev, and write the model folder atomically; returns the model.

    Raises:
        StancekitError: invalid data (the file and line are named), an existing output
            folder without ``overwrite``, or ``resume`` with no checkpoint.
    """
    import torch
    from transformers import EarlyStoppingCallback, Trainer, TrainingArguments

    from stancekit.calibration import calibrate
    from stancekit.jsonl import read_sentences
    from stancekit.modeling import StanceModel

    if config.threads:
        torch.set_num_threads(config.threads)
    out = Path(config.output_dir)
    if out.exists() and not config.overwrite:
        raise StancekitError("E402", str(out))
    train_sents = read_sentences(config.train_file)
    dev_sents = read_sentences(config.dev_file) if config.dev_file else None
    if not any(s.statements for s in train_sents):
        raise StancekitError("E401", f"{config.train_file} has no statements to learn from")
    if config.name_swap:
        train_sents = augment_names(train_sents, config.name_swap, config.seed)
    resume_from = None
    run_fingerprint = fingerprint(config)
    stamp = config.checkpoints / "stancekit_fingerprint.json"
    if config.resume:
        resume_from = _last_checkpoint(config.checkpoints)
        if resume_from is None:
            raise StancekitError("E403", f"no checkpoint in {config.checkpoints}")
        saved = json.loads(stamp.read_text()).get("fingerprint") if stamp.is_file() else None
        if saved != run_fingerprint:
            raise StancekitError("E405", f"{config.checkpoints} was written for fingerprint {saved}")
    config.checkpoints.mkdir(parents=True, exist_ok=True)
    # DDP: every rank runs this line and another rank may be reading the stamp for --resume: write it atomically
    write_text_atomic(stamp, json.dumps({"fingerprint": run_fingerprint}))

    base = config.base_model
    base_config = Path(base) / "config.json" if base else None
    if base_config and base_config.is_file() and "stancekit_format" in base_config.read_text():
        model = StanceModel.from_pretrained(base, backend="torch")  # continue from an earlier stancekit model
        model.config["max_length"] = config.max_length
    else:
        model = StanceModel.from_base(
            base,
            seed=config.seed,
            max_length=config.max_length,
            encoder_layers=config.encoder_layers,
            casing=config.casing,
        )
    model.network.train()
    if config.freeze_word_embeddings:
        model.network.freeze_word_embeddings()

    import datasets

    casing = model.network.case_embedding is not None  # as configured, or as the model continued from
    train_ds = datasets.Dataset.from_dict(
        encode_sentences(model.tokenizer, train_sents, config.max_length, casing=casing)
    )
    dev_ds = (
        datasets.Dataset.from_dict(encode_sentences(model.tokenizer, dev_sents, config.max_length, casing=casing))
        if dev_sents
        else None
    )
    args = TrainingArguments(
        output_dir=str(config.checkpoints),
        num_train_epochs=config.epochs,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=64,
        weight_decay=config.weight_decay,
        warmup_steps=config.warmup,
        seed=config.seed,
        data_seed=config.seed,
        eval_strategy="epoch" if dev_ds is not None else "no",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=dev_ds is not None,
        metric_for_best_model="stance_token_f1" if dev_ds is not None else None,
        greater_is_better=True,
        logging_steps=20,
        report_to=[],
        use_cpu=not torch.cuda.is_available(),
        disable_tqdm=not progress,
        remove_unused_columns=False,
        label_names=["speaker_labels", "stance_labels", "stance_mask", "cue_labels"],
        train_sampling_strategy="group_by_length",
        dataloader_num_workers=0,
        # DDP on CPU (torchrun / accelerate launch): gloo, even where torch was built with MPI (accelerate's
        # default there); None on GPUs (nccl) and in a single process (a backend there asks for a process group)
        ddp_backend="gloo" if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not torch.cuda.is_available() else None,
    )
    callbacks = [EarlyStoppingCallback(config.early_stopping_patience)] if dev_ds is not None else []
    trainer = Trainer(
        model=model.network,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=Collator(model.tokenizer.pad_token_id or 0),
        compute_metrics=token_stance_f1 if dev_ds is not None else None,
        callbacks=callbacks,
    )
    result = trainer.train(resume_from_checkpoint=resume_from)
    model.network = trainer.model.eval()
    history = [h for h in trainer.state.log_history if "eval_stance_token_f1" in h]
    model.config.update(
        name=out.name,
        base_model=config.base_model or model.config.get("base_model"),
        fingerprint=run_fingerprint,
        training={
            **config.to_dict(),
            "train_sentences": len(train_sents),
            "dev_sentences": len(dev_sents) if dev_sents else 0,
            "train_runtime_s": round(result.metrics.get("train_runtime", 0.0), 1),
            "train_samples_per_second": round(result.metrics.get("train_samples_per_second", 0.0), 2),
            "epochs_run": round(trainer.state.epoch or 0.0, 2),
            "dev_history": history,
        },
    )
    if dev_sents and trainer.is_world_process_zero():
        model.config["calibration"], model.config["calibration_report"] = calibrate(model, dev_sents)
        model.calibration = type(model.calibration)(**model.config["calibration"])
    if trainer.is_world_process_zero():
        model.save_pretrained(out)
        if not config.keep_checkpoints:
            shutil.rmtree(config.checkpoints, ignore_errors=True)
    if os.environ.get("WORLD_SIZE", "1") != "1":
        trainer.accelerator.wait_for_everyone()
        if not trainer.is_world_process_zero():
            # DDP: rank 0 alone calibrated and saved; the other ranks return that same saved model
            model = StanceModel.from_pretrained(out, backend="torch")
    return model
