"""The documentation builds, its generated pages are current, and its tutorial really runs."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, TINY

DOCS = ROOT / "docs"
RUNNABLE = re.compile(r"<!-- runnable -->\n```bash\n(.*?)\n```", re.DOTALL)


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_reference", DOCS / "gen_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date():
    generator = _generator()
    expected = generator.render()
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: run `python docs/gen_cli_reference.py`"
    )
    from stancekit.cli.app import app

    for command in app.registered_commands:  # every registered command has its section
        assert f"## `stancekit {command.name}`" in expected


def test_mkdocs_build_strict(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    for page in ("index", "concepts", "annotation", "tutorial", "ci", "scale-out", "cli", "api"):
        assert (site / page / "index.html").is_file() if page != "index" else (site / "index.html").is_file()
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "analyze_batch" in api and "from_pretrained" in api  # generated from the docstrings
    ci = (site / "ci" / "index.html").read_text(encoding="utf-8")
    assert "stancekit-eval" in ci and "--min" in ci  # the workflow file is shown as committed
    assert not [p for p in site.rglob("*.html") if "fonts.googleapis.com" in p.read_text(encoding="utf-8")]


def _tutorial_blocks() -> list[str]:
    return RUNNABLE.findall((DOCS / "tutorial.md").read_text(encoding="utf-8"))


def test_tutorial_commands_run(tmp_path):
    """Every runnable block of docs/tutorial.md, in order, with the tiny base model and one epoch."""
    blocks = _tutorial_blocks()
    assert len(blocks) >= 7
    shutil.copytree(DOCS / "examples", tmp_path / "docs" / "examples")
    env = _env(BASE_MODEL=str(TINY), EPOCHS="1", OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
    if not shutil.which("stancekit", path=env["PATH"]):  # not installed as a console script
        shim = tmp_path / "bin" / "stancekit"
        shim.parent.mkdir()
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "from stancekit.cli.app import main; main()" "$@"\n')
        shim.chmod(0o755)
        env["PATH"] = os.pathsep.join([str(shim.parent), env["PATH"]])
    for block in blocks:
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, f"{block}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    # the files the tutorial promises
    for model in ("current", "candidate", "production"):
        folder = tmp_path / "models" / model
        assert {"config.json", "model.safetensors", "registry.json", "README.md"} <= {p.name for p in folder.iterdir()}
    assert (tmp_path / "data" / "train-v2.jsonl").read_text().count("\n") == 47
    for report in ("current", "candidate"):
        data = json.loads((tmp_path / "reports" / f"{report}.json").read_text())
        assert data["counts"]["sentences"] == 18
    card = (tmp_path / "models" / "production" / "README.md").read_text(encoding="utf-8")
    assert "model-index:" in card and "| statement_macro_f1 | all |" in card
    from stancekit.modeling import StanceModel

    StanceModel.from_pretrained(tmp_path / "models" / "production")


def test_examples_come_from_the_training_corpus_and_never_from_eval():
    from stancekit.validation import validate_file

    train = {json.loads(line)["text"]: line for line in (ROOT / "training/data/train.jsonl").read_text().splitlines()}
    examples = sorted((DOCS / "examples").glob("*.jsonl"))
    assert {p.name for p in examples} == {"train.jsonl", "new.jsonl", "dev.jsonl", "test.jsonl"}
    seen_docs: dict[str, str] = {}
    for path in examples:
        assert validate_file(path) == []
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            # the sentence is the training corpus's (its labels may since have been revised there)
            source = json.loads(train[record["text"]])
            assert (source["doc_id"], source["sent_index"]) == (record["doc_id"], record["sent_index"])
            assert seen_docs.setdefault(record["doc_id"], path.name) == path.name  # no readout in two files

    # no sentence of the evaluation data is quoted anywhere in the docs
    eval_texts = set()
    for path in (ROOT / "eval").rglob("*.jsonl"):
        eval_texts |= {json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line}
    for path in (ROOT / "eval").rglob("*.txt"):
        eval_texts |= {s.strip() for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))}
    probes = {t[:60] for t in eval_texts if len(t) >= 60}
    # docs/annotation.md is the label specification as it was handed over (its own examples are kept as
    # written); every page written for the docs site is checked
    written = [p for p in DOCS.rglob("*.md") if p.name != "annotation.md"]
    pages = "\n".join(p.read_text(encoding="utf-8") for p in [*written, *(DOCS / "examples").glob("*")])
    pages = " ".join(pages.split())
    quoted = sorted(p for p in probes if " ".join(p.split()) in pages)
    assert quoted == []


def test_ci_workflow_template_runs_eval_with_thresholds():
    from stancekit.cli.evaluate import _parse_min

    path = ROOT / ".github" / "workflows" / "stancekit-eval.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps).replace("\\\n", " ")
    assert "pip install" in runs and "stancekit" in runs
    (eval_line,) = [line for line in runs.splitlines() if line.strip().startswith("stancekit eval")]
    minimums = re.findall(r"--min (\S+)", eval_line)
    assert len(minimums) >= 2
    assert _parse_min(minimums)  # valid metric names and values
    assert '--8<-- ".github/workflows/stancekit-eval.yml"' in (DOCS / "ci.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["index.md", "concepts.md", "tutorial.md", "ci.md", "scale-out.md"])
def test_pages_link_the_annotation_guidelines_or_each_other(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    assert re.search(r"\]\((annotation|tutorial|index|ci|scale-out|cli|api|concepts)\.md", text)
