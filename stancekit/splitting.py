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
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Unicode spaces other than line breaks (no-break, thin, ideographic, ..., and \t \v \f \x1c-\x1f \x85)
_SPACE = re.compile(r"[^\S\n\r\u2028\u2029]")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (invalid Unicode, e.g. from a JSON ``"\\ud800"``) replaced by U+FFFD.

    The result has the same length, so offsets into it index ``text`` too; the tokenizer
    and the sentence segmenter refuse strings that cannot be encoded as UTF-8.

    >>> encodable("a\\ud800b")
    'a\ufffdb'
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _segment(chunk: str) -> list[str]:
    """Sentences of one line by ``sentencex``; the whole line if the segmenter fails.

    ``chunk`` has ASCII spaces only: sentencex 1.0.32 panics on "A\\xa0." (an initial, a
    no-break space, a full stop). A Rust panic is a ``BaseException``, so it is caught by name.
    """
    from sentencex import segment

    try:
        return list(segment("en", chunk))
    except Exception:
        return [chunk]
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        return [chunk]


def split_offsets(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each sentence; ``text[start:end]`` is stripped.

    Every non-space character of ``text`` lies in exactly one sentence.
    """
    spans: list[tuple[int, int]] = []
    # the segmenter sees a same-length copy (one character for one), so its offsets index ``text``
    plain = _SPACE.sub(" ", encodable(text))
    for line in _LINE.finditer(plain):
        chunk, base, pos = line.group(), line.start(), 0
        if not chunk.strip():
            continue
        for piece in _segment(chunk):
            piece = piece.strip()
            if not piece:
                continue
            found = chunk.find(piece, pos)
            if found < 0:  # the splitter changed the text: the rest of the line is one sentence
                break
            spans.append((base + found, base + found + len(piece)))
            pos = found + len(piece)
        rest = chunk[pos:].strip()
        if rest:
            at = chunk.find(rest, pos)
            spans.append((base + at, base + at + len(rest)))
    return spans


class LanguageWarning(UserWarning):
    """The text does not look like English, the language stancekit's splitter and models know."""


#: frequent English function words; they make up >= 20% of the words of every training readout
_ENGLISH = frozenset(
    {
        "the", "of", "and", "to", "that", "for", "with", "was", "were", "has", "have", "had", "is", "are", "be",
        "been", "by", "from", "it", "its", "this", "would", "will", "said", "his", "her", "their", "they", "he",
        "she", "which", "who", "not", "at", "as", "or", "than", "also", "after",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def language_problem(text: str) -> str | None:
    """Why ``text`` does not look like English, or ``None`` (also when it is too short to tell).

    Non-Latin script is judged on 20 letters or more, Latin-script text on 20 words or more:
    fewer than 5% English function words means another language (the least English
    sentence of 20+ words in the training corpus has 8%, a whole readout 21%).

    >>> language_problem("Lavrov urged Kyiv to negotiate and warned Paris against escalation.") is None
    True
    >>> language_problem("Министр иностранных дел призвал Москву прекратить боевые действия.")
    'only 0% of its letters are Latin script'
    """
    words = _WORD.findall(text)
    letters = sum(map(len, words))
    if letters >= 20:
        latin = len(_LATIN.findall(text)) / letters
        if latin < 0.5:
            return f"only {latin:.0%} of its letters are Latin script"
    if len(words) >= 20:
        english = sum(w.lower() in _ENGLISH for w in words) / len(words)
        if english < 0.05:
            return f"only {english:.0%} of its words are common English words such as 'the', 'of', 'and'"
    return None


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
