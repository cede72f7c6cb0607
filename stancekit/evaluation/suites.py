"""Evaluation suites: small versioned YAML files naming a data file and thresholds.

A suite file looks like::

    name: seed
    version: 1
    description: The two seed articles, annotated.
    data: ../data/seed_gold.jsonl      # relative to the YAML file
    thresholds:
      statement_macro_f1: 0.85

>>> load_suite("seed").name
'seed'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from stancekit.errors import EvalError, did_you_mean
from stancekit.evaluation.metrics import METRICS

SUITE_KEYS = {"name", "version", "description", "data", "thresholds", "subset"}


def suite_dirs() -> list[Path]:
    """Folders searched for suites by name: the source checkout, then the installed copy."""
    pkg = Path(__file__).resolve().parent.parent
    return [pkg.parent / "eval" / "suites", pkg / "_bundled" / "eval" / "suites"]


def available_suites() -> list[str]:
    """Names of the suites found in :func:`suite_dirs`."""
    return sorted({p.stem for d in suite_dirs() if d.is_dir() for p in d.glob("*.yaml")})


@dataclass
class Suite:
    """A named, versioned evaluation data set with thresholds."""

    name: str
    version: str
    data: Path
    description: str = ""
    thresholds: dict[str, float] = field(default_factory=dict)
    subset: str = "all"

    @property
    def sha256(self) -> str:
        """Hash of the data file, recorded in reports."""
        return hashlib.sha256(self.data.read_bytes()).hexdigest()


def _parse(path: Path) -> Suite:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalError("E202", f"{exc}", where=str(path)) from exc
    if not isinstance(raw, dict):
        raise EvalError("E202", "the file must be a mapping", where=str(path))
    unknown = set(raw) - SUITE_KEYS
    if unknown:
        raise EvalError("E202", f"unknown keys {sorted(unknown)}; allowed {sorted(SUITE_KEYS)}", where=str(path))
    for key in ("name", "version", "data"):
        if key not in raw:
            raise EvalError("E202", f"missing {key!r}", where=str(path))
    thresholds = raw.get("thresholds") or {}
    for metric in thresholds:
        if metric not in METRICS:
            raise EvalError("E203", f"{metric!r}{did_you_mean(metric, METRICS)}", where=str(path))
    return Suite(
        name=str(raw["name"]),
        version=str(raw["version"]),
        data=(path.parent / raw["data"]).resolve(),
        description=str(raw.get("description", "")),
        thresholds={k: float(v) for k, v in thresholds.items()},
        subset=str(raw.get("subset", "all")),
    )


def load_suite(spec: str | Path) -> Suite:
    """Resolve ``spec``: a suite name, a suite YAML path, or a JSONL data file.

    A JSONL file becomes an ad-hoc suite named after the file, without thresholds.
    """
    path = Path(spec)
    if path.suffix in {".yaml", ".yml"} and path.is_file():
        return _parse(path)
    if path.suffix == ".jsonl" or path.is_file():
        if not path.is_file():
            raise EvalError("E201", f"{spec} does not exist")
        return Suite(name=path.stem, version="file", data=path.resolve())
    for folder in suite_dirs():
        candidate = folder / f"{spec}.yaml"
        if candidate.is_file():
            return _parse(candidate)
    names = available_suites()
    raise EvalError("E201", f"{spec!r}{did_you_mean(str(spec), names)}; suites: {', '.join(names) or 'none'}")
