"""Check and compile hand-written corpus documents into stancekit records.

Corpus authors write one *document* per line in ``training/data/source/*.jsonl``::

    {"doc_id": "eur-001", "topic": "sanctions", "register": "wire",
     "date": "2024-03-12", "title": "...",
     "sentences": [
       {"text": "Kallas urged Moscow to ...", "tags": ["multi_stance"],
        "statements": [
          {"speaker": "Kallas", "actor": "Kaja Kallas", "party": "EU",
           "stance": "demand", "target": "Russia", "cue": "urged"}]}]}

``speaker`` and ``cue`` must be exact substrings of ``text``; when they occur
more than once, ``speaker_occurrence`` / ``cue_occurrence`` (1-based) pick one.
Offsets are computed here, so authors never count characters.

This module uses only the standard library so that authors can run it before
the package is installed::

    python training/authoring.py check training/data/source/europe.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

STANCES = ("demand", "concession", "criticism")
REGISTERS = (
    "western-readout",
    "chinese-readout",
    "russian-readout",
    "other-ministry-readout",
    "wire",
    "analysis",
)
TAGS = (
    "negation",
    "hypothetical",
    "multi_speaker",
    "multi_stance",
    "pronoun",
    "description",
    "title_only",
    "passive",
    "channel",
    "non_speaker_cue",
    "quotation",
    "long",
    "near_miss",
    "metonym",
    "joint",
    "question",
    "third_party",
)
DOC_KEYS = {"doc_id", "topic", "register", "date", "title", "sentences"}
SENT_KEYS = {"text", "tags", "statements"}
STMT_KEYS = {
    "speaker",
    "speaker_occurrence",
    "actor",
    "party",
    "stance",
    "target",
    "cue",
    "cue_occurrence",
    "uncertain",
}


def _find(text: str, needle: str, occurrence: int) -> int:
    """Return the start of the ``occurrence``-th (1-based) match, or -1."""
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            return -1
    return start


def _inside_word(text: str, start: int, end: int) -> bool:
    """True when the span starts or ends in the middle of a word."""
    return (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end].isalnum() and text[end - 1].isalnum()
    )


def compile_document(doc: dict, where: str) -> tuple[list[dict], list[str]]:
    """Turn one authored document into sentence records; return (records, errors)."""
    errors: list[str] = []
    records: list[dict] = []
    missing = {"doc_id", "topic", "register", "sentences"} - doc.keys()
    if missing:
        return [], [f"{where}: document lacks {sorted(missing)}"]
    extra = doc.keys() - DOC_KEYS
    if extra:
        errors.append(f"{where}: unknown document keys {sorted(extra)}")
    if doc["register"] not in REGISTERS:
        errors.append(f"{where}: register {doc['register']!r} not in {REGISTERS}")
    for i, sent in enumerate(doc["sentences"]):
        loc = f"{where} doc {doc['doc_id']} sentence {i}"
        if not isinstance(sent, dict) or "text" not in sent:
            errors.append(f"{loc}: a sentence must be an object with 'text'")
            continue
        extra = sent.keys() - SENT_KEYS
        if extra:
            errors.append(f"{loc}: unknown sentence keys {sorted(extra)}")
        text = sent["text"]
        if text != text.strip() or not text:
            errors.append(f"{loc}: text is empty or has surrounding spaces")
        for tag in sent.get("tags", []):
            if tag not in TAGS:
                errors.append(f"{loc}: tag {tag!r} not in {TAGS}")
        out_statements = []
        for j, st in enumerate(sent.get("statements", [])):
            sloc = f"{loc} statement {j}"
            extra = st.keys() - STMT_KEYS
            if extra:
                errors.append(f"{sloc}: unknown keys {sorted(extra)}")
            need = {"speaker", "actor", "party", "stance", "target", "cue"} - st.keys()
            if need:
                errors.append(f"{sloc}: missing {sorted(need)}")
                continue
            if st["stance"] not in STANCES:
                errors.append(f"{sloc}: stance {st['stance']!r} not in {STANCES}")
            s0 = _find(text, st["speaker"], st.get("speaker_occurrence", 1))
            if s0 < 0 or not st["speaker"]:
                errors.append(f"{sloc}: speaker {st['speaker']!r} is not in the text")
                continue
            if _inside_word(text, s0, s0 + len(st["speaker"])):
                errors.append(f"{sloc}: speaker {st['speaker']!r} matches inside a word; set speaker_occurrence")
            c0 = _find(text, st["cue"], st.get("cue_occurrence", 1))
            if c0 < 0 or not st["cue"]:
                errors.append(f"{sloc}: cue {st['cue']!r} is not in the text")
                continue
            out_statements.append(
                {
                    "speaker": st["speaker"],
                    "speaker_start": s0,
                    "speaker_end": s0 + len(st["speaker"]),
                    "actor": st["actor"],
                    "party": st["party"],
                    "stance": st["stance"],
                    "target": st["target"],
                    "uncertain": bool(st.get("uncertain", False)),
                    "cue": st["cue"],
                    "cue_start": c0,
                    "cue_end": c0 + len(st["cue"]),
                }
            )
        records.append(
            {
                "doc_id": doc["doc_id"],
                "sent_index": i,
                "text": text,
                "statements": out_statements,
                "tags": list(sent.get("tags", [])),
            }
        )
    return records, errors


def load_source(path: Path) -> tuple[list[dict], list[dict], list[str]]:
    """Read an authoring file; return (documents, sentence records, errors)."""
    docs, records, errors = [], [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        recs, errs = compile_document(doc, where)
        errors += errs
        records += recs
        docs.append({k: v for k, v in doc.items() if k != "sentences"})
    return docs, records, errors


def summarize(docs: list[dict], records: list[dict]) -> dict:
    """Counts an author needs to see: sentences, stances, speakers, tags."""
    stances = Counter(s["stance"] for r in records for s in r["statements"])
    empty = sum(1 for r in records if not r["statements"])
    return {
        "documents": len(docs),
        "sentences": len(records),
        "background_share": round(empty / max(1, len(records)), 3),
        "statements_per_stance": dict(stances),
        "distinct_speakers": len({s["actor"] for r in records for s in r["statements"]}),
        "distinct_parties": len({s["party"] for r in records for s in r["statements"]}),
        "distinct_cues": len({s["cue"].lower() for r in records for s in r["statements"]}),
        "topics": len({d["topic"] for d in docs}),
        "tags": dict(Counter(t for r in records for t in r["tags"])),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        print(__doc__)
        return 2
    all_docs, all_records, all_errors = [], [], []
    for name in argv[1:]:
        docs, records, errors = load_source(Path(name))
        all_docs += docs
        all_records += records
        all_errors += errors
    ids = Counter(d["doc_id"] for d in all_docs)
    all_errors += [f"doc_id {k!r} is used {v} times" for k, v in ids.items() if v > 1]
    for e in all_errors:
        print("ERROR", e)
    print(json.dumps(summarize(all_docs, all_records), indent=1))
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
