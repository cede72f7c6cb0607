"""Outputs: JSON, Markdown and the self-contained HTML report (checked by html.parser and in chromium)."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stancekit.compare import compare_readouts
from stancekit.jsonl import read_sentences
from stancekit.records import STANCES, Readout, Sentence, Statement, group_readouts

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
A, B = "arvenia-calder-2024-03-arv", "arvenia-calder-2024-03-cal"
CHROMIUM = Path("/usr/bin/chromium")
COUNTS = {("Arvenia", "demand"): 3, ("Arvenia", "concession"): 2, ("Arvenia", "criticism"): 2,
          ("Calder", "demand"): 1, ("Calder", "concession"): 3, ("Calder", "criticism"): 2}  # fmt: skip


def pair_result():
    readouts = [r for name in ("meeting_arvenia.jsonl", "meeting_calder.jsonl")
                for r in group_readouts(read_sentences(FIXTURES / name))]  # fmt: skip
    return compare_readouts(readouts)


class ReportParser(HTMLParser):
    """Collects heatmap cells, the statement lists behind them, scripts and every URL-like attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[dict] = []
        self.sections: dict[str, dict] = {}
        self.body: dict = {}
        self.scripts = 0
        self.resource_attrs: list[tuple[str, str, str]] = []
        self._cell: dict | None = None
        self._section: dict | None = None
        self._li: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            if key in a:
                self.resource_attrs.append((tag, key, a[key]))
        if tag == "body":
            self.body = a
        if tag == "script":
            self.scripts += 1
        if tag == "td" and "cell" in classes:
            self._cell = {**a, "text": ""}
            self.cells.append(self._cell)
        if tag == "section" and "cell-statements" in classes:
            self._section = {**a, "sids": [], "texts": []}
            self.sections[a["id"]] = self._section
        if tag == "li" and "statement" in classes and self._section is not None:
            self._li = {"sid": a["data-sid"], "text": ""}
            self._section["sids"].append(a["data-sid"])

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        if tag == "li" and self._li is not None:
            self._section["texts"].append(self._li["text"])
            self._li = None
        if tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._li is not None:
            self._li["text"] += data


