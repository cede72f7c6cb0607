"""Word-shape ids per token: the capitalisation an uncased encoder cannot see.

The bundled all-MiniLM-L6-v2 lower-cases its input, so "Li", "li" and "LI" are one
token to it, and names, offices and institutions lose their strongest surface cue.
Each token gets the shape of the word it belongs to; the network adds a learned
embedding of it to the token embeddings (see :func:`stancekit.modeling.build_network`).

>>> text = "Costa told Li that the EU was concerned by 2025 rules."
>>> offsets = [(0, 0), (0, 5), (6, 10), (11, 13), (14, 18), (23, 25), (43, 47), (0, 0)]
>>> case_ids(text, offsets)
[0, 5, 1, 2, 1, 3, 4, 0]
"""

from __future__ import annotations

import re

#: id of each word shape (0 is for special and padding tokens)
SHAPES: dict[str, int] = {"special": 0, "lower": 1, "capitalised": 2, "upper": 3, "other": 4, "first": 5}


_SPECIAL, _LOWER, _CAPITALISED, _UPPER, _OTHER, _FIRST = range(6)
_WORD = re.compile(r"\w+")


def case_ids(text: str, offsets: list[tuple[int, int]]) -> list[int]:
    """The word-shape id of every token of ``text`` (given its character ``offsets``).

    Pieces of one word ("kal", "##las") share the word's shape; special tokens get 0.
    """
    first = next((i for i, c in enumerate(text) if c.isalnum()), 0)
    ids = []
    append = ids.append
    for a, b in offsets:
        if b <= a:
            append(_SPECIAL)
            continue
        c = text[a]
        if a > 0 and c.isalnum() and text[a - 1].isalnum():  # a piece inside a word: go to its start
            while a > 0 and text[a - 1].isalnum():
                a -= 1
            c = text[a]
        if not c.isalpha():
            append(_OTHER)
        elif a == first:
            append(_FIRST)  # sentence-initial capitals say nothing
        elif c.islower():
            append(_LOWER)
        else:
            word = _WORD.match(text, a).group()
            append(_UPPER if len(word) > 1 and word.isupper() else _CAPITALISED)
    return ids
