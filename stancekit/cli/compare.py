"""``stancekit compare FILE...``: who demanded, conceded and criticised what, side by side.

Inputs are analysed JSONL (records with ``statements``, as written by ``stancekit analyze
--format jsonl``), raw readout texts or unanalysed JSONL sentences; the last two need
``--model``. Two readouts of one meeting are aligned; dated readouts form a timeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from stancekit.modeling import StanceModel
    from stancekit.records import Readout


def _is_analysed(path: Path) -> bool:
    """True when the first record of a JSONL file carries ``statements``."""
    if path.suffix != ".jsonl" or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "statements" in record
    except (OSError, UnicodeDecodeError, ValueError):
        return True  # let the validating reader report the problem with file and line
    return True


def load_readouts(
    paths: list[Path], model_dir: Path | None, *, threshold: float | None = None
) -> tuple[list[Readout], StanceModel | None]:
    """Readouts in input order (analysed JSONL as is; the rest analysed by the model) and the model.

    Raises:
        StancekitError: E605 when an input needs a model and none is given.

    >>> readouts, model = load_readouts([Path("tests/fixtures/compare/meeting_calder.jsonl")], None)
    >>> [len(r.statements) for r in readouts], model is None
    ([7], True)
    """
    from stancekit.cli.analyze import load_inputs
    from stancekit.errors import StancekitError
    from stancekit.jsonl import read_sentences
    from stancekit.records import group_readouts

    pending = [p for p in paths if not _is_analysed(p)]
    if pending and model_dir is None:
        raise StancekitError("E605", ", ".join(str(p) for p in pending))
    model = None
    if model_dir is not None:
        from stancekit.modeling import StanceModel

        model = StanceModel.from_pretrained(model_dir, threshold=threshold)
    readouts = []
    for path in paths:
        if path in pending:
            readouts += [model.analyze(r) for r in load_inputs([path])]
        else:
            readouts += group_readouts(read_sentences(path))
    return readouts, model


def _read_topics(path: Path) -> dict[str, list[str]]:
    import yaml

    from stancekit.compare.topics import check_topic_list
    from stancekit.errors import DataError

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise DataError("E604", str(exc), where=str(path)) from exc
    return check_topic_list(data, where=str(path))


def _check_values(readouts, filters) -> None:
    """E607 for a party, actor or target filter value that no statement has."""
    from stancekit.compare.frame import UNKNOWN_PARTY
    from stancekit.errors import ConfigError, did_you_mean

    statements = [s for r in readouts for s in r.statements]
    known = {
        "party": {s.party or UNKNOWN_PARTY for s in statements},
        "actor": {s.actor for s in statements},
        "target": {s.target for s in statements if s.target},
    }
    for name, values in known.items():
        for value in getattr(filters, name):
            if value not in values:
                choices = ", ".join(sorted(values)) or "none"
                raise ConfigError("E607", f"--{name} {value!r}{did_you_mean(value, values)}; the data has {choices}")


def compare_cli(
    files: list[Path] = typer.Argument(..., help="Analysed JSONL, raw readout texts or JSONL sentences."),
    model: Path | None = typer.Option(None, "--model", help="Model folder; needed unless all inputs are analysed."),
    dates: list[str] = typer.Option(
        [],
        "--dates",
        help="YYYY-MM-DD per readout in input order, or DOC_ID=YYYY-MM-DD; repeatable or comma-separated.",
    ),
    html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML report here."),
    fmt: str = typer.Option("table", "--format", help="table, json or md."),
    party: list[str] = typer.Option([], "--party", help="Only statements by this party. Repeatable."),
    actor: list[str] = typer.Option([], "--actor", help="Only statements by this actor. Repeatable."),
    stance: list[str] = typer.Option([], "--stance", help="Only this stance. Repeatable."),
    target: list[str] = typer.Option([], "--target", help="Only statements aimed at this party. Repeatable."),
    topic: list[str] = typer.Option([], "--topic", help="Only this topic (a label or one of its key terms)."),
    topics: Path | None = typer.Option(None, "--topics", help="JSON/YAML {topic: [keywords]} instead of clusters."),
    n_topics: int | None = typer.Option(None, "--n-topics", help="Number of topic clusters (default: automatic)."),
    align: bool | None = typer.Option(
        None,
        "--align/--no-align",
        help="Align two readouts of one meeting (default: when two readouts share a date or have none).",
    ),
    min_similarity: float | None = typer.Option(
        None,
        "--min-similarity",
        help="Least sentence similarity of a match (default 0.15 with TF-IDF, 0.4 with --model).",
    ),
    threshold: float | None = typer.Option(None, "--threshold", help="Minimum confidence of model statements."),
) -> None:
    """Demands, concessions and criticisms per party side by side; what two readouts of one meeting
    report differently; which demands were later answered, rejected or left open."""
    from stancekit.compare import AlignConfig, CompareConfig, StatementFilter, compare_readouts, encoder_embedder
    from stancekit.compare.timeline import assign_dates
    from stancekit.errors import ConfigError

    if fmt not in {"table", "json", "md"}:
        raise ConfigError("E502", f"--format {fmt!r}; use table, json or md")
    filters = StatementFilter(party=party, actor=actor, stance=stance, target=target, topic=topic)
    keywords = _read_topics(topics) if topics is not None else None
    readouts, stance_model = load_readouts(files, model, threshold=threshold)
    readouts = assign_dates(readouts, dates)
    _check_values(readouts, filters)
    embedder = encoder_embedder(stance_model) if stance_model is not None else None
    if min_similarity is None:
        min_similarity = 0.4 if stance_model is not None else 0.15
    config = CompareConfig(
        topics=keywords,
        n_topics=n_topics,
        filters=filters,
        align=align,
        alignment=AlignConfig(min_similarity=min_similarity),
    )
    result = compare_readouts(readouts, embedder=embedder, config=config)
    if html is not None:
        from stancekit.atomic import write_text_atomic

        write_text_atomic(html, result.to_html())
        typer.echo(f"wrote {html}", err=True)
    if fmt == "json":
        typer.echo(result.to_json())
    elif fmt == "md":
        typer.echo(result.to_markdown(), nl=False)
    else:
        from rich.console import Console

        from stancekit.compare.render_table import rich_report

        console = Console()
        for part in rich_report(result):
            console.print(part)
            console.print()
