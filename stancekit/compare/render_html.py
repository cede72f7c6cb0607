"""A self-contained HTML report: party x stance heatmap and the statements behind each cell.

Inline CSS and JavaScript only, no external URL: the file opens offline. Without
JavaScript every cell's statements are listed; with it, clicking a heatmap cell shows
that cell's statements and a search box filters them.

>>> from stancekit.compare.report import compare_readouts
>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> page = render_html(compare_readouts([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])]))
>>> 'data-party="China" data-stance="demand" data-count="1"' in page, "http" in page
(True, False)
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from stancekit.compare.frame import plain
from stancekit.records import STANCES

if TYPE_CHECKING:
    import pandas as pd

    from stancekit.compare.report import Comparison

#: Heatmap colour (RGB) of each stance.
STANCE_RGB: dict[str, tuple[int, int, int]] = {
    "demand": (37, 99, 235),
    "concession": (22, 163, 74),
    "criticism": (220, 38, 38),
}
KIND_LABELS: dict[str, str] = {"match": "both", "reframed": "reframed", "only_a": "only A", "only_b": "only B"}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;
color:#1f2937}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;margin:.6rem 0}th,td{border:1px solid #e5e7eb;padding:.35rem .6rem;text-align:left;
vertical-align:top}
table.heatmap th.num{text-align:center}
table.heatmap td.cell{min-width:6rem;text-align:center;font-weight:600;cursor:pointer}
table.heatmap td.cell.active{outline:3px solid #111827;outline-offset:-3px}
td.num,th.num{text-align:right}.muted{color:#6b7280}.sid{color:#6b7280;font-size:.8em}
.cell-statements h3{margin:.8rem 0 .3rem}ul.statements{padding-left:1.2rem}li.statement{margin:.3rem 0}
.badge{display:inline-block;border-radius:.6rem;padding:0 .45rem;font-size:.8em;background:#e5e7eb}
.status-answered,.kind-match{background:#dcfce7}.status-rejected,.kind-reframed{background:#fee2e2}
.status-open,.kind-only_a,.kind-only_b{background:#fef9c3}
.js .cell-statements{display:none}.js .cell-statements.active,.js.filtering .cell-statements{display:block}
.js.filtering li.statement.hidden{display:none}
#filter{padding:.3rem .5rem;width:20rem;max-width:100%}
"""

JS = """
(function () {
  var body = document.body;
  body.classList.add("js");
  var cells = Array.prototype.slice.call(document.querySelectorAll("td.cell"));
  function show(cell) {
    cells.forEach(function (c) {
      c.classList.toggle("active", c === cell);
      c.setAttribute("aria-pressed", c === cell);
    });
    document.querySelectorAll(".cell-statements").forEach(function (s) {
      s.classList.toggle("active", s.id === cell.dataset.list);
    });
    body.dataset.selected = cell.dataset.list;
  }
  cells.forEach(function (cell) {
    var list = document.getElementById(cell.dataset.list);
    cell.dataset.listed = list ? list.querySelectorAll("li.statement").length : 0;
    cell.addEventListener("click", function () { show(cell); });
    cell.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { show(cell); } });
  });
  var busiest = cells.reduce(function (best, c) {
    return (!best || +c.dataset.count > +best.dataset.count) ? c : best;
  }, null);
  if (busiest) { show(busiest); }
  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      body.classList.toggle("filtering", q.length > 0);
      document.querySelectorAll("li.statement").forEach(function (li) {
        li.classList.toggle("hidden", q.length > 0 && li.textContent.toLowerCase().indexOf(q) < 0);
      });
    });
  }
  body.dataset.ready = "1";
})();
"""


def h(value: Any) -> str:
    """HTML-escaped text of a value (``None`` and NaN as empty).

    >>> h('<b> & "x"'), h(None)
    ('&lt;b&gt; &amp; &quot;x&quot;', '')
    """
    value = plain(value)
    return "" if value is None else escape(str(value), quote=True)


def _cell_style(stance: str, count: int, top: int) -> str:
    if not count:
        return ""
    alpha = 0.15 + 0.75 * count / max(top, 1)
    r, g, b = STANCE_RGB[stance]
    colour = "#fff" if alpha > 0.55 else "#111827"
    return f' style="background:rgba({r},{g},{b},{alpha:.2f});color:{colour}"'


def _statement(item: dict | pd.Series, prefix: str = "") -> str:
    def get(name: str) -> Any:
        return plain(item.get(prefix + name))

    conf = get("confidence")
    parts = [f'<span class="actor">{h(get("actor"))}</span>']
    if get("party") is not None and prefix:
        parts.append(f'<span class="muted">({h(get("party"))}, {h(get("stance"))})</span>')
    if get("target") is not None:
        parts.append(f'→ <span class="target">{h(get("target"))}</span>')
    if conf is not None:
        parts.append(f'<span class="confidence badge">{conf:.2f}</span>')
    if get("topic") is not None:
        parts.append(f'<span class="topic badge">{h(get("topic"))}</span>')
    parts.append(f'<span class="sentence">{h(get("sentence"))}</span> <span class="sid">{h(get("sid"))}</span>')
    return " ".join(parts)


