"""Label Studio: import its JSON export as stancekit records, export predictions as pre-annotations.

Set up a project with the labelling configuration in ``labelstudio_config.xml`` (see
:mod:`stancekit.interop.schema` for the scheme), import the tasks written by
:func:`write_labelstudio` (each sentence with the model's statements as ``predictions``, so
annotators correct instead of typing), then export the project as JSON and read it back with
:func:`read_labelstudio`.

Which annotation of a task is used: the one marked ground truth, else the most recently
updated one that was not skipped (``was_cancelled``). Tasks without such an annotation are left
out and listed in :attr:`ImportResult.skipped`. An annotation with no regions is a background
sentence. Label Studio counts offsets in UTF-16 code units (emoji count twice); stancekit
converts both ways.

Examples:
    >>> from stancekit.records import Sentence, Statement
    >>> st = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9,
    ...                cue="urged", cue_start=3, cue_end=8)
    >>> tasks = to_labelstudio([Sentence("d", 0, "Li urged Brussels to act.", [st])], model_version="m1")
    >>> [r["value"].get("labels") for r in tasks[0]["predictions"][0]["result"] if r["type"] == "labels"]
    [['SPEAKER'], ['CUE-demand']]
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tasks.json"
    >>> _ = p.write_text(json.dumps(tasks))
    >>> read_labelstudio(p, predictions=True).sentences[0].statements == [st]
    True
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
    from_utf16,
    group_statements,
    has_astral,
    sentence_from,
    span_problem,
    text_of,
    to_utf16,
)
from stancekit.records import Sentence

#: ``name`` of the controls in labelstudio_config.xml
LABELS_NAME, TEXT_NAME = "label", "text"
ATTRIBUTES = ("actor", "party", "target")

__all__ = ["read_labelstudio", "to_labelstudio", "write_labelstudio"]


def _load(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError("E108", str(path), where=str(path)) from None
    except IsADirectoryError:
        raise DataError("E108", f"{path} is a folder, not a file", where=str(path)) from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError("E106", f"byte {raw[exc.start]:#x} at offset {exc.start}", where=str(path)) from None
    except json.JSONDecodeError as exc:
        raise DataError("E700", f"{exc.msg} (column {exc.colno})", where=f"{path}:{exc.lineno}") from None


def _chosen_result(task: dict[str, Any], predictions: bool) -> list | None:
    """The result list to import: latest prediction, or the ground-truth / latest submitted annotation."""
    if predictions:
        preds = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
        return preds[-1].get("result") or [] if preds else None
    done = [
        (k, a)
        for k, a in enumerate(task.get("annotations") or [])
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not done:
        return None

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[bool, str, int]:
        k, a = item
        return bool(a.get("ground_truth")), str(a.get("updated_at") or a.get("created_at") or ""), k

    _, best = max(done, key=rank)
    return best.get("result") or []


def _offsets(text: str, value: dict[str, Any]) -> tuple[int, int] | str:
    """Python offsets of a region value, converting from UTF-16 when the text has emoji; or a problem."""
    start, end = value.get("start"), value.get("end")
    bad = span_problem(text, start, end)
    shown = value.get("text")
    if bad is None and (not isinstance(shown, str) or text[start:end] == shown):
        return start, end
    if has_astral(text) and isinstance(start, int) and isinstance(end, int):
        a, b = from_utf16(text, start), from_utf16(text, end)
        if a is not None and b is not None and a < b and (not isinstance(shown, str) or text[a:b] == shown):
            return a, b
    if bad is not None:
        return bad
    return f"offsets {start}-{end} select {text[start:end]!r}, the region says {shown!r}"


def _task_drafts(text: str, result: list, where: str, problems: Collector, predictions: bool) -> list[Draft]:
    spans: dict[str, dict[str, Any]] = {}
    attrs: dict[str, dict[str, list[str]]] = {}
    links: list[tuple[str, str, str]] = []
    rejected_ids: list[str] = []
    for item in result:
        if not isinstance(item, dict):
            problems.add(where, "E700", f"a result item is {type(item).__name__}, not an object")
            continue
        kind, value = item.get("type"), item.get("value") or {}
        if kind == "relation":
            labels = item.get("labels") or [STATES]  # an unlabelled relation means states
            unknown = [lb for lb in labels if lb not in (STATES, STATES_UNCERTAIN)]
            label = unknown[0] if unknown else STATES_UNCERTAIN if STATES_UNCERTAIN in labels else STATES
            links.append((str(item.get("from_id")), str(item.get("to_id")), label))
        elif kind == "labels":
            labels = value.get("labels") or []
            if len(labels) != 1 or labels[0] not in SPAN_LABELS:
                hint = did_you_mean(str(labels[0]), SPAN_LABELS) if len(labels) == 1 else ""
                detail = f"region {item.get('id')} has labels {labels}{hint}; give it exactly one of {SPAN_LABELS}"
                problems.add(where, "E703", detail)
                rejected_ids.append(str(item.get("id")))
                continue
            spans[str(item.get("id"))] = {"label": labels[0], "value": value, "score": item.get("score")}
        elif kind == "textarea" and item.get("from_name") in ATTRIBUTES:
            texts = value.get("text") or []
            texts = [texts] if isinstance(texts, str) else texts
            attrs.setdefault(str(item.get("id")), {})[item["from_name"]] = [str(t) for t in texts]
    regions: list[Region] = []
    rejected = set(rejected_ids)
    for rid, span in spans.items():
        found = _offsets(text, span["value"])
        if isinstance(found, str):
            problems.add(where, "E702", f"{span['label']} region {rid}: {found}")
            rejected.add(rid)
            continue
        score = span["score"] if predictions and isinstance(span["score"], (int, float)) else None
        regions.append(Region(rid, span["label"], *found, attrs=attrs.get(rid, {}), score=score))
    for rid in attrs.keys() - spans.keys():
        problems.add(where, "E709", f"attributes {sorted(attrs[rid])} belong to no labelled region (id {rid})")
    return drafts_from_regions(text, regions, links, where, problems, rejected=frozenset(rejected))


def read_labelstudio(path: str | Path, *, predictions: bool = False, registry: Any | None = None) -> ImportResult:
    """Read a Label Studio JSON export as validated stancekit sentences.

    Args:
        path: the exported JSON file (a list of tasks).
        predictions: read each task's latest prediction instead of its annotations (to check
            pre-annotations); only then do statements keep a ``confidence`` (the region ``score``).
        registry: actor registry for attributes left empty (default: the bundled one).

    Raises:
        DataError: every problem of the file, each located as ``FILE: task N (id ID)``.
    """
    path = Path(path)
    tasks = _load(path)
    if not isinstance(tasks, list):
        raise DataError("E700", f"the file holds a {type(tasks).__name__}, not a list of tasks", where=str(path))
    problems = Collector()
    items: list[tuple[Sentence, list[Draft], str]] = []
    skipped: list[str] = []
    for k, task in enumerate(tasks, 1):
        where = f"{path}: task {k}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.add(where, "E700", "a task must be an object with a 'data' object")
            continue
        if task.get("id") is not None:
            where += f" (id {task['id']})"
        fields = {**(task.get("meta") if isinstance(task.get("meta"), dict) else {}), **task["data"]}
        sentence = sentence_from(fields, where, problems)
        result = _chosen_result(task, predictions)
        if sentence is None:
            continue
        if result is None:
            skipped.append(where)
            continue
        if not isinstance(result, list):
            problems.add(where, "E700", "'result' must be a list")
            continue
        items.append((sentence, _task_drafts(sentence.text, result, where, problems, predictions), where))
    return finish_import(str(path), items, problems, skipped=skipped, registry=registry)


def _region(rid: str, text: str, start: int, end: int, label: str, score: float | None) -> list[dict[str, Any]]:
    js = (to_utf16(text, start), to_utf16(text, end)) if has_astral(text) else (start, end)
    item: dict[str, Any] = {
        "id": rid,
        "from_name": LABELS_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": js[0], "end": js[1], "text": text[start:end], "labels": [label]},
    }
    if score is not None:
        item["score"] = score
    return [item]


def _textarea(rid: str, name: str, text: str, start: int, end: int, lines: list[str]) -> dict[str, Any]:
    js = (to_utf16(text, start), to_utf16(text, end)) if has_astral(text) else (start, end)
    return {
        "id": rid,
        "from_name": name,
        "to_name": TEXT_NAME,
        "type": "textarea",
        "value": {"start": js[0], "end": js[1], "text": lines},
    }


def result_of(sentence: Sentence) -> list[dict[str, Any]]:
    """The Label Studio ``result`` list (regions, attributes, relations) of a sentence's statements."""
    group = group_statements(sentence)
    text, out = sentence.text, []
    for n, (start, end, actor, party) in enumerate(group.speakers, 1):
        out += _region(f"spk{n}", text, start, end, SPEAKER, None)
        out.append(_textarea(f"spk{n}", "actor", text, start, end, [actor]))
        out.append(_textarea(f"spk{n}", "party", text, start, end, [text_of(party)]))
    for n, cue in enumerate(group.cues, 1):
        rid = f"cue{n}"
        label = next(lb for lb, s in CUE_LABELS.items() if s == cue["stance"])
        out += _region(rid, text, cue["start"], cue["end"], label, cue["confidence"])
        out.append(_textarea(rid, "target", text, cue["start"], cue["end"], [text_of(t) for t in cue["targets"]]))
        relation = STATES_UNCERTAIN if cue["uncertain"] else STATES
        out.append(
            {
                "from_id": f"spk{cue['speaker'] + 1}",
                "to_id": rid,
                "type": "relation",
                "direction": "right",
                "labels": [relation],
            }
        )
    return out


