"""Validate sentence records and JSONL files, reporting every problem at once.

>>> stmt = {"speaker": "Hi", "speaker_start": 0, "speaker_end": 2, "party": None, "stance": "demnd",
...         "target": None}
>>> problems = validate_record({"doc_id": "d", "sent_index": 0, "text": "Hi.", "statements": [stmt]}, "f.jsonl", 1)
>>> [p.code for p in problems]
['E101', 'E102']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancekit.errors import CATALOGUE, did_you_mean
from stancekit.records import STANCES

STATEMENT_FIELDS: dict[str, tuple[type, ...]] = {
    "speaker": (str,),
    "speaker_start": (int,),
    "speaker_end": (int,),
    "actor": (str,),
    "party": (str, type(None)),
    "stance": (str,),
    "target": (str, type(None)),
}
OPTIONAL_STATEMENT_FIELDS: dict[str, tuple[type, ...]] = {
    "uncertain": (bool,),
    "confidence": (float, int),
    "cue": (str,),
    "cue_start": (int,),
    "cue_end": (int,),
}
CUE_FIELDS = ("cue", "cue_start", "cue_end")
#: a JSON ``"\\ud800"`` escape without its pair decodes to a lone surrogate, which no tokenizer accepts
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, located by file and line."""

    path: str
    line: int | None
    code: str
    detail: str

    def __str__(self) -> str:
        what, fix = CATALOGUE[self.code]
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: [{self.code}] {what}: {self.detail}. Fix: {fix}."


def _type_ok(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def validate_record(record: Any, path: str, line: int) -> list[Problem]:
    """Return the problems of one decoded JSONL record (empty when valid)."""
    problems: list[Problem] = []

    def add(code: str, detail: str) -> None:
        problems.append(Problem(path, line, code, detail))

    if not isinstance(record, dict):
        add("E110", f"got {type(record).__name__}")
        return problems
    for key, types in (("doc_id", (str,)), ("sent_index", (int,)), ("text", (str,)), ("statements", (list,))):
        if key not in record:
            add("E101", f"sentence lacks {key!r}")
        elif not _type_ok(record[key], types):
            add("E105", f"{key!r} must be {types[0].__name__}, got {type(record[key]).__name__}")
    if problems:
        return problems
    if record["sent_index"] < 0:
        add("E105", "'sent_index' must be >= 0")
    text = record["text"]
    for j, st in enumerate(record["statements"]):
        label = f"statement {j}"
        if not isinstance(st, dict):
            add("E105", f"{label} must be an object")
            continue
        missing = [k for k in STATEMENT_FIELDS if k not in st]
        for key in missing:
            add("E101", f"{label} lacks {key!r}")
        for key, types in {**STATEMENT_FIELDS, **OPTIONAL_STATEMENT_FIELDS}.items():
            if key in st and not _type_ok(st[key], types):
                add("E105", f"{label} {key!r} must be {types[0].__name__}, got {type(st[key]).__name__}")
        if isinstance(st.get("stance"), str) and st["stance"] not in STANCES:
            add("E102", f"{label} stance {st['stance']!r}{did_you_mean(st['stance'], STANCES)}")
        if missing or any(
            not _type_ok(st.get(k), STATEMENT_FIELDS[k]) for k in ("speaker", "speaker_start", "speaker_end")
        ):
            continue
        s0, s1 = st["speaker_start"], st["speaker_end"]
        if not (0 <= s0 < s1 <= len(text)) or text[s0:s1] != st["speaker"]:
            found = text[s0:s1] if 0 <= s0 <= s1 <= len(text) else "out of range"
            hint = text.find(st["speaker"])
            where = f"; {st['speaker']!r} occurs at {hint}-{hint + len(st['speaker'])}" if hint >= 0 else ""
            add("E103", f"{label} speaker {st['speaker']!r} but text[{s0}:{s1}] is {found!r}{where}")
        given = [k for k in CUE_FIELDS if k in st]
        if given and len(given) < len(CUE_FIELDS):
            lacking = ", ".join(repr(k) for k in CUE_FIELDS if k not in st)
            add("E101", f"{label} has {', '.join(repr(k) for k in given)} but lacks {lacking} (give all three or none)")
        elif given and all(_type_ok(st[k], OPTIONAL_STATEMENT_FIELDS[k]) for k in CUE_FIELDS):
            c0, c1 = st["cue_start"], st["cue_end"]
            if not (0 <= c0 < c1 <= len(text)) or text[c0:c1] != st["cue"]:
                found = repr(text[c0:c1]) if 0 <= c0 <= c1 <= len(text) else "out of range"
                add("E109", f"{label} cue {st['cue']!r} but text[{c0}:{c1}] is {found}")
    return problems


def _loads(line: str) -> tuple[Any, list[str]]:
    """Decode one JSON line; also return the keys that occur twice in one object (json keeps the last)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj and key not in repeated:
                repeated.append(key)
            obj[key] = value
        return obj

    return json.loads(line, object_pairs_hook=pairs), repeated


def validate_lines(lines: list[str], path: str) -> tuple[list[dict], list[Problem]]:
    """Decode and validate JSONL lines; return the valid records and all problems."""
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record, repeated = _loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, n, "E100", f"{exc.msg} (column {exc.colno})"))
            continue
        found = [Problem(path, n, "E111", f"key {key!r} occurs twice in one object") for key in repeated]
        lone = _SURROGATE.search(json.dumps(record, ensure_ascii=False))
        if lone:
            detail = f"lone surrogate \\u{ord(lone.group()):04x} (a \\ud800-\\udfff escape without its pair)"
            found.append(Problem(path, n, "E112", detail))
        found += validate_record(record, path, n)
        problems += found
        if found:
            continue
        key = (record["doc_id"], record["sent_index"])
        if key in seen:
            problems.append(Problem(path, n, "E104", f"{key} already on line {seen[key]}"))
            continue
        seen[key] = n
        record["_line"] = n
        records.append(record)
    if not records and not problems:
        problems.append(Problem(path, None, "E107", "no records"))
    return records, problems


def read_lines(path: str | Path) -> tuple[list[str], list[Problem]]:
    """Read a UTF-8 text file as lines; a problem instead when it is not readable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [Problem(str(path), None, "E108", str(path))]
    except IsADirectoryError:
        return [], [Problem(str(path), None, "E108", f"{path} is a folder, not a file")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(str(path), line, "E106", f"byte {raw[exc.start]:#x} at offset {exc.start}")]
    # JSON Lines are separated by "\n" only: str.splitlines() would also break a line at U+2028,
    # U+2029 and U+0085, which JSON strings may hold unescaped (json.dumps(ensure_ascii=False) writes them)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines, []


def validate_file(path: str | Path) -> list[Problem]:
    """Return every problem of a JSONL sentence file (empty list when valid).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> _ = p.write_text('{"doc_id": "d", "sent_index": 0, "text": "Hi.", "statements": []}\\n')
    >>> validate_file(p)
    []
    """
    lines, problems = read_lines(path)
    if problems:
        return problems
    return validate_lines(lines, str(path))[1]