def parse(page: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(page)
    parser.close()
    return parser


def check_report(page: str, result) -> ReportParser:
    """The structural check of the HTML report (always runs; the browser test reuses it)."""
    doc = parse(page)
    assert "http://" not in page and "https://" not in page
    assert doc.resource_attrs == []  # nothing to fetch: no src/href at all
    assert doc.scripts == 1
    counts = result.counts()
    expected = {(p, s): int(counts.loc[p, s]) for p in counts.index for s in STANCES}
    got = {(c["data-party"], c["data-stance"]): int(c["data-count"]) for c in doc.cells}
    assert got == expected
    assert all(c["text"].strip() == c["data-count"] for c in doc.cells)
    frame = result.statements
    for cell in doc.cells:
        section = doc.sections[cell["data-list"]]
        assert (section["data-party"], section["data-stance"]) == (cell["data-party"], cell["data-stance"])
        want = frame[(frame["party"] == cell["data-party"]) & (frame["stance"] == cell["data-stance"])]
        assert section["sids"] == list(want["sid"])
        for text, sentence in zip(section["texts"], want["sentence"], strict=True):
            assert sentence in text
    return doc


def test_html_report_structure():
    result = pair_result()
    doc = check_report(result.to_html(), result)
    got = {(c["data-party"], c["data-stance"]): int(c["data-count"]) for c in doc.cells}
    assert got == COUNTS
    assert sum(len(s["sids"]) for s in doc.sections.values()) == 13


def test_html_escapes_statement_text():
    text = 'Li said "<script>alert(1)</script>" & left.'
    st = Statement("Li", 0, 2, "Li <Qiang>", "China", "criticism", "EU")
    result = compare_readouts([Readout("x", [Sentence("x", 0, text, [st])])])
    page = result.to_html(title="A & B")
    doc = check_report(page, result)
    assert doc.scripts == 1 and "<script>alert" not in page
    assert "<title>A &amp; B</title>" in page
    (section,) = [s for s in doc.sections.values() if s["sids"]]
    assert text in section["texts"][0] and "Li <Qiang>" in section["texts"][0]


def test_html_shows_alignment_and_timeline_sections():
    page = pair_result().to_html()
    assert "Two readouts of one meeting" in page and "4 matched, 1 reframed, 1 only in A, 2 only in B" in page
    assert page.count('class="badge kind-only_b"') == 2
    readouts = group_readouts(read_sentences(FIXTURES / "timeline.jsonl"))
    for r, d in zip(readouts, ["2024-01-15", "2024-04-20", "2024-09-02"], strict=True):
        r.date = d
    timeline = compare_readouts(readouts).to_html()
    assert timeline.count('class="badge status-answered"') == 2 and timeline.count('class="badge status-open"') == 2


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
def test_html_report_in_headless_chromium(tmp_path):
    result = pair_result()
    path = tmp_path / "report.html"
    path.write_text(result.to_html(), encoding="utf-8")
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    doc = check_report(out.stdout, result)
    assert doc.body.get("data-ready") == "1", "the inline script did not run"
    assert "js" in doc.body.get("class", "").split()
    # the script counted the statements listed behind each cell: they agree with the heatmap
    assert all(c["data-listed"] == c["data-count"] for c in doc.cells)
    # and it opened the busiest cell (first among ties)
    active = [c for c in doc.cells if "active" in c["class"].split()]
    assert [(c["data-party"], c["data-stance"]) for c in active] == [("Arvenia", "demand")]
    assert doc.body.get("data-selected") == active[0]["data-list"]
    assert doc.sections[active[0]["data-list"]]["class"].split() == ["cell-statements", "active"]


def test_markdown_report():
    md = pair_result().to_markdown()
    assert md.startswith("# Stance comparison\n")
    assert "| Arvenia | 3 | 2 | 2 | 7 |" in md and "| Calder | 1 | 3 | 2 | 6 |" in md
    assert "| Arvenia | Ilse Marek | 2 | 2 | 2 | 6 |" in md
    assert "### Calder · concession (3)" in md and "### Calder · demand (1)" in md
    assert "4 matched, 1 reframed, 1 only in A, 2 only in B." in md
    only_a = md.split("### Only in A (1)")[1].split("###")[0]
    assert f"`{A}#4.0`" in only_a and "river flow data" in only_a
    reframed = md.split("### Reframed")[1].split("###")[0]
    assert "(Calder, concession)" in reframed and "(Calder, criticism)" in reframed


def test_markdown_escapes_pipes():
    st = Statement("Li", 0, 2, "Li|Qiang", "China|PRC", "demand", "EU")
    md = compare_readouts([Readout("x", [Sentence("x", 0, "Li urged | stop.", [st])])]).to_markdown()
    assert "| China\\|PRC | 1 | 0 | 0 | 1 |" in md and "Li urged \\| stop." in md


def test_json_report():
    data = json.loads(pair_result().to_json())
    assert data["counts"]["Calder"] == {"demand": 1, "concession": 3, "criticism": 2, "total": 6}
    assert [r["doc_id"] for r in data["readouts"]] == [A, B]
    assert len(data["statements"]) == 13 and all("topic" in s for s in data["statements"])
    assert data["alignment"]["counts"] == {"match": 4, "reframed": 1, "only_a": 1, "only_b": 2}
    reframed = [r for r in data["alignment"]["rows"] if r["kind"] == "reframed"]
    assert [(r["a_sid"], r["b_sid"]) for r in reframed] == [(f"{A}#5.0", f"{B}#4.0")]
    only_b = [r for r in data["alignment"]["rows"] if r["kind"] == "only_b"]
    assert all(r["a_sid"] is None for r in only_b)
    assert data["topics"]["method"] == "clusters" and sum(data["topics"]["counts"].values()) == 13
    assert data["timeline"] is None


def test_rich_report_renders(capsys):
    from rich.console import Console

    from stancekit.compare.render_table import rich_report

    console = Console(width=100, record=True)
    for part in rich_report(pair_result()):
        console.print(part)
    text = console.export_text()
    assert "only in B (2)" in text and "Arvenia · demand (3)" in text


def test_readouts_without_statements_render_in_every_format():
    readouts = [Readout(d, [Sentence(d, 0, "Nothing was said.")], date=date)
                for d, date in (("a", "2024-01-01"), ("b", "2024-02-01"))]  # fmt: skip
    result = compare_readouts(readouts)
    assert result.links.empty and result.alignment is None
    assert json.loads(result.to_json())["counts"] == {}
    assert "0 answered, 0 rejected, 0 open." in result.to_markdown()
    doc = check_report(result.to_html(), result)
    assert doc.cells == [] and doc.sections == {}
