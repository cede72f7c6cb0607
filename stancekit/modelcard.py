"""Generate a Hugging Face model card (``README.md``) for a stancekit model folder.

The card follows the Hub's conventions: YAML front matter (``library_name``, ``license``,
``language``, ``tags``, ``base_model``, ``pipeline_tag``, and a ``model-index`` with the
evaluation results when they are known), then the sections Intended use, Out-of-scope use,
Training data, Evaluation results, Limitations and How to use.

Examples:
    >>> card = model_card({"name": "m", "base_model": "all-MiniLM-L6-v2"})
    >>> card.startswith("---\\nlibrary_name: stancekit\\n")
    True
    >>> meta = card_metadata(card)
    >>> meta["base_model"], meta["pipeline_tag"]
    ('sentence-transformers/all-MiniLM-L6-v2', 'token-classification')
    >>> "## Intended use" in card and "## Out-of-scope use" in card
    True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

DEFAULT_LICENSE = "apache-2.0"
TAGS = ("stancekit", "stance-detection", "speaker-attribution", "diplomacy", "token-classification")
METRIC_NAMES = {
    "statement_macro_f1": "Statement macro F1 (actor, stance)",
    "stance_macro_f1": "Stance macro F1 (sentence level)",
    "party_statement_macro_f1": "Statement macro F1 (party, stance)",
    "speaker_exact_f1": "Speaker span exact F1",
    "target_accuracy": "Target accuracy",
    "background_accuracy": "Background sentence accuracy",
}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def hub_base_model(name: str | None) -> str | None:
    """The base model as a Hub id for ``base_model:``, or None for a local folder.

    Examples:
        >>> hub_base_model("all-MiniLM-L6-v2"), hub_base_model("/models/tiny"), hub_base_model("bert-base-cased")
        ('sentence-transformers/all-MiniLM-L6-v2', None, 'bert-base-cased')
    """
    if not name:
        return None
    if name == "all-MiniLM-L6-v2":
        return f"sentence-transformers/{name}"
    if Path(name).exists() or not _HUB_ID.match(name) or name.startswith("."):
        return None
    return name


def _report_dict(report: Any) -> dict[str, Any]:
    """An :class:`~stancekit.evaluation.EvalReport`, its JSON file or its ``to_dict()``, as a dict."""
    if isinstance(report, (str, Path)):
        return json.loads(Path(report).read_text(encoding="utf-8"))
    if hasattr(report, "to_dict"):
        return report.to_dict()
    return dict(report)


def _results(config: Mapping[str, Any], reports: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """``{suite: {"metrics": {subset: {metric: {value, ci_low, ci_high}}}, ...}}`` from config and reports."""
    out: dict[str, dict[str, Any]] = {}
    for suite, metrics in (config.get("eval_results") or {}).items():
        out[suite] = {"metrics": {"all": metrics}}
    for report in reports:
        data = _report_dict(report)
        suite = data.get("suite") or {}
        out[str(suite.get("name", "evaluation"))] = {
            "metrics": data.get("metrics", {}),
            "suite": suite,
            "counts": data.get("counts", {}),
            "per_stance": data.get("per_stance", {}),
            "provenance": data.get("provenance", {}),
        }
    return out


def _version(result: Mapping[str, Any]) -> str | None:
    """The suite version of a result; a plain JSONL file (``file``) or in-memory data (``none``) has none."""
    version = (result.get("suite") or {}).get("version")
    return None if version in (None, "", "file", "none") else str(version)


def _model_index(name: str, results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for suite, result in results.items():
        metrics = [
            {"type": metric, "value": m["value"], "name": METRIC_NAMES.get(metric, metric), "verified": False}
            for metric, m in (result["metrics"].get("all") or {}).items()
            if isinstance(m, Mapping) and m.get("value") is not None
        ]
        if not metrics:
            continue
        version = _version(result)
        entries.append(
            {
                "task": {"type": "token-classification", "name": "Speaker and stance extraction"},
                "dataset": {
                    "type": f"stancekit/{suite}",
                    "name": f"stancekit suite {suite}" + (f" v{version}" if version else ""),
                },
                "metrics": metrics,
            }
        )
    return [{"name": name, "results": entries}] if entries else []


def card_metadata(card: str) -> dict[str, Any]:
    """Parse the YAML front matter of a card (what the Hub reads).

    Examples:
        >>> card_metadata("---\\nlicense: mit\\n---\\n# x")
        {'license': 'mit'}
    """
    import yaml

    match = re.match(r"^---\n(.*?)\n---\n", card, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def _fmt(x: Any) -> str:
    return "n/a" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _metrics_section(results: dict[str, dict[str, Any]]) -> str:
    if not results:
        return (
            "No evaluation recorded yet: run `stancekit eval --model FOLDER --output report.json`, then "
            "`stancekit.modelcard.write_model_card(FOLDER, report='report.json')`."
        )
    parts = []
    for suite, result in results.items():
        info = result.get("suite") or {}
        counts = result.get("counts") or {}
        head = f"### {suite}"
        if _version(result):
            head += f" (version {_version(result)}, data `{info.get('data', '?')}`)"
        elif info.get("data"):
            head += f" (data `{info['data']}`)"
        parts.append(head)
        if counts:
            parts.append(f"{counts.get('sentences', '?')} sentences, {counts.get('statements', '?')} gold statements.")
        rows = ["| metric | subset | value | 95% CI |", "|---|---|---:|---|"]
        for subset, metrics in result["metrics"].items():
            for metric, m in (metrics or {}).items():
                if isinstance(m, Mapping):
                    ci = f"[{_fmt(m.get('ci_low'))}, {_fmt(m.get('ci_high'))}]"
                    rows.append(f"| {metric} | {subset} | {_fmt(m.get('value'))} | {ci} |")
        parts.append("\n".join(rows))
        per_stance = result.get("per_stance") or {}
        if per_stance:
            rows = ["| stance | precision | recall | f1 | support |", "|---|---:|---:|---:|---:|"]
            for stance, m in per_stance.items():
                rows.append(
                    f"| {stance} | {_fmt(m.get('precision'))} | {_fmt(m.get('recall'))} | {_fmt(m.get('f1'))} "
                    f"| {_fmt(m.get('support'))} |"
                )
            parts.append("\n".join(rows))
        prov = result.get("provenance") or {}
        if prov:
            versions = prov.get("versions") or {}
            parts.append(
                f"Measured {prov.get('created', '?')} at commit `{prov.get('git_commit') or 'n/a'}` with "
                f"stancekit {versions.get('stancekit', '?')}, torch {versions.get('torch', '?')}."
            )
    return "\n\n".join(parts)


def model_card(config: dict[str, Any], *, report: Any = None, license: str | None = None) -> str:
    """The card text for a model config (training summary and evaluation results when present).

    Args:
        config: the model's ``config.json`` contents (``StanceModel.config``). Results stored
            under ``eval_results`` (``{suite: report.metrics["all"]}``) are included.
        report: an :class:`~stancekit.evaluation.EvalReport`, the path of its JSON file, its
            ``to_dict()``, or a list of these (one per suite); they add full tables and the
            ``model-index``.
        license: the card's license; default ``config["license"]``, else ``apache-2.0``.

    Returns:
        Markdown with YAML front matter, ready to be a model folder's ``README.md``.

    Examples:
        >>> results = {"seed": {"statement_macro_f1": {"value": 0.5, "ci_low": 0.3, "ci_high": 0.6}}}
        >>> meta = card_metadata(model_card({"name": "m", "eval_results": results}))
        >>> meta["model-index"][0]["results"][0]["metrics"][0]["value"]
        0.5
    """
    import yaml

    reports = [] if report is None else list(report) if isinstance(report, (list, tuple)) else [report]
    name = str(config.get("name") or "stancekit-model")
    base = config.get("base_model")
    training = config.get("training") or {}
    calib = config.get("calibration_report") or {}
    results = _results(config, reports)
    meta: dict[str, Any] = {
        "library_name": "stancekit",
        "license": license or config.get("license") or DEFAULT_LICENSE,
        "language": ["en"],
        "tags": list(TAGS),
    }
    if hub_base_model(base):
        meta["base_model"] = hub_base_model(base)
    meta["pipeline_tag"] = "token-classification"
    index = _model_index(name, results)
    if index:
        meta["model-index"] = index
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).strip()

    def data_name(key: str) -> str:
        value = training.get(key)
        return f"`{Path(value).name}`" if value else "n/a"

    versions = config.get("versions") or {}
    return f"""---
{front}
---

