"""Split raw readout text into sentences with character offsets into the text.

Line breaks are hard boundaries (paragraphs, headlines without a full stop);
inside a line, Wikimedia's ``sentencex`` finds sentence ends (it knows
abbreviations such as "U.S." and closing quotes).

>>> text = "The U.S. urged calm. “We are ready,” Li said.\\nA headline without a stop"
>>> [text[a:b] for a, b in split_offsets(text)]
['The U.S. urged calm.', '“We are ready,” Li said.', 'A headline without a stop']
"""

from __future__ import annotations

import re

from stancekit.records import Readout, Sentence

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")


def split_offsets(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each sentence; ``text[start:end]`` is stripped."""
    from sentencex import segment

    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        chunk, base, pos = line.group(), line.start(), 0
        if not chunk.strip():
            continue
        for piece in segment("en", chunk):
            piece = piece.strip()
            if not piece:
                continue
            found = chunk.find(piece, pos)
            if found < 0:  # the splitter changed the text: fall back to the whole rest
                found, piece = pos, chunk[pos:].strip()
            spans.append((base + found, base + found + len(piece)))
            pos = found + len(piece)
        rest = chunk[pos:].strip()
        if rest:
            at = chunk.find(rest, pos)
            spans.append((base + at, base + at + len(rest)))
    return spans


def split_readout(text: str, doc_id: str = "doc", *, date: str | None = None) -> Readout:
    """Split ``text`` into a :class:`Readout` whose sentences carry their offsets.

    >>> r = split_readout("Li urged calm. Costa agreed.", "d1")
    >>> [(s.sent_index, s.text, s.start) for s in r.sentences]
    [(0, 'Li urged calm.', 0), (1, 'Costa agreed.', 15)]
    """
    sentences = [
        Sentence(doc_id=doc_id, sent_index=i, text=text[a:b], start=a, end=b)
        for i, (a, b) in enumerate(split_offsets(text))
    ]
    return Readout(doc_id=doc_id, sentences=sentences, text=text, date=date)
