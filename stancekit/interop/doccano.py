"""doccano: import its JSONL export as stancekit records, export predictions as pre-annotations.

Create a *Sequence labeling* project with *Use relation labeling* (and *Allow overlapping
spans*, for the no-cue convention of :mod:`stancekit.interop.schema`), import the span labels
``doccano_labels.json`` and relation types ``doccano_relations.json``, then import the JSONL
written by :func:`write_doccano`. doccano keeps every extra key of a line as metadata and
exports it back: ``doc_id``, ``sent_index`` and ``stancekit`` (actor, party, targets and
confidence of each pre-annotated statement, matched back by speaker span, cue span and stance).
doccano has no per-span attributes, so statements an annotator adds or re-draws get their
actor, party and target from stancekit's resolver (registry + document), as predictions do.

Two export shapes are read:

- ``entities`` + ``relations`` (relation labelling on): everything in the scheme.
- the older ``label: [[start, end, "LABEL"], ...]`` (no relations). It can express a sentence
  with **one** SPEAKER (all cues are that speaker's), background (no spans), and cues placed on
  exactly a speaker's span (no-cue convention). Several speakers with cues elsewhere are
  ambiguous (E707); uncertainty cannot be marked (always ``false``).

doccano exports every example, finished or not: an example without spans is read as a
background sentence, so export only approved examples when labelling is still under way.
Offsets are read as Unicode code points (Python string indices).

Examples:
    >>> from stancekit.records import Sentence, Statement
    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", cue="urged", cue_start=3, cue_end=8)
    >>> line = to_doccano([Sentence("d", 0, "Li urged Brussels to act.", [st])])[0]
    >>> [(e["label"], e["start_offset"], e["end_offset"]) for e in line["entities"]]
    [('SPEAKER', 0, 2), ('CUE-demand', 3, 8)]
    >>> line["relations"]
    [{'id': 1, 'from_id': 1, 'to_id': 2, 'type': 'states'}]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stancekit.atomic import write_text_atomic
from stancekit.errors import DataError, did_you_mean
from stancekit.interop.schema import (
    CUE_LABELS,
    SPAN_LABELS,
    SPEAKER,
    STATES,
    STATES_UNCERTAIN,
    Collector,
    Draft,
    ImportResult,
    Region,
    drafts_from_regions,
    finish_import,
    group_statements,
    sentence_from,
    span_problem,
)
from stancekit.records import Sentence
from stancekit.validation import read_lines

#: metadata key holding the attributes of pre-annotated statements
META_KEY = "stancekit"

__all__ = ["read_doccano", "to_doccano", "write_doccano"]


def _regions(text: str, spans: list[tuple[str, Any, Any, Any]], where: str, problems: Collector) -> list[Region]:
    regions = []
    for rid, label, start, end in spans:
        if label not in SPAN_LABELS:
            problems.add(where, "E703", f"span label {label!r}{did_you_mean(str(label), SPAN_LABELS)}")
            continue
        bad = span_problem(text, start, end)
        if bad:
            problems.add(where, "E702", f"{label} span {rid}: {bad}")
            continue
        regions.append(Region(rid, label, start, end))
    return regions


def _legacy_links(regions: list[Region], where: str, problems: Collector) -> list[tuple[str, str, str]] | None:
    """Attribute cues to speakers without relations: same span, else the only speaker (None: ambiguous)."""
    speakers = [r for r in regions if r.label == SPEAKER]
    links = []
    for cue in (r for r in regions if r.label in CUE_LABELS):
        same = [s for s in speakers if (s.start, s.end) == (cue.start, cue.end)]
        if same:
            links.append((same[0].id, cue.id, STATES))
        elif len(speakers) == 1:
            links.append((speakers[0].id, cue.id, STATES))
        elif len(speakers) > 1:
            problems.add(
                where,
                "E707",
                f"{len(speakers)} SPEAKER spans and {cue.label} at {cue.start}-{cue.end}: no relation says whose",
            )
            return None
    return links


def _apply_meta(drafts: list[Draft], meta: Any, keep_confidence: bool) -> None:
    """Give drafts the actor, party and targets of the exported statement with the same spans and stance."""
    entries = [e for e in meta if isinstance(e, dict)] if isinstance(meta, list) else []
    used: set[int] = set()
    for d in drafts:
        key = ([d.speaker_start, d.speaker_end], list(d.cue) if d.cue else None, d.stance)
        for k, e in enumerate(entries):
            if k in used or (e.get("speaker"), e.get("cue"), e.get("stance")) != key:
                continue
            used.add(k)
            if isinstance(e.get("actor"), str):
                d.actor = e["actor"]
            if "party" in e and (e["party"] is None or isinstance(e["party"], str)):
                d.party, d.party_given = e["party"], True
            if isinstance(e.get("targets"), list) and e["targets"]:
                d.targets = [t if isinstance(t, str) else None for t in e["targets"]]
            if keep_confidence and isinstance(e.get("confidence"), (int, float)):
                d.confidence = float(e["confidence"])
            break


def _line_drafts(record: dict[str, Any], text: str, where: str, problems: Collector, predictions: bool) -> list[Draft]:
    if isinstance(record.get("entities"), list):
        spans = []
        for e in record["entities"]:
            if not isinstance(e, dict):
                problems.add(where, "E711", "an entity is not an object")
                continue
            spans.append((str(e.get("id")), e.get("label"), e.get("start_offset"), e.get("end_offset")))
        regions = _regions(text, spans, where, problems)
        links = []
        for r in record.get("relations") or []:
            if not isinstance(r, dict):
                problems.add(where, "E711", "a relation is not an object")
                continue
            links.append((str(r.get("from_id")), str(r.get("to_id")), r.get("type")))
    else:
        raw = record["label"]
        if not all(isinstance(x, list) and len(x) == 3 for x in raw):
            problems.add(where, "E711", "'label' is not a list of [start, end, label] (a classification project?)")
            return []
        spans = [(f"L{k}", x[2], x[0], x[1]) for k, x in enumerate(raw)]
        regions = _regions(text, spans, where, problems)
        found = _legacy_links(regions, where, problems)
        if found is None:
            return []
        links = found
    kept = len(problems.problems)
    rejected = frozenset({rid for rid, *_ in spans} - {r.id for r in regions})
    drafts = drafts_from_regions(text, regions, links, where, problems, rejected=rejected)
    if len(problems.problems) == kept:
        _apply_meta(drafts, record.get(META_KEY), predictions)
    return drafts


def read_doccano(path: str | Path, *, predictions: bool = False, registry: Any | None = None) -> ImportResult:
    """Read a doccano JSONL export (sequence labelling) as validated stancekit sentences.

    Args:
        path: the exported JSONL file.
        predictions: keep the ``confidence`` of pre-annotated statements that were left
            unchanged (to check an export); by default imported statements are gold, without one.
        registry: actor registry for attributes not in the metadata (default: the bundled one).

    Raises:
        DataError: every problem of the file, each located as ``FILE:LINE``.
    """
    path = Path(path)
    lines, read_problems = read_lines(path)
    if read_problems:
        p = read_problems[0]
        raise DataError(p.code, p.detail, where=f"{p.path}:{p.line}" if p.line else p.path)
    problems = Collector()
    items: list[tuple[Sentence, list[Draft], str]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(where, "E711", f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict) or not (
            isinstance(record.get("entities"), list) or isinstance(record.get("label"), list)
        ):
            problems.add(where, "E711", "a line needs 'text' and 'entities' (or the older 'label' list)")
            continue
        sentence = sentence_from(record, where, problems)
        if sentence is not None:
            items.append((sentence, _line_drafts(record, sentence.text, where, problems, predictions), where))
    return finish_import(str(path), items, problems, skipped=[], registry=registry)


def to_doccano(sentences: list[Sentence]) -> list[dict[str, Any]]:
    """doccano import lines (one dict per sentence) with the statements as labelled spans and relations.

    Entity and relation ids are unique across the file.
    """
    out = []
    next_id = {"entity": 0, "relation": 0}

    def new(kind: str) -> int:
        next_id[kind] += 1
        return next_id[kind]

    for s in sentences:
        group = group_statements(s)
        entities, relations, meta = [], [], []
        speaker_ids = []
        for start, end, _, _ in group.speakers:
            speaker_ids.append(new("entity"))
            entities.append({"id": speaker_ids[-1], "label": SPEAKER, "start_offset": start, "end_offset": end})
        for cue in group.cues:
            cid = new("entity")
            label = next(lb for lb, st in CUE_LABELS.items() if st == cue["stance"])
            entities.append({"id": cid, "label": label, "start_offset": cue["start"], "end_offset": cue["end"]})
            relation = STATES_UNCERTAIN if cue["uncertain"] else STATES
            relations.append(
                {"id": new("relation"), "from_id": speaker_ids[cue["speaker"]], "to_id": cid, "type": relation}
            )
            start, end, actor, party = group.speakers[cue["speaker"]]
            no_cue = (cue["start"], cue["end"]) == (start, end)
            entry: dict[str, Any] = {
                "speaker": [start, end],
                "cue": None if no_cue else [cue["start"], cue["end"]],
                "stance": cue["stance"],
                "actor": actor,
                "party": party,
                "targets": cue["targets"],
            }
            if cue["confidence"] is not None:
                entry["confidence"] = cue["confidence"]
            meta.append(entry)
        out.append(
            {
                "text": s.text,
                "doc_id": s.doc_id,
                "sent_index": s.sent_index,
                "entities": entities,
                "relations": relations,
                META_KEY: meta,
            }
        )
    return out


def write_doccano(path: str | Path, sentences: list[Sentence]) -> None:
    """Write :func:`to_doccano` lines to ``path`` atomically (JSONL to import in doccano)."""
    write_text_atomic(path, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in to_doccano(sentences)))