def to_labelstudio(
    sentences: list[Sentence], *, model_version: str = "stancekit", as_annotations: bool = False
) -> list[dict[str, Any]]:
    """Label Studio tasks, one per sentence, with the statements as pre-annotations.

    Args:
        sentences: stancekit sentences (model predictions, or gold data to review).
        model_version: shown in Label Studio next to each prediction.
        as_annotations: write the statements as submitted ``annotations`` (gold data to review)
            instead of ``predictions``.

    The prediction ``score`` is the lowest statement confidence of the sentence (Label Studio
    sorts tasks by it, so the least certain come first); background sentences get none.
    """
    tasks = []
    for s in sentences:
        task: dict[str, Any] = {"data": {"text": s.text, "doc_id": s.doc_id, "sent_index": s.sent_index}}
        result = result_of(s)
        if as_annotations:
            task["annotations"] = [{"result": result}]
        else:
            prediction: dict[str, Any] = {"model_version": model_version, "result": result}
            scores = [st.confidence for st in s.statements if st.confidence is not None]
            if scores:
                prediction["score"] = min(scores)
            task["predictions"] = [prediction]
        tasks.append(task)
    return tasks


def write_labelstudio(
    path: str | Path, sentences: list[Sentence], *, model_version: str = "stancekit", as_annotations: bool = False
) -> None:
    """Write :func:`to_labelstudio` tasks to ``path`` atomically (a JSON list to import in Label Studio)."""
    tasks = to_labelstudio(sentences, model_version=model_version, as_annotations=as_annotations)
    write_text_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
