"""Readable tables for reports, comparisons and analysed readouts (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from stancekit.evaluation.harness import EvalReport
from stancekit.evaluation.metrics import METRICS
from stancekit.records import Readout


def _fmt(m: dict) -> str:
    if m.get("value") is None:
        return "n/a"
    if m.get("ci_low") is None:
        return f"{m['value']:.3f}"
    return f"{m['value']:.3f} [{m['ci_low']:.3f}, {m['ci_high']:.3f}]"


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """Metrics on all and confident statements, per-stance scores and the confusion table."""
    console = console or Console()
    c = report.counts
    table = Table(
        title=f"{report.model} on {report.suite.get('name')} v{report.suite.get('version')} "
        f"({c['sentences']} sentences, {c['statements']} statements; "
        f"confident: {c['confident_sentences']} / {c['confident_statements']})"
    )
    table.add_column("metric")
    table.add_column("all [95% CI]")
    table.add_column("confident [95% CI]")
    for name in METRICS:
        table.add_row(name, _fmt(report.metrics["all"][name]), _fmt(report.metrics["confident"][name]))
    console.print(table)
    stance = Table(title="per stance (statements matched on actor)")
    for col in ("stance", "precision", "recall", "f1", "support"):
        stance.add_column(col)
    for name, m in report.per_stance.items():
        stance.add_row(
            name,
            *(("n/a" if m[k] is None else f"{m[k]:.3f}") for k in ("precision", "recall", "f1")),
            str(m["support"]),
        )
    console.print(stance)
    conf = Table(title="confusion (rows gold, columns predicted, same actor)")
    conf.add_column("gold \\ pred")
    labels = list(report.confusion)
    for lab in labels:
        conf.add_column(lab)
    for g in labels:
        conf.add_row(g, *(str(report.confusion[g][p]) for p in labels))
    console.print(conf)
    if report.thresholds:
        console.print(f"suite thresholds: {report.thresholds}")


def print_comparison(a: EvalReport, b: EvalReport, result: dict, console: Console | None = None) -> None:
    """Differences B - A with paired-bootstrap intervals and p-values."""
    console = console or Console()
    table = Table(title=f"{b.model} (B) vs {a.model} (A), paired bootstrap on {a.suite.get('name')}")
    for col in ("metric", "A", "B", "B - A [95% CI]", "p (B <= A)", "B better?"):
        table.add_column(col)
    for name in METRICS:
        r = result[name]
        if r["n_resamples"] == 0:
            table.add_row(name, _fmt(a.metrics["all"][name]), _fmt(b.metrics["all"][name]), "n/a", "n/a", "n/a")
            continue
        table.add_row(
            name,
            _fmt(a.metrics["all"][name]),
            _fmt(b.metrics["all"][name]),
            f"{r['difference']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}]",
            f"{r['p_value']:.4f}",
            "yes" if r["significant"] else "no",
        )
    console.print(table)


def print_readouts(readouts: list[Readout], console: Console | None = None) -> None:
    """One row per statement: sentence, speaker, actor, party, stance, target, cue, confidence."""
    console = console or Console()
    for readout in readouts:
        table = Table(title=readout.doc_id, show_lines=False)
        for col in ("#", "speaker", "actor", "party", "stance", "target", "cue", "conf"):
            table.add_column(col)
        for sent in readout.sentences:
            for s in sent.statements:
                table.add_row(
                    str(sent.sent_index),
                    s.speaker,
                    s.actor,
                    str(s.party),
                    s.stance,
                    str(s.target),
                    s.cue or "",
                    f"{s.confidence:.2f}" if s.confidence is not None else "",
                )
        console.print(table)
