"""``stancekit train``: fine-tune a model on annotated readouts."""

from __future__ import annotations

from pathlib import Path

import typer


def train_cli(
    data: Path = typer.Option(..., "--data", help="Training JSONL (ANNOTATION.md records)."),
    output: Path = typer.Option(..., "--output", help="Model folder to write (appears only when complete)."),
    dev: Path | None = typer.Option(None, "--dev", help="Dev JSONL for early stopping and calibration."),
    base_model: str | None = typer.Option(None, "--base-model", help="HF id, local folder or stancekit model."),
    epochs: float = typer.Option(5.0, "--epochs"),
    seed: int = typer.Option(13, "--seed"),
    learning_rate: float = typer.Option(2e-4, "--learning-rate"),
    batch_size: int = typer.Option(16, "--batch-size"),
    encoder_layers: int | None = typer.Option(
        None, "--encoder-layers", help="Keep only the first N encoder layers (smaller, faster model)."
    ),
    casing: bool = typer.Option(
        False, "--casing/--no-casing", help="Let the network see capitalisation (lost to uncased encoders)."
    ),
    name_swap: float = typer.Option(
        0.0, "--name-swap", help="Share of training sentences whose speaking people get names from elsewhere."
    ),
    freeze_word_embeddings: bool = typer.Option(
        False,
        "--freeze-word-embeddings/--train-word-embeddings",
        help="Keep the base encoder's word-piece embeddings fixed (faster steps).",
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint."),
    no_progress: bool = typer.Option(False, "--no-progress", help="Hide progress bars."),
) -> None:
    """Train a speaker-and-stance model (Hugging Face Trainer; accelerate/torchrun compatible)."""
    from stancekit.training import TrainingConfig, train

    config = TrainingConfig(
        train_file=str(data),
        dev_file=str(dev) if dev else None,
        output_dir=str(output),
        base_model=base_model,
        epochs=epochs,
        seed=seed,
        learning_rate=learning_rate,
        batch_size=batch_size,
        resume=resume,
        encoder_layers=encoder_layers,
        casing=casing,
        name_swap=name_swap,
        freeze_word_embeddings=freeze_word_embeddings,
    )
    model = train(config, progress=not no_progress)
    t = model.config["training"]
    typer.echo(
        f"saved {output} ({t['epochs_run']} epochs, {t['train_runtime_s']} s, "
        f"{t['train_samples_per_second']} sentences/s)"
    )
