"""Read and write sentence records as JSON Lines, and convert them to ``datasets``.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "s.jsonl"
>>> write_sentences(p, [Sentence("d", 0, "Li urged calm.")])
>>> [s.text for s in read_sentences(p)]
['Li urged calm.']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from stancekit.atomic import write_text_atomic
from stancekit.errors import DataError
from stancekit.records import Sentence
from stancekit.validation import read_lines, validate_lines

if TYPE_CHECKING:
    import datasets


def read_sentences(path: str | Path) -> list[Sentence]:
    """Read a validated JSONL file of sentences.

    Raises:
        DataError: listing every problem of the file (``err.problems``), the
            first one in the message.
    """
    lines, problems = read_lines(path)
    records: list[dict] = []
    if not problems:
        records, problems = validate_lines(lines, str(path))
    if problems:
        first = problems[0]
        more = ""
        if len(problems) > 1:
            more = f" (and {len(problems) - 1} more problems; run `stancekit validate {path}`)"
        err = DataError(
            first.code, first.detail + more, where=f"{first.path}:{first.line}" if first.line else first.path
        )
        err.problems = problems
        raise err
    return [Sentence.from_dict(r) for r in records]


def dumps_sentence(sentence: Sentence) -> str:
    """One JSONL line (no newline) for a sentence, keeping non-ASCII as is."""
    return json.dumps(sentence.to_dict(), ensure_ascii=False)


def write_sentences(path: str | Path, sentences: Iterable[Sentence]) -> None:
    """Write sentences to ``path`` atomically, one JSON record per line."""
    write_text_atomic(path, "".join(dumps_sentence(s) + "\n" for s in sentences))


def to_dataset(sentences: list[Sentence]) -> datasets.Dataset:
    """Convert sentences to an in-memory :class:`datasets.Dataset` (no disk cache).

    Statements become a list of dicts with the ANNOTATION.md fields.
    """
    import datasets

    rows = {
        "doc_id": [s.doc_id for s in sentences],
        "sent_index": [s.sent_index for s in sentences],
        "text": [s.text for s in sentences],
        "statements": [
            [
                {
                    "speaker": st.speaker,
                    "speaker_start": st.speaker_start,
                    "speaker_end": st.speaker_end,
                    "actor": st.actor,
                    "party": st.party,
                    "stance": st.stance,
                    "target": st.target,
                    "uncertain": st.uncertain,
                }
                for st in s.statements
            ]
            for s in sentences
        ],
    }
    return datasets.Dataset.from_dict(rows)
