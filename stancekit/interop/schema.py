"""The one labelling scheme shared by Label Studio and doccano, and its mapping to statements.

A task is one sentence (``text`` with ``doc_id`` and ``sent_index``). The annotator

1. marks the holder of a stance as a ``SPEAKER`` span,
2. marks the evidence as a ``CUE-demand``, ``CUE-concession`` or ``CUE-criticism`` span,
3. draws a relation from the speaker to the cue, labelled ``states`` (or ``states-uncertain``
   when a second careful annotator could label it differently: ``"uncertain": true``).

One statement is one speaker -> cue relation (times its targets). A speaker with two stances
has two cues; two speakers of one span (``both sides`` split per side) are two SPEAKER regions.
To label a stance whose cue word cannot be marked, label the speaker span itself also as
``CUE-<stance>``: a cue region on exactly its speaker's span means "no cue" (``cue: null``).

``actor``, ``party`` (SPEAKER regions) and ``target`` (CUE regions, one line per target) are
free-text attributes in Label Studio (per-region ``TextArea``); doccano has no region
attributes, so pre-annotations carry them in the task's ``stancekit`` metadata. Left empty,
they are resolved like model predictions (actor registry + document context); the text
``none`` is an explicit null party or target.

>>> [p.name for p in config_files()]
['labelstudio_config.xml', 'doccano_labels.json', 'doccano_relations.json']
>>> Draft("Li", 0, 2, "demand", (3, 8)).complete
False
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancekit.errors import CATALOGUE, DataError
from stancekit.records import STANCES, Sentence, Statement
from stancekit.validation import Problem, validate_lines

HERE = Path(__file__).resolve().parent
SPEAKER = "SPEAKER"
CUE_LABELS: dict[str, str] = {f"CUE-{s}": s for s in STANCES}
SPAN_LABELS: tuple[str, ...] = (SPEAKER, *CUE_LABELS)
STATES, STATES_UNCERTAIN = "states", "states-uncertain"
RELATION_LABELS: tuple[str, ...] = (STATES, STATES_UNCERTAIN)
#: the attribute text that stands for JSON null (party, target)
NONE_TEXT = "none"


def config_files() -> list[Path]:
    """The shipped tool configurations: Label Studio XML, doccano span and relation label sets."""
    return [HERE / "labelstudio_config.xml", HERE / "doccano_labels.json", HERE / "doccano_relations.json"]


def labelstudio_config() -> str:
    """The Label Studio labelling configuration (XML) to paste into a project's settings."""
    return (HERE / "labelstudio_config.xml").read_text(encoding="utf-8")


# offsets -------------------------------------------------------------------
def has_astral(text: str) -> bool:
    """True when ``text`` holds characters outside the BMP (emoji), where JS and Python offsets differ."""
    return any(ord(c) > 0xFFFF for c in text)


def to_utf16(text: str, index: int) -> int:
    """A Python (code point) offset as a JavaScript (UTF-16 code unit) offset.

    >>> to_utf16("a😀b", 2)
    3
    """
    return index + sum(1 for c in text[:index] if ord(c) > 0xFFFF)


def from_utf16(text: str, index: int) -> int | None:
    """A UTF-16 offset as a Python offset; None when it falls inside a surrogate pair or past the end.

    >>> from_utf16("a😀b", 3)
    2
    """
    units = 0
    for i, c in enumerate(text):
        if units == index:
            return i
        units += 2 if ord(c) > 0xFFFF else 1
        if units > index:
            return None
    return len(text) if units == index else None


# drafts --------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """A labelled span of a task: ``label`` is SPEAKER or CUE-<stance>; ``attrs`` the per-region texts."""

    id: str
    label: str
    start: int
    end: int
    attrs: dict[str, list[str]] = field(default_factory=dict, compare=False, hash=False)
    score: float | None = None


@dataclass
class Draft:
    """A statement before resolution: ``None`` actor/party/targets mean "resolve from the document"."""

    speaker: str
    speaker_start: int
    speaker_end: int
    stance: str
    cue: tuple[int, int] | None
    actor: str | None = None
    party: str | None = None
    party_given: bool = False
    targets: list[str | None] | None = None
    uncertain: bool = False
    confidence: float | None = None

    @property
    def complete(self) -> bool:
        """True when nothing needs resolving."""
        return self.actor is not None and self.party_given and self.targets is not None


