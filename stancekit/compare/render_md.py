"""A Markdown report of a :class:`~stancekit.compare.report.Comparison`.

>>> from stancekit.compare.report import compare_readouts
>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> text = render_markdown(compare_readouts([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])]))
>>> print(text.splitlines()[0])
# Stance comparison
>>> "| China | 1 | 0 | 0 | 1 |" in text
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from stancekit.compare.frame import plain
from stancekit.records import STANCES

if TYPE_CHECKING:
    from stancekit.compare.report import Comparison

KIND_TITLES: dict[str, str] = {
    "match": "Reported by both",
    "reframed": "Reframed: the same exchange with a different stance",
    "only_a": "Only in A",
    "only_b": "Only in B",
}


def md(value: Any) -> str:
    """Text safe inside a Markdown table cell or list item (pipes escaped, one line).

    >>> md("a|b\\nc"), md(None)
    ('a\\\\|b c', '')
    """
    value = plain(value)
    if value is None:
        return ""
    return " ".join(str(value).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[Any]], align: str = "") -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(align[i] if i < len(align) else "---" for i in range(len(header))) + "|",
    ]
    return lines + ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]


def _confidence(value: Any) -> str:
    value = plain(value)
    return "" if value is None else f" ({value:.2f})"


def _statement(row: pd.Series | dict, prefix: str = "", *, party_stance: bool = True) -> str:
    def get(name: str) -> Any:
        return plain(row.get(prefix + name))

    who = f" ({md(get('party'))}, {md(get('stance'))})" if party_stance else ""
    arrow = f" → {md(get('target'))}" if get("target") is not None else ""
    topic = f" · topic: {md(get('topic'))}" if get("topic") is not None else ""
    return (
        f"**{md(get('actor'))}**{who}{arrow}{_confidence(get('confidence'))}{topic} · `{md(get('sid'))}`: "
        f"{md(get('sentence'))}"
    )


def _overview(c: Comparison) -> list[str]:
    lines = ["# Stance comparison", ""] if len(c.readouts) else ["# Stance comparison"]
    for r in c.readouts.itertuples(index=False):
        date = f", {r.date}" if plain(r.date) else ""
        lines.append(f"- `{md(r.doc_id)}`{date}: {r.sentences} sentences, {r.statements} statements")
    if not c.filters.is_empty:
        shown = "; ".join(f"{k} = {', '.join(v)}" for k, v in c.filters.fields().items())
        lines += ["", f"Filters: {md(shown)} ({len(c.statements)} statements shown)"]
    counts = c.counts()
    rows = [[party, *(int(row[s]) for s in (*STANCES, "total"))] for party, row in counts.iterrows()]
    lines += ["", "## Party × stance", ""]
    lines += _table(["party", *STANCES, "total"], rows, ["---", "---:", "---:", "---:", "---:"])
    by_actor = c.counts(by=["party", "actor"])
    rows = [[party, actor, *(int(row[s]) for s in (*STANCES, "total"))] for (party, actor), row in by_actor.iterrows()]
    lines += ["", "## Actor × stance", ""]
    lines += _table(["party", "actor", *STANCES, "total"], rows, ["---", "---", "---:", "---:", "---:", "---:"])
    return lines


def _cells(c: Comparison) -> list[str]:
    lines = ["", "## Statements by party and stance"]
    cells = c.cells()
    for party, row in cells.iterrows():
        for stance in STANCES:
            if row[stance]:
                lines += ["", f"### {md(party)} · {stance} ({len(row[stance])})", ""]
                lines += [f"- {_statement(item, party_stance=False)}" for item in row[stance]]
    return lines


def _topics(c: Comparison) -> list[str]:
    counts = c.topic_counts()
    if c.topic_method == "clusters":
        head = ["", "## Topics (clusters of similar sentences, named by their key terms)", ""]
        return head + _table(["topic", "statements"], [[t, n] for t, n in counts.items()], ["---", "---:"])
    rows = [[topic, ", ".join(c.topic_terms.get(topic, [])), n] for topic, n in counts.items()]
    return [
        "",
        "## Topics (keyword list)",
        "",
        *_table(["topic", "keywords", "statements"], rows, ["---", "---", "---:"]),
    ]


def _alignment(c: Comparison) -> list[str]:
    al = c.alignment
    if al is None:
        return []
    n = al.counts()
    lines = [
        "",
        f"## Two readouts of one meeting: A = `{md(al.a)}`, B = `{md(al.b)}`",
        "",
        f"{n['match']} matched, {n['reframed']} reframed, {n['only_a']} only in A, {n['only_b']} only in B.",
    ]
    for kind, title in KIND_TITLES.items():
        rows = al.kind(kind)
        if rows.empty:
            continue
        lines += ["", f"### {title} ({len(rows)})", ""]
        for _, row in rows.iterrows():
            if kind in ("match", "reframed"):
                lines += [
                    f"- similarity {row['similarity']:.2f}",
                    f"  - A: {_statement(row, 'a_')}",
                    f"  - B: {_statement(row, 'b_')}",
                ]
            else:
                lines.append(f"- {_statement(row, kind[-1] + '_')}")
    return lines


def _timeline(c: Comparison) -> list[str]:
    if c.links is None or c.timeline is None:
        return []
    lines = ["", "## Over time", ""]
    rows = [[r["date"], r["doc_id"], r["party"], *(int(r[s]) for s in STANCES)] for _, r in c.timeline.iterrows()]
    lines += _table(["date", "readout", "party", *STANCES], rows, ["---", "---", "---", "---:", "---:", "---:"])
    status = c.links["status"].value_counts().to_dict()
    lines += [
        "",
        "### Demands and what became of them",
        "",
        f"{status.get('answered', 0)} answered, {status.get('rejected', 0)} rejected, {status.get('open', 0)} open.",
        "",
    ]
    rows = []
    for _, r in c.links.iterrows():
        response = ""
        if plain(r["response_sid"]) is not None:
            response = f"{r['response_date']} {r['response_actor']} ({r['response_stance']}): {r['response_sentence']}"
        rows.append([r["date"], r["actor"], r["party"], r["target"], r["topic"], r["sentence"], r["status"], response])
    lines += _table(["date", "actor", "party", "target", "topic", "demand", "status", "first response"], rows)
    return lines


def render_markdown(comparison: Comparison) -> str:
    """The whole report: overview and counts, statements per cell, topics, alignment, timeline.

    >>> from stancekit.compare.report import compare_readouts
    >>> render_markdown(compare_readouts([])).splitlines()[4]
    '| party | demand | concession | criticism | total |'
    """
    parts = [
        _overview(comparison),
        _cells(comparison),
        _topics(comparison),
        _alignment(comparison),
        _timeline(comparison),
    ]
    return "\n".join(line for part in parts for line in part) + "\n"
