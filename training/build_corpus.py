"""Compile the authored documents into the training corpus splits.

    python training/build_corpus.py            # writes train.jsonl, dev.jsonl, documents.jsonl
    python training/build_corpus.py --check    # fails if the committed splits are stale

Documents go to dev by a stable hash of their doc_id (about 15%), so the split never
changes when documents are added elsewhere. The seed suite is never part of either split.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from authoring import load_source  # noqa: E402

DATA = HERE / "data"
DEV_SHARE = 0.15


def is_dev(doc_id: str) -> bool:
    """Stable split by document."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < DEV_SHARE


def build() -> dict[str, str]:
    """Return the contents of the three output files."""
    docs, records, errors = [], [], []
    for path in sorted((DATA / "source").glob("*.jsonl")):
        d, r, e = load_source(path)
        docs += [{**x, "source": path.name} for x in d]
        records += r
        errors += e
    if errors:
        raise SystemExit("\n".join(errors))
    dump = lambda rows: "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows)  # noqa: E731
    return {
        "train.jsonl": dump(r for r in records if not is_dev(r["doc_id"])),
        "dev.jsonl": dump(r for r in records if is_dev(r["doc_id"])),
        "documents.jsonl": dump({**d, "split": "dev" if is_dev(d["doc_id"]) else "train"} for d in docs),
    }


def main(argv: list[str]) -> int:
    outputs = build()
    if "--check" in argv:
        stale = [n for n, text in outputs.items() if not (DATA / n).is_file() or (DATA / n).read_text("utf-8") != text]
        if stale:
            print(f"stale: {stale}; run python training/build_corpus.py")
            return 1
        return 0
    for name, text in outputs.items():
        (DATA / name).write_text(text, encoding="utf-8")
    print({n: t.count("\n") for n, t in outputs.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
