"""``stancekit export-onnx``: an ONNX (int8) copy of a trained model for fast CPU inference."""

from __future__ import annotations

from pathlib import Path

import typer


def export_cli(
    model: Path = typer.Option(..., "--model", help="A trained stancekit model folder (torch weights)."),
    output: Path | None = typer.Option(
        None, "--output", help="Write a new self-contained folder here instead of adding onnx/ to --model."
    ),
    fp32: bool = typer.Option(False, "--fp32", help="Keep float32 weights (no int8 quantisation)."),
    float_first_layer: bool = typer.Option(
        False, "--float-first-layer", help="Keep the first encoder layer in float32: closer to torch, ~20% slower."
    ),
) -> None:
    """Export to ONNX; folders with an export then load on ONNX Runtime unless ``--backend torch``."""
    from stancekit.export import export_onnx

    info = export_onnx(model, output, quantize=not fp32, float_first_layer=float_first_layer)
    where = (output or model) / info["file"]
    kind = "int8" if info["quantized"] else "float32"
    typer.echo(f"wrote {where} ({kind}, {where.stat().st_size / 1e6:.1f} MB)")
