"""``stancekit demo``: the main job on the bundled data, end to end.

Trains the default model on the bundled corpus (or reuses one trained from the same
data and code), evaluates it and the baselines on the seed suite and the dev split with
confidence intervals and paired tests, and prints the statements found in the seed articles.
"""

from __future__ import annotations

from pathlib import Path

import typer


def demo_cli(
    output: Path = typer.Option(Path("runs/default-model"), "--output", help="Where the model folder goes."),
    reports: Path = typer.Option(Path("runs/reports"), "--reports", help="Where the JSON reports go."),
    epochs: float = typer.Option(5.0, "--epochs"),
    retrain: bool = typer.Option(False, "--retrain", help="Train even if a matching model exists."),
    resamples: int = typer.Option(1000, "--resamples"),
) -> None:
    """Train (or reuse), evaluate against baselines, and analyse the seed articles."""
    import json

    from rich.console import Console

    from stancekit.baselines import load_baseline, training_data_dir
    from stancekit.evaluation import compare_reports, evaluate, load_suite
    from stancekit.modeling import StanceModel
    from stancekit.render import print_comparison, print_readouts, print_report
    from stancekit.splitting import split_readout
    from stancekit.training import TrainingConfig, fingerprint, train

    console = Console()
    data = training_data_dir()
    config = TrainingConfig(
        train_file=str(data / "train.jsonl"), dev_file=str(data / "dev.jsonl"), output_dir=str(output), epochs=epochs
    )
    existing = output / "config.json"
    if (
        not retrain
        and existing.is_file()
        and json.loads(existing.read_text()).get("fingerprint") == fingerprint(config)
    ):
        console.print(f"[bold]reusing[/] {output} (trained from the same data and code)")
        model = StanceModel.from_pretrained(output, backend="torch")
    else:
        console.print(f"[bold]training[/] the default model on {data} -> {output}")
        model = train(config)
    t = model.config["training"]
    console.print(
        f"training: {t['train_sentences']} sentences, {t['epochs_run']} epochs, {t['train_runtime_s']} s, "
        f"{t['train_samples_per_second']} sentences/s; calibration {model.config.get('calibration_report')}"
    )

    suite = load_suite("seed")
    results = {}
    for name, predictor in (("model", model), ("cues", load_baseline("cues")), ("tfidf", load_baseline("tfidf"))):
        report = evaluate(predictor, suite, n_resamples=resamples)
        report.save(reports / f"seed-{name}.json")
        results[name] = report
    print_report(results["model"], console)
    for base in ("cues", "tfidf"):
        print_comparison(results[base], results["model"], compare_reports(results[base], results["model"]), console)
    dev_report = evaluate(model, data / "dev.jsonl", n_resamples=resamples)
    dev_report.save(reports / "dev-model.json")
    console.print("[bold]in-domain dev split[/] (documents never trained on):")
    print_report(dev_report, console)

    model.config["eval_results"] = {
        "seed": results["model"].metrics["all"],
        "dev": dev_report.metrics["all"],
    }
    model.save_pretrained(output)
    # the int8 ONNX export (fast CPU inference) goes into the same folder; the torch weights stay the reference
    from stancekit.export import export_onnx

    export_onnx(output)
    int8 = evaluate(StanceModel.from_pretrained(output, backend="onnx"), suite, n_resamples=resamples)
    int8.save(reports / "seed-model-int8.json")
    name = "statement_macro_f1"
    console.print(
        f"int8 ONNX export ({output / 'onnx/model.onnx'}): seed {name} {int8.metrics['all'][name]['value']:.3f} "
        f"(torch {results['model'].metrics['all'][name]['value']:.3f}); `stancekit analyze` uses it by default"
    )
    failed = results["model"].failures(suite.thresholds)
    console.print("[green]seed-suite thresholds met[/]" if not failed else f"[red]thresholds missed:[/] {failed}")

    console.print("[bold]statements found in the seed articles[/]")
    seeds = sorted((suite.data.parent / "seeds").glob("*.txt"))
    print_readouts([model.analyze(split_readout(p.read_text(encoding="utf-8"), p.stem)) for p in seeds], console)