def _heatmap(c: Comparison) -> list[str]:
    counts = c.counts()
    top = int(counts[list(STANCES)].to_numpy().max()) if len(counts) else 0
    head = "".join(f'<th class="num">{s}</th>' for s in (*STANCES, "total"))
    out = [
        "<h2>Party × stance</h2>",
        '<table class="heatmap" id="heatmap">',
        f"<thead><tr><th>party</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for p, (party, row) in enumerate(counts.iterrows()):
        tds = "".join(
            f'<td class="cell" tabindex="0" role="button" data-party="{h(party)}" data-stance="{s}" '
            f'data-count="{int(row[s])}" data-list="cell-{p}-{k}"{_cell_style(s, int(row[s]), top)}>{int(row[s])}</td>'
            for k, s in enumerate(STANCES)
        )
        out.append(f'<tr><th scope="row">{h(party)}</th>{tds}<td class="num total">{int(row["total"])}</td></tr>')
    out += ["</tbody></table>", '<p class="muted">Click a cell to list its statements.</p>']
    return out


def _cells(c: Comparison) -> list[str]:
    out = [
        "<h2>Statements</h2>",
        '<input id="filter" type="search" placeholder="Filter statements" aria-label="Filter statements">',
    ]
    for p, (party, row) in enumerate(c.cells().iterrows()):
        for k, stance in enumerate(STANCES):
            items = row[stance]
            out.append(
                f'<section class="cell-statements" id="cell-{p}-{k}" data-party="{h(party)}" '
                f'data-stance="{stance}" data-count="{len(items)}">'
            )
            out.append(f"<h3>{h(party)} · {stance} ({len(items)})</h3>")
            if not items:
                out.append('<p class="muted">No statements.</p>')
            lis = "".join(f'<li class="statement" data-sid="{h(it["sid"])}">{_statement(it)}</li>' for it in items)
            out += [f'<ul class="statements">{lis}</ul>' if items else "", "</section>"]
    return out


def _table(header: list[str], rows: list[list[str]], *, cls: str = "") -> list[str]:
    head = "".join(f"<th>{h(x)}</th>" for x in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return [f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>']


def _topics(c: Comparison) -> list[str]:
    if c.topic_method == "clusters":
        rows = [[h(t), str(n)] for t, n in c.topic_counts().items()]
        return [
            '<h2>Topics</h2><p class="muted">Clusters of similar sentences, named by their key terms.</p>',
            *_table(["topic", "statements"], rows, cls="topics"),
        ]
    rows = [[h(t), h(", ".join(c.topic_terms.get(t, []))), str(n)] for t, n in c.topic_counts().items()]
    return ["<h2>Topics</h2>", *_table(["topic", "keywords", "statements"], rows, cls="topics")]


def _alignment(c: Comparison) -> list[str]:
    al = c.alignment
    if al is None:
        return []
    n = al.counts()
    rows = []
    for _, r in al.frame.iterrows():
        sim = "" if plain(r["similarity"]) is None else f"{r['similarity']:.2f}"
        a = _statement(r, "a_") if plain(r["a_sid"]) is not None else '<span class="muted">not reported</span>'
        b = _statement(r, "b_") if plain(r["b_sid"]) is not None else '<span class="muted">not reported</span>'
        rows.append([f'<span class="badge kind-{h(r["kind"])}">{KIND_LABELS[r["kind"]]}</span>', a, b, sim])
    return [
        f"<h2>Two readouts of one meeting</h2><p>A = <code>{h(al.a)}</code>, B = <code>{h(al.b)}</code>: "
        f"{n['match']} matched, {n['reframed']} reframed, {n['only_a']} only in A, {n['only_b']} only in B.</p>",
        *_table(["", "A", "B", "similarity"], rows, cls="alignment"),
    ]


def _timeline(c: Comparison) -> list[str]:
    if c.links is None or c.timeline is None:
        return []
    rows = [
        [h(r["date"]), h(r["doc_id"]), h(r["party"]), *(str(int(r[s])) for s in STANCES)]
        for _, r in c.timeline.iterrows()
    ]
    out = ["<h2>Over time</h2>", *_table(["date", "readout", "party", *STANCES], rows, cls="timeline")]
    rows = []
    for _, r in c.links.iterrows():
        response = (
            ""
            if plain(r["response_sid"]) is None
            else (
                f'{h(r["response_date"])} <span class="actor">{h(r["response_actor"])}</span> '
                f"({h(r['response_stance'])}): {h(r['response_sentence'])}"
            )
        )
        rows.append(
            [
                h(r["date"]),
                h(r["actor"]),
                h(r["target"]),
                h(r["topic"]),
                h(r["sentence"]),
                f'<span class="badge status-{h(r["status"])}">{h(r["status"])}</span>',
                response,
            ]
        )
    out += [
        "<h3>Demands and what became of them</h3>",
        *_table(["date", "actor", "target", "topic", "demand", "status", "first response"], rows, cls="links"),
    ]
    return out


def render_html(comparison: Comparison, *, title: str = "Stance comparison") -> str:
    """The whole report as one HTML page (UTF-8, no external resources).

    >>> from stancekit.compare.report import compare_readouts
    >>> render_html(compare_readouts([]), title="Empty").startswith("<!DOCTYPE html>")
    True
    """
    c = comparison
    readouts = [
        [f"<code>{h(r.doc_id)}</code>", h(r.date), str(r.sentences), str(r.statements)]
        for r in c.readouts.itertuples(index=False)
    ]
    filters = "; ".join(f"{k} = {', '.join(v)}" for k, v in c.filters.fields().items())
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{h(title)}</h1>",
        f'<p class="muted">{len(c.statements)} statements'
        + (f" (filters: {h(filters)})" if filters else "") + "</p>",
        *_table(["readout", "date", "sentences", "statements"], readouts, cls="readouts"),
        *_heatmap(c), *_cells(c), *_topics(c), *_alignment(c), *_timeline(c),
        f"<script>{JS}</script>", "</body></html>",
    ]  # fmt: skip
    return "\n".join(p for p in parts if p) + "\n"