# {name}

A [stancekit](https://pypi.org/project/stancekit/) model. For each sentence of a diplomatic
readout it finds every **statement**: the speaker span, the stance it takes (`demand`,
`concession`, `criticism`) and the cue that carries it, with a calibrated confidence.
stancekit then resolves the canonical actor (pronouns included), the party they speak for
and the target from the rest of the readout and an actor registry.

## Intended use

- Comparing who demanded, conceded and criticised what across English readouts of
  diplomatic meetings, press statements and news reports about them.
- Finding leads for an analyst, who checks each statement against the text: every
  prediction carries its speaker span, cue span and confidence for that purpose.

## Out-of-scope use

- Decisions about people (screening, profiling, attributing views to individuals without review).
- Languages other than English, and genres far from readouts (social media, transcripts of debates).
- Measuring a party's "true" position: the model reads what a text reports, including its framing.
- Stances outside the three labels (support, neutrality, factual claims) are not predicted.

## Training data

- base model: `{base or "n/a"}` (stancekit format {config.get("stancekit_format", "n/a")})
- train sentences: {training.get("train_sentences", "n/a")} from {data_name("train_file")};
  dev sentences: {training.get("dev_sentences", "n/a")} from {data_name("dev_file")}
- labels follow the stancekit annotation guidelines (`docs/annotation.md`): one statement =
  (speaker, stance, target); background sentences have none
- epochs run: {training.get("epochs_run", "n/a")} (max {training.get("epochs", "n/a")}), seed:
  {training.get("seed", "n/a")}, learning rate: {training.get("learning_rate", "n/a")},
  training time: {training.get("train_runtime_s", "n/a")} s; fingerprint `{config.get("fingerprint", "n/a")}`
- confidence calibration on dev (Platt scaling; expected calibration error by 2-fold
  cross-fitting): raw {_fmt(calib.get("ece_raw"))}, calibrated {_fmt(calib.get("ece_calibrated"))}

## Evaluation results

Measured by the stancekit harness (`stancekit eval`); 95% bootstrap intervals over sentences.
`confident` leaves out sentences whose gold statements are marked uncertain.

{_metrics_section(results)}

## Limitations

- English only; other languages give unreliable output (stancekit warns).
- Actor and party resolution relies on the registry and on names in the same readout:
  unknown titles and descriptions fall back to the nearest plausible actor.
- Trained on a small corpus of readouts; newsroom styles, long analytical sentences and
  concessions are harder than the numbers above may suggest.
- Confidence is calibrated on the dev split of the training corpus, not on your data.

## How to use

```bash
pip install stancekit
stancekit analyze readout.txt --model {name} --format table
stancekit eval --model {name} --data my_gold.jsonl --output report.json
```

```python
import stancekit

model = stancekit.StanceModel.from_pretrained("{name}")
readout = model.analyze("Lavrov urged Kyiv to return to talks. He also criticised Paris.")
for sentence in readout.sentences:
    for s in sentence.statements:
        print(s.actor, s.party, s.stance, s.target, s.cue, s.confidence)
```

Saved with stancekit {versions.get("stancekit", "n/a")}, transformers {versions.get("transformers", "n/a")},
torch {versions.get("torch", "n/a")}.
"""


def write_model_card(folder: str | Path, *, report: Any = None, license: str | None = None) -> Path:
    """Rewrite the ``README.md`` card of a saved model folder, e.g. with a new evaluation report.

    Args:
        folder: a model folder written by ``save_pretrained`` or ``stancekit train``.
        report: as in :func:`model_card`.
        license: as in :func:`model_card`.

    Returns:
        The path of the card, written atomically.

    Examples:
        >>> import json, tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "config.json").write_text(json.dumps({"name": "m"}))
        >>> write_model_card(folder, license="mit").name
        'README.md'
        >>> card_metadata((folder / "README.md").read_text())["license"]
        'mit'
    """
    from stancekit.atomic import write_text_atomic

    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    path = folder / "README.md"
    write_text_atomic(path, model_card(config, report=report, license=license))
    return path