def null_text(value: str) -> str | None:
    """Attribute text -> value; ``none`` (any case) or empty is JSON null."""
    value = value.strip()
    return None if value.lower() in (NONE_TEXT, "") else value


def text_of(value: str | None) -> str:
    """Value -> attribute text (``None`` -> ``none``)."""
    return NONE_TEXT if value is None else value


class Collector:
    """Problems of one import, each located by a human-readable ``where`` (file and task or line)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, code: str, detail: str) -> None:
        self.problems.append(Problem(where, None, code, detail))

    def raise_if_any(self) -> None:
        """Raise a :class:`DataError` with the first problem in the message and all in ``problems``."""
        if not self.problems:
            return
        first, more = self.problems[0], ""
        if len(self.problems) > 1:
            more = f" (and {len(self.problems) - 1} more problems, in err.problems)"
        raise DataError(first.code, first.detail + more, where=first.path, problems=list(self.problems))


def drafts_from_regions(
    text: str,
    regions: list[Region],
    links: list[tuple[str, str, str]],
    where: str,
    problems: Collector,
    *,
    rejected: frozenset[str] = frozenset(),
) -> list[Draft]:
    """Statements of one task from its regions and ``(from_id, to_id, relation label)`` links.

    Regions must already carry Python offsets that match ``text``; links to ``rejected`` regions
    (already reported) are skipped.
    """
    by_id = {r.id: r for r in regions}
    drafts: list[Draft] = []
    linked: set[str] = set()
    for from_id, to_id, label in links:
        if from_id in rejected or to_id in rejected:
            linked.update((from_id, to_id))  # the region's problem is already reported
            continue
        if label not in RELATION_LABELS:
            problems.add(where, "E703", f"relation label {label!r}; use {STATES} or {STATES_UNCERTAIN}")
            continue
        missing = [i for i in (from_id, to_id) if i not in by_id]
        if missing:
            problems.add(where, "E704", f"relation {from_id} -> {to_id}: no region with id {missing[0]}")
            continue
        a, b = by_id[from_id], by_id[to_id]
        if a.label in CUE_LABELS and b.label == SPEAKER:  # drawn backwards: the meaning is unambiguous
            a, b = b, a
        if a.label != SPEAKER or b.label not in CUE_LABELS:
            problems.add(where, "E705", f"relation {from_id} -> {to_id} links {a.label} to {b.label}")
            continue
        linked.update((a.id, b.id))
        drafts.append(_draft(text, a, b, uncertain=label == STATES_UNCERTAIN, where=where, problems=problems))
    for r in regions:
        if r.id in linked:
            continue
        span = f"{r.label} {text[r.start : r.end]!r} at {r.start}-{r.end}"
        problems.add(where, "E706" if r.label in CUE_LABELS else "E708", f"{span} is in no relation")
    return drafts


def _one(region: Region, key: str, where: str, problems: Collector) -> str | None:
    values = [v for v in region.attrs.get(key, []) if v.strip()]
    if len(values) > 1:
        problems.add(where, "E709", f"{region.label} region {region.id} has {len(values)} {key} lines: {values}")
    return values[0] if values else None


def _draft(text: str, speaker: Region, cue: Region, *, uncertain: bool, where: str, problems: Collector) -> Draft:
    for region, allowed in ((speaker, {"actor", "party"}), (cue, {"target"})):
        for key in sorted(set(region.attrs) - allowed):
            if region.attrs[key] and any(v.strip() for v in region.attrs[key]):
                problems.add(where, "E709", f"{key!r} given on the {region.label} region {region.id}")
    actor = _one(speaker, "actor", where, problems)
    party = _one(speaker, "party", where, problems)
    target_lines = [v for v in cue.attrs.get("target", []) if v.strip()]
    same_span = (cue.start, cue.end) == (speaker.start, speaker.end)
    return Draft(
        speaker=text[speaker.start : speaker.end],
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        stance=CUE_LABELS[cue.label],
        cue=None if same_span else (cue.start, cue.end),
        actor=null_text(actor) if actor is not None else None,
        party=null_text(party) if party is not None else None,
        party_given=party is not None,
        targets=[null_text(t) for t in target_lines] or None,
        uncertain=uncertain,
        confidence=cue.score,
    )


# resolution ----------------------------------------------------------------
def resolve_drafts(items: list[tuple[Sentence, list[Draft]]], registry: Any | None = None) -> list[Sentence]:
    """Fill in missing actors, parties and targets document by document (like the model does).

    Complete drafts are kept as given (and remembered, so later pronouns resolve to them).

    >>> s = Sentence("d", 0, "Li urged Brussels to act.")
    >>> [st.target for st in resolve_drafts([(s, [Draft("Li", 0, 2, "demand", (3, 8), actor="Li Qiang",
    ...                                       party="China", party_given=True)])])[0].statements]
    ['EU']
    """
    from stancekit.resolution import resolve_readouts

    if registry is None and any(not d.complete for _, drafts in items for d in drafts):
        from stancekit.registry import ActorRegistry

        registry = ActorRegistry.default()
    drafts_of = {id(s): d for s, d in items}
    sentences = [s for s, _ in items]

    def statements(resolver: Any, i: int, sent: Sentence) -> list[Statement]:
        out: list[Statement] = []
        for d in drafts_of[id(sent)]:
            cue_end = d.cue[1] if d.cue else d.speaker_end
            if d.actor is None and not d.party_given and d.targets is None:
                triples = resolver.resolve_statements(i, d.speaker_start, d.speaker_end, d.stance, cue_end=cue_end)
            else:
                actor, party = d.actor, d.party
                if actor is None or not d.party_given:
                    found_actor, found_party = resolver.resolve_speaker(i, d.speaker_start, d.speaker_end)
                    actor = found_actor if actor is None else actor
                    party = party if d.party_given else found_party
                elif resolver is not None:
                    person = party is None or actor != resolver.registry.party_actor(party)
                    resolver.record_speaker(i, actor, party, person)
                targets = d.targets
                if targets is None:
                    span = (d.speaker_start, d.speaker_end)
                    targets = resolver.resolve_target(i, d.stance, party, cue_end=cue_end, speaker=span)
                triples = [(actor, party, t) for t in targets]
            for actor, party, target in triples:
                st = Statement(
                    speaker=d.speaker,
                    speaker_start=d.speaker_start,
                    speaker_end=d.speaker_end,
                    actor=actor,
                    party=party,
                    stance=d.stance,
                    target=target,
                    uncertain=d.uncertain,
                    confidence=d.confidence,
                    cue=sent.text[d.cue[0] : d.cue[1]] if d.cue else None,
                    cue_start=d.cue[0] if d.cue else None,
                    cue_end=d.cue[1] if d.cue else None,
                )
                if st not in out:
                    out.append(st)
        return out

    if registry is None:  # everything given: no registry needed
        results = [statements(None, 0, s) for s in sentences]
    else:
        results = resolve_readouts(sentences, registry, statements)
    return [
        Sentence(s.doc_id, s.sent_index, s.text, stmts, s.start, s.end, s.tags)
        for s, stmts in zip(sentences, results, strict=True)
    ]


def check_sentences(sentences: list[Sentence], wheres: list[str], problems: Collector) -> None:
    """Validate converted sentences with :mod:`stancekit.validation`; each problem located at its task.

    Duplicates get E714, any other failed check E710 with the check's own code and message.
    """
    lines = [json.dumps(s.to_dict(), ensure_ascii=False) for s in sentences]
    _, found = validate_lines(lines, "<converted>")
    for p in found:
        where = wheres[p.line - 1] if p.line else "(file)"
        if p.code not in ("E104", "E107"):  # duplicates are found before resolution, empty files never reach here
            problems.add(where, "E710", f"[{p.code}] {CATALOGUE[p.code][0]}: {p.detail}")


# export --------------------------------------------------------------------
@dataclass
class RegionGroup:
    """Regions for export: speaker regions with actor/party, cue regions with targets, and links."""

    speakers: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    cues: list[dict[str, Any]] = field(default_factory=list)


def group_statements(sentence: Sentence) -> RegionGroup:
    """Group a sentence's statements into speaker regions and cue regions (one per stance act).

    Statements sharing speaker span, actor and party share a SPEAKER region; those that also
    share stance, cue, uncertainty and confidence share a CUE region holding their targets.

    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", cue="urged", cue_start=3, cue_end=8)
    >>> g = group_statements(Sentence("d", 0, "Li urged Brussels and Kyiv.", [st, st.__class__(**{**st.__dict__,
    ...     "target": "Ukraine"})]))
    >>> g.speakers, [c["targets"] for c in g.cues]
    ([(0, 2, 'Li Qiang', 'China')], [['EU', 'Ukraine']])
    """
    group = RegionGroup()
    cue_index: dict[tuple, dict[str, Any]] = {}
    for st in sentence.statements:
        spk = (st.speaker_start, st.speaker_end, st.actor, st.party)
        if spk not in group.speakers:
            group.speakers.append(spk)
        span = (st.cue_start, st.cue_end) if st.cue_start is not None else (st.speaker_start, st.speaker_end)
        key = (group.speakers.index(spk), st.stance, span, st.uncertain, st.confidence)
        if key not in cue_index:
            cue_index[key] = {
                "speaker": key[0],
                "stance": st.stance,
                "start": span[0],
                "end": span[1],
                "uncertain": st.uncertain,
                "confidence": st.confidence,
                "targets": [],
            }
            group.cues.append(cue_index[key])
        cue_index[key]["targets"].append(st.target)
    return group


@dataclass
class ImportResult:
    """Sentences imported from an annotation tool, and the tasks left out (not annotated)."""

    sentences: list[Sentence]
    skipped: list[str] = field(default_factory=list)


def finish_import(
    path: str,
    items: list[tuple[Sentence, list[Draft], str]],
    problems: Collector,
    *,
    skipped: list[str],
    registry: Any | None = None,
) -> ImportResult:
    """Resolve, validate and return the sentences of an import, or raise every problem found.

    Raises:
        DataError: the first problem in the message, all of them in ``err.problems``; E712 when
            no task was annotated.
    """
    seen: dict[tuple[str, int], str] = {}
    for sentence, _, where in items:
        if sentence.key in seen:
            problems.add(where, "E714", f"{sentence.key} is also in {seen[sentence.key]}")
        short = where.removeprefix(f"{path}: ").removeprefix(f"{path}:")
        seen.setdefault(sentence.key, f"line {short}" if short.isdigit() else short)
    problems.raise_if_any()
    if not items:
        raise DataError("E712", f"{len(skipped)} task(s), none annotated", where=path)
    sentences = resolve_drafts([(s, d) for s, d, _ in items], registry)
    check_sentences(sentences, [w for _, _, w in items], problems)
    problems.raise_if_any()
    return ImportResult(sentences, skipped)


def sentence_from(fields: dict[str, Any], where: str, problems: Collector) -> Sentence | None:
    """The sentence identity of a task (``text``, ``doc_id``, ``sent_index``), or None after a problem.

    ``sent_index`` may be a digit string (tasks imported from CSV hold strings).

    >>> sentence_from({"text": "Hi.", "doc_id": "d", "sent_index": "2"}, "f", Collector()).sent_index
    2
    """
    text, doc_id, index = fields.get("text"), fields.get("doc_id"), fields.get("sent_index")
    if isinstance(index, str) and index.strip().isdigit():
        index = int(index)
    lacking = [
        name
        for name, ok in (
            ("text", isinstance(text, str)),
            ("doc_id", isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool) and str(doc_id) != ""),
            ("sent_index", isinstance(index, int) and not isinstance(index, bool) and index >= 0),
        )
        if not ok
    ]
    if lacking:
        got = ", ".join(f"{k}={fields.get(k)!r}" for k in lacking)
        problems.add(where, "E701", f"bad or missing {got}")
        return None
    return Sentence(str(doc_id), index, text)


def span_problem(text: str, start: Any, end: Any) -> str | None:
    """Why ``[start, end)`` is not a span of ``text`` (None when it is)."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return f"offsets {start!r}-{end!r} are not integers"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}-{end} are outside the text (length {len(text)})"
    return None
