"""Terminal output (rich renderables) of a comparison; the caller prints them.

Counts and topics are tables; statements are listed per cell, so that long sentences
wrap on narrow terminals.

>>> from stancekit.compare.report import compare_readouts
>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> parts = rich_report(compare_readouts([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])]))
>>> parts[0].title
'party × stance (1 statements)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from stancekit.compare.frame import plain
from stancekit.records import STANCES

if TYPE_CHECKING:
    import pandas as pd

    from stancekit.compare.report import Comparison

STANCE_STYLE: dict[str, str] = {"demand": "blue", "concession": "green", "criticism": "red"}
KIND_TITLES: dict[str, str] = {
    "match": "reported by both",
    "reframed": "reframed (same exchange, different stance)",
    "only_a": "only in A",
    "only_b": "only in B",
}


def _s(value: Any) -> str:
    value = plain(value)
    return "" if value is None else escape(str(value))


def _line(item: dict | pd.Series, prefix: str = "", *, party_stance: bool = True) -> str:
    def get(name: str) -> Any:
        return plain(item.get(prefix + name))

    head = f"[bold]{_s(get('actor'))}[/]"
    if party_stance:
        head += f" ({_s(get('party'))}, [{STANCE_STYLE.get(get('stance'), 'default')}]{_s(get('stance'))}[/])"
    if get("target") is not None:
        head += f" → {_s(get('target'))}"
    if get("confidence") is not None:
        head += f" ({get('confidence'):.2f})"
    topic = f" [dim]· {_s(get('topic'))}[/]" if get("topic") is not None else ""
    return f"{head}{topic}: {_s(get('sentence'))} [dim]{_s(get('sid'))}[/]"


def _counts(c: Comparison) -> Table:
    table = Table(title=f"party × stance ({len(c.statements)} statements)")
    table.add_column("party")
    for stance in (*STANCES, "total"):
        table.add_column(stance, justify="right", style=STANCE_STYLE.get(stance, "bold"))
    for party, row in c.counts().iterrows():
        table.add_row(escape(str(party)), *(str(int(row[s])) for s in (*STANCES, "total")))
    return table


def _cells(c: Comparison) -> Group:
    lines: list[RenderableType] = []
    for party, row in c.cells().iterrows():
        for stance in STANCES:
            if row[stance]:
                title = f"{escape(str(party))} · [{STANCE_STYLE[stance]}]{stance}[/] ({len(row[stance])})"
                lines += [Text(""), Text.from_markup(f"[bold underline]{title}[/]")]
                lines += [Text.from_markup(f"  • {_line(it, party_stance=False)}") for it in row[stance]]
    return Group(*lines)


def _topics(c: Comparison) -> Table:
    table = Table(title=f"topics ({c.topic_method})")
    table.add_column("topic")
    if c.topic_method == "keywords":
        table.add_column("keywords")
    table.add_column("statements", justify="right")
    for topic, n in c.topic_counts().items():
        extra = [escape(", ".join(c.topic_terms.get(topic, [])))] if c.topic_method == "keywords" else []
        table.add_row(escape(topic), *extra, str(n))
    return table


def _alignment(c: Comparison) -> Group | None:
    al = c.alignment
    if al is None:
        return None
    n = al.counts()
    lines: list[RenderableType] = [
        Text.from_markup(
            f"[bold]A = {escape(al.a)}, B = {escape(al.b)}[/]: {n['match']} matched, {n['reframed']} reframed, "
            f"{n['only_a']} only in A, {n['only_b']} only in B"
        )
    ]
    for kind, title in KIND_TITLES.items():
        rows = al.kind(kind)
        if rows.empty:
            continue
        lines += [Text(""), Text.from_markup(f"[bold underline]{title} ({len(rows)})[/]")]
        for _, r in rows.iterrows():
            if kind in ("match", "reframed"):
                lines += [Text.from_markup(f"  • A: {_line(r, 'a_')}"), Text.from_markup(f"    B: {_line(r, 'b_')}")]
            else:
                lines.append(Text.from_markup(f"  • {_line(r, kind[-1] + '_')}"))
    return Group(*lines)


def _links(c: Comparison) -> Group | None:
    if c.links is None:
        return None
    status = c.links["status"].value_counts().to_dict()
    lines: list[RenderableType] = [
        Text.from_markup(
            f"[bold]demands over time[/]: {status.get('answered', 0)} answered, "
            f"{status.get('rejected', 0)} rejected, {status.get('open', 0)} open"
        )
    ]
    style = {"answered": "green", "rejected": "red", "open": "yellow"}
    for _, r in c.links.iterrows():
        mark = f"[{style[r['status']]}]{r['status']}[/]"
        lines.append(
            Text.from_markup(
                f"  • {_s(r['date'])} {mark} {_s(r['actor'])} ({_s(r['party'])}) → "
                f"{_s(r['target'])} [dim]· {_s(r['topic'])}[/]: {_s(r['sentence'])}"
            )
        )
        if plain(r["response_sid"]) is not None:
            lines.append(
                Text.from_markup(
                    f"      {_s(r['response_date'])} {_s(r['response_actor'])} "
                    f"({_s(r['response_stance'])}): {_s(r['response_sentence'])}"
                )
            )
    return Group(*lines)


def rich_report(comparison: Comparison) -> list[RenderableType]:
    """Counts, statements per cell, topics, and (when computed) the alignment and demand links.

    >>> from stancekit.compare.report import compare_readouts
    >>> len(rich_report(compare_readouts([])))
    3
    """
    parts = [_counts(comparison), _cells(comparison), _topics(comparison), _alignment(comparison),
             _links(comparison)]  # fmt: skip
    return [p for p in parts if p is not None]
