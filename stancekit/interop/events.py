"""Statements as event data: PLOVER event records and CAMEO-coded rows.

Every statement becomes one event (source = speaker's actor and party, target = target party),
with its evidence: cue, sentence text, ``doc_id``, ``sent_index``, confidence and uncertainty.
The event type comes from the stance, refined by the cue word where the cue says more
(first matching rule wins; cues are matched lower-cased, on word stems):

=========== ============================================== ============ =========================================
stance      cue matches                                    PLOVER       CAMEO
=========== ============================================== ============ =========================================
demand      urge, appeal, call, ask, request, encourage,   REQUEST      020 Make an appeal or request, n.s.b.
            invite, hope, expect
demand      (anything else: demand, insist, press, ...)    REQUEST      100 Demand, not specified below
criticism   warn, threat                                   THREATEN     130 Threaten, not specified below
criticism   accuse, blame                                  ACCUSE       112 Accuse, not specified below
criticism   condemn, denounce, criticise/criticize, slam,  ACCUSE       111 Criticize or denounce
            rebuke, decry, lambast
criticism   complain, protest                              ACCUSE       114 Complain officially
criticism   (anything else: concern, alarm, ...)           ACCUSE       110 Disapprove, not specified below
concession  agree, accept, accede, concede                 CONCEDE      080 Yield, not specified below
concession  resolve, settle                                CONCEDE      037 Express intent to settle dispute
concession  dialogue, negotiate, talks                     CONCEDE      036 Express intent to meet or negotiate
concession  (anything else: willing, offer, pledge, ease)  CONCEDE      035 Express intent to yield, n.s.b.
=========== ============================================== ============ =========================================

(n.s.b. = not specified below.) CAMEO quad classes follow the usual root ranges: 01-05 verbal
cooperation (1), 06-09 material cooperation (2), 10-14 verbal conflict (3), 15-20 material
conflict (4). PLOVER's REQUEST, ACCUSE and THREATEN are verbal conflict, CONCEDE verbal cooperation.

Caveats:

- A stancekit statement is a *speech act*. PLOVER's CONCEDE (verbal) fits a concession; its
  material counterpart RETREAT, and COOPERATE/AID, would claim that something was done.
  CAMEO 080 (YIELD) is a material-cooperation root: used only when the cue says the speaker
  *agreed*, i.e. reported the concession as made; intentions stay in the 03 family.
- stancekit's ``demand`` covers both CAMEO's softer APPEAL (02) and DEMAND (10); only the cue
  tells them apart, and a missing cue falls back to 100.
- Warnings are criticism in stancekit (docs/annotation.md) but THREATEN (13) in both
  ontologies, hence the cue rule; a warning cued "voiced concern" stays 110.
- PLOVER ``mode``/``context`` and CAMEO's 4-digit codes need *what* is demanded or conceded
  (a ceasefire, sanctions relief), which stancekit does not label: they are left empty.
- Actors are stancekit's canonical names and parties, not CAMEO actor codes (``CHN``,
  ``IGOEUREEC``): map them with your own dictionary when you merge with ICEWS/POLECAT data.
- Dates come from the caller (readouts carry them; sentence JSONL does not): ``None`` otherwise.

>>> from stancekit.records import Sentence, Statement
>>> st = Statement("Wang", 0, 4, "Wang Yi", "China", "criticism", "EU", confidence=0.8,
...                cue="condemned", cue_start=5, cue_end=14)
>>> ev = to_plover([Sentence("d1", 0, "Wang condemned the tariffs.", [st])], dates={"d1": "2025-07-01"})[0]
>>> ev["event"], ev["cameo"], ev["source"], ev["target"], ev["date"]
('ACCUSE', '111', 'China', 'EU', '2025-07-01')
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

from stancekit.atomic import write_text_atomic
from stancekit.errors import StancekitError
from stancekit.records import Sentence, Statement

CROSSWALK_VERSION = "stancekit-events-1"


@dataclass(frozen=True)
class Rule:
    """One row of the crosswalk: a stance (and cue stems, None = any cue) to PLOVER and CAMEO."""

    stance: str
    cue_stems: tuple[str, ...] | None
    plover: str
    cameo: str
    cameo_name: str


#: the crosswalk, in matching order (the docstring table shows the same rows)
CROSSWALK: tuple[Rule, ...] = (
    Rule(
        "demand",
        ("urg", "appeal", "call", "ask", "request", "encourag", "invit", "hope", "expect"),
        "REQUEST",
        "020",
        "Make an appeal or request, not specified below",
    ),
    Rule("demand", None, "REQUEST", "100", "Demand, not specified below"),
    Rule("criticism", ("warn", "threat"), "THREATEN", "130", "Threaten, not specified below"),
    Rule("criticism", ("accus", "blam"), "ACCUSE", "112", "Accuse, not specified below"),
    Rule(
        "criticism",
        ("condemn", "denounc", "criticis", "criticiz", "slam", "rebuk", "decry", "decri", "lambast"),
        "ACCUSE",
        "111",
        "Criticize or denounce",
    ),
    Rule("criticism", ("complain", "protest"), "ACCUSE", "114", "Complain officially"),
    Rule("criticism", None, "ACCUSE", "110", "Disapprove, not specified below"),
    Rule("concession", ("agree", "accept", "acced", "conced"), "CONCEDE", "080", "Yield, not specified below"),
    Rule("concession", ("resolv", "settl"), "CONCEDE", "037", "Express intent to settle dispute"),
    Rule("concession", ("dialog", "negotiat", "talks"), "CONCEDE", "036", "Express intent to meet or negotiate"),
    Rule("concession", None, "CONCEDE", "035", "Express intent to yield, not specified below"),
)
PLOVER_QUAD: dict[str, str] = {
    "REQUEST": "verbal conflict",
    "ACCUSE": "verbal conflict",
    "THREATEN": "verbal conflict",
    "CONCEDE": "verbal cooperation",
}
CAMEO_COLUMNS: tuple[str, ...] = (
    "EventID",
    "Date",
    "SourceActor",
    "SourceParty",
    "TargetParty",
    "EventCode",
    "EventRootCode",
    "QuadClass",
    "EventName",
    "Stance",
    "Cue",
    "Confidence",
    "Uncertain",
    "DocID",
    "SentIndex",
    "Text",
)


def rule_for(statement: Statement) -> Rule:
    """The first crosswalk rule whose stance matches and whose cue stems occur in the cue.

    >>> rule_for(Statement("X", 0, 1, "X", None, "criticism", cue="warned", cue_start=0, cue_end=6)).cameo
    '130'
    """
    words = re.findall(r"\w+", (statement.cue or "").lower())
    for rule in CROSSWALK:
        if rule.stance != statement.stance:
            continue
        if rule.cue_stems is None or any(w.startswith(stem) for w in words for stem in rule.cue_stems):
            return rule
    raise ValueError(f"no crosswalk rule for stance {statement.stance!r}")  # unreachable for valid stances


def cameo_quad_class(code: str) -> int:
    """CAMEO quad class (1-4) of an event code by its two-digit root.

    >>> cameo_quad_class("035"), cameo_quad_class("080"), cameo_quad_class("111")
    (1, 2, 3)
    """
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def _check_dates(dates: dict[str, str]) -> None:
    for doc_id, value in dates.items():
        try:
            _date.fromisoformat(value)
        except (TypeError, ValueError):
            raise StancekitError("E601", f"{doc_id}={value!r}") from None


def _events(sentences: list[Sentence], dates: dict[str, str]) -> list[tuple[str, Sentence, Statement, Rule]]:
    _check_dates(dates)
    return [
        (f"{s.doc_id}-{s.sent_index}-{k}", s, st, rule_for(st)) for s in sentences for k, st in enumerate(s.statements)
    ]


def to_plover(sentences: list[Sentence], *, dates: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """PLOVER-style event records, one per statement, with the evidence.

    Args:
        sentences: stancekit sentences with statements (predictions or gold).
        dates: ``doc_id -> YYYY-MM-DD``; documents not in it get ``date: null``.

    Raises:
        StancekitError: E601 for a date that is not YYYY-MM-DD.
    """
    dates = dates or {}
    out = []
    for event_id, s, st, rule in _events(sentences, dates):
        out.append(
            {
                "id": event_id,
                "date": dates.get(s.doc_id),
                "event": rule.plover,
                "mode": None,
                "context": [],
                "quad_class": PLOVER_QUAD[rule.plover],
                "source": st.party,
                "source_actor": st.actor,
                "source_text": st.speaker,
                "target": st.target,
                "cameo": rule.cameo,
                "stance": st.stance,
                "cue": st.cue,
                "text": s.text,
                "doc_id": s.doc_id,
                "sent_index": s.sent_index,
                "confidence": st.confidence,
                "uncertain": st.uncertain,
                "coder": CROSSWALK_VERSION,
            }
        )
    return out


def to_cameo_rows(sentences: list[Sentence], *, dates: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """CAMEO-coded rows (columns :data:`CAMEO_COLUMNS`), one per statement.

    >>> from stancekit.records import Statement
    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", cue="urged", cue_start=3, cue_end=8)
    >>> row = to_cameo_rows([Sentence("d", 0, "Li urged Brussels to act.", [st])])[0]
    >>> row["EventCode"], row["EventRootCode"], row["QuadClass"]
    ('020', '02', 1)
    """
    dates = dates or {}
    return [
        {
            "EventID": event_id,
            "Date": dates.get(s.doc_id),
            "SourceActor": st.actor,
            "SourceParty": st.party,
            "TargetParty": st.target,
            "EventCode": rule.cameo,
            "EventRootCode": rule.cameo[:2],
            "QuadClass": cameo_quad_class(rule.cameo),
            "EventName": rule.cameo_name,
            "Stance": st.stance,
            "Cue": st.cue,
            "Confidence": st.confidence,
            "Uncertain": st.uncertain,
            "DocID": s.doc_id,
            "SentIndex": s.sent_index,
            "Text": s.text,
        }
        for event_id, s, st, rule in _events(sentences, dates)
    ]


def write_plover(path: str | Path, sentences: list[Sentence], *, dates: dict[str, str] | None = None) -> None:
    """Write :func:`to_plover` records as JSON Lines, atomically."""
    records = to_plover(sentences, dates=dates)
    write_text_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def write_cameo(path: str | Path, sentences: list[Sentence], *, dates: dict[str, str] | None = None) -> None:
    """Write :func:`to_cameo_rows` as tab-separated values with a header, atomically (empty cells for null)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CAMEO_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for row in to_cameo_rows(sentences, dates=dates):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    write_text_atomic(path, buf.getvalue())
