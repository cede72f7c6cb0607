"""Readouts from the files users pass to ``analyze`` and ``compare``, streamed.

A raw text file is one readout. A JSONL file holds sentences (``doc_id``, ``sent_index``,
``text``; other fields are ignored); lines with the same ``doc_id`` are one readout in
``sent_index`` order, wherever they are in the file. Every file is checked completely
before the first readout is produced, so a bad line fails the run before any output is
written. Then readouts are read back one at a time: a readout is built as soon as its last
line has been read, so memory holds only unfinished readouts, not the file.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.jsonl"
>>> _ = path.write_text('{"doc_id": "a", "sent_index": 1, "text": "Li agreed."}\\n'
...                     '{"doc_id": "b", "sent_index": 0, "text": "Yes."}\\n'
...                     '{"doc_id": "a", "sent_index": 0, "text": "Costa urged."}\\n', encoding="utf-8")
>>> [(r.doc_id, [s.text for s in r.sentences]) for r in iter_readouts([path])]
[('b', ['Yes.']), ('a', ['Costa urged.', 'Li agreed.'])]
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from stancekit.errors import DataError, StancekitError
from stancekit.records import Readout, Sentence
from stancekit.splitting import encodable


def _parse(line: str, path: Path, n: int) -> Sentence:
    try:
        rec = json.loads(line)
        return Sentence(str(rec["doc_id"]), int(rec["sent_index"]), str(rec["text"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError.at("E101", str(path), n, detail=f"need doc_id, sent_index, text ({exc})") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines, numbered; split on "\\n" only (JSON strings may hold U+2028 and U+0085)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    yield n, line
    except (OSError, UnicodeDecodeError) as exc:
        raise StancekitError("E501", f"{path}: {exc}") from exc


def check_jsonl(path: Path) -> Counter:
    """Check every line of a sentence file; return the number of sentences per ``doc_id``.

    Raises:
        StancekitError: unreadable file (E501); a line without doc_id, sent_index and text
            (E101), invalid Unicode (E112) or a repeated (doc_id, sent_index) (E104), with file:line.
    """
    seen: dict[tuple[str, int], int] = {}
    counts: Counter = Counter()
    for n, line in _lines(path):
        sentence = _parse(line, path, n)
        if encodable(sentence.text) != sentence.text:
            raise DataError.at("E112", str(path), n, detail="the text holds a lone surrogate escape")
        if sentence.key in seen:
            raise DataError.at("E104", str(path), n, detail=f"{sentence.key} already on line {seen[sentence.key]}")
        seen[sentence.key] = n
        counts[sentence.doc_id] += 1
    return counts


def _jsonl_readouts(path: Path, counts: Counter) -> Iterator[Readout]:
    pending: dict[str, list[Sentence]] = {}
    for n, line in _lines(path):
        sentence = _parse(line, path, n)
        sents = pending.setdefault(sentence.doc_id, [])
        sents.append(sentence)
        if len(sents) == counts[sentence.doc_id]:
            del pending[sentence.doc_id]
            yield Readout(sentence.doc_id, sorted(sents, key=lambda s: s.sent_index))


def iter_readouts(paths: list[Path]) -> Iterator[Readout]:
    """Readouts of raw text files and JSONL sentence files, checking every file first."""
    from stancekit.splitting import split_readout

    plans = []
    for path in paths:
        if path.suffix == ".jsonl":
            plans.append((path, check_jsonl(path)))
        else:
            try:
                path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise StancekitError("E501", f"{path}: {exc}") from exc
            plans.append((path, None))
    for path, counts in plans:
        if counts is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise StancekitError("E501", f"{path}: {exc}") from exc
            yield split_readout(text, path.stem)
        else:
            yield from _jsonl_readouts(path, counts)
