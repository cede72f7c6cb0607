"""One catalogue of user-facing errors, each with a code and a fix.

Library code raises :class:`StancekitError` subclasses; only the CLI prints them
and chooses exit codes. Every message says what went wrong and what to do next.

>>> err = DataError.at("E102", "data.jsonl", 3, detail="stance 'demnd'")
>>> print(err)
data.jsonl:3: [E102] unknown stance: stance 'demnd'. Fix: use one of demand, concession, criticism.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: code -> (what went wrong, how to fix it)
CATALOGUE: dict[str, tuple[str, str]] = {
    # data files
    "E100": ("invalid JSON", "make the line one complete JSON object"),
    "E101": ("missing field", "add the field; see docs/annotation.md for the record format"),
    "E102": ("unknown stance", "use one of demand, concession, criticism"),
    "E103": (
        "speaker offsets do not match the text",
        "set speaker_start/speaker_end so that text[speaker_start:speaker_end] == speaker "
        "(end exclusive, counted in Unicode characters)",
    ),
    "E104": ("duplicate (doc_id, sent_index)", "give each sentence of a document its own sent_index"),
    "E105": ("wrong type", "use the JSON type given in docs/annotation.md"),
    "E106": ("file is not UTF-8", "re-save the file as UTF-8"),
    "E107": ("file is empty", "add at least one sentence record"),
    "E108": ("file not found", "check the path"),
    "E109": ("cue offsets do not match the text", "set cue_start/cue_end so text[cue_start:cue_end] == cue"),
    "E110": ("a line must be a JSON object", "write one object per line, not a list or a scalar"),
    "E111": ("duplicate key in a JSON object", "keep one value per key; JSON parsers silently keep only the last"),
    "E112": (
        "text is not valid Unicode",
        "replace the unpaired \\ud800-\\udfff escape by the character it stands for (or by its surrogate pair)",
    ),
    # evaluation
    "E200": ("unknown model", "pass a model folder, baseline:NAME or oracle:speakers"),
    "E201": ("unknown evaluation suite", "pass a JSONL file or a suite YAML / name"),
    "E202": ("invalid suite file", "see eval/suites/seed.yaml for the format"),
    "E203": ("unknown metric", "use a metric name from the report"),
    "E204": ("threshold not met", "improve the model or lower the threshold deliberately"),
    "E205": ("reports are not comparable", "compare two reports made on the same data"),
    "E206": ("invalid threshold", "write METRIC=VALUE with a number between 0 and 1"),
    # models
    "E300": ("not a stancekit model folder", "pass a folder written by save_pretrained or `stancekit train`"),
    "E301": ("unsafe weight file refused", "convert the weights to model.safetensors; pickle files are never loaded"),
    "E302": ("corrupted weight file", "re-train or re-download the model"),
    "E303": ("model was saved by a newer stancekit", "upgrade stancekit"),
    "E304": ("label schema differs from this stancekit", "re-train the model with this stancekit version"),
    "E305": ("remote code refused", "stancekit never runs code from a model folder; use a standard architecture"),
    "E306": ("base model not found", "pass a local folder or a Hugging Face id (set HF_HUB_OFFLINE=0 to download)"),
    "E307": (
        "backend not available",
        "use --backend torch for the full-precision weights, or `stancekit export-onnx --model DIR` "
        "to add the ONNX one",
    ),
    "E308": (
        "ONNX export failed",
        "install onnx and onnxruntime (the dev extra has them), or report the message with your base model",
    ),
    # training and configuration
    "E400": ("invalid training configuration", "fix the value named in the message"),
    "E401": ("no training data", "pass a JSONL file with annotated sentences"),
    "E402": ("output folder exists", "choose another --output or pass --overwrite"),
    "E403": ("nothing to resume", "run without --resume first"),
    "E404": ("unknown configuration key", "remove the key or fix its spelling"),
    "E405": (
        "checkpoints come from other data or settings",
        "resume with the same data and settings, or delete the checkpoint folder to start afresh",
    ),
    # registry and input
    "E500": ("invalid registry file", "see stancekit/resources/registry.json for the format"),
    "E501": ("input file not readable", "check the path and that the file is UTF-8 text or JSONL"),
    "E502": ("invalid option", "see `stancekit COMMAND --help`"),
    "E503": ("output path not writable", "pass a file path (not a folder) in a folder you can write to"),
    # stance comparison
    "E600": ("readout has no date", "give every readout a date: --dates YYYY-MM-DD per readout, or DOC_ID=YYYY-MM-DD"),
    "E601": ("invalid date", "write dates as YYYY-MM-DD"),
    "E602": ("dates do not fit the readouts", "give one date per readout in input order, or DOC_ID=YYYY-MM-DD pairs"),
    "E603": ("unknown readout id", "use a doc_id of the inputs"),
    "E604": ("invalid topic list", "write a JSON or YAML object mapping each topic name to a list of keywords"),
    "E605": ("a model is needed for unanalysed input", "pass --model DIR, or give analysed JSONL with statements"),
    "E606": ("embedder returned a wrong shape", "return a 2-D array with one row per text"),
    "E607": ("filter value not in the data", "use a value that occurs in the data"),
    "E608": ("alignment needs exactly two readouts", "pass the two readouts of one meeting"),
    "E609": ("invalid comparison setting", "fix the value named in the message"),
    "E610": ("duplicate readout id", "give each readout its own doc_id (a raw text file takes its file name)"),
    # annotation tools and event data (stancekit.interop, stancekit.suggest)
    "E700": (
        "not a Label Studio JSON export",
        "export the project from Label Studio with Export > JSON (a list of tasks)",
    ),
    "E701": (
        "task lacks text, doc_id or sent_index",
        "keep text, doc_id and sent_index (an integer >= 0) in the task data or meta; stancekit export writes them",
    ),
    "E702": ("region does not match the text", "re-draw the region in the tool so that it selects its text"),
    "E703": (
        "unknown label",
        "use the labelling configuration in stancekit/interop/ (spans SPEAKER, CUE-demand, CUE-concession, "
        "CUE-criticism; relations states, states-uncertain)",
    ),
    "E704": ("relation refers to a missing region", "delete the relation and draw it again between two regions"),
    "E705": ("relation must go from a SPEAKER to a CUE region", "draw the relation from the speaker to its cue"),
    "E706": ("cue has no speaker", "draw a relation from the SPEAKER region that holds this stance to the cue"),
    "E707": (
        "cues cannot be attributed without relations",
        "label the project with relations (doccano: sequence labelling with relation labelling), "
        "or keep one SPEAKER per sentence in the relation-less `label` form",
    ),
    "E708": ("speaker has no stance", "relate the speaker to the CUE region of its stance, or delete the region"),
    "E709": (
        "invalid region attribute",
        "give actor and party (one line each) on SPEAKER regions and targets on CUE regions; "
        "write none for an explicit null",
    ),
    "E710": ("converted record is invalid", "correct the task in the tool; the detail names the check that failed"),
    "E711": (
        "not a doccano JSONL export",
        "export the project from doccano as JSONL (sequence labelling, one object per line with text and entities)",
    ),
    "E712": (
        "nothing annotated",
        "submit at least one annotation in the tool, or pass --predictions to import the pre-annotations",
    ),
    "E713": (
        "unknown interop format",
        "import from labelstudio or doccano; export to labelstudio, doccano, plover or cameo",
    ),
    "E714": (
        "two tasks hold the same sentence",
        "keep one task per (doc_id, sent_index): delete the duplicate task in the tool",
    ),
    "E715": ("invalid suggest setting", "pass --top >= 1 and --diversity between 0 and 1"),
    "E716": ("nothing to suggest", "pass sentences that are not already labelled (see --exclude)"),
    # batch analysis (stancekit.batch)
    "E720": (
        "the batch output folder holds results made with other settings, another model or other input",
        "rerun with the same --num-shards, --chunk-size, columns, model and input, or pass a new --output folder",
    ),
    "E721": (
        "a document's sentences are not contiguous in the input",
        "keep each doc_id's rows together (sort the corpus by doc_id) so that no document is split",
    ),
    "E722": ("invalid batch option", "use --num-shards >= 1, 0 <= --shard-index < --num-shards and --chunk-size >= 1"),
    "E723": (
        "another job is writing this shard",
        "wait for it to finish, or give each job of the array its own --shard-index",
    ),
    "E724": ("unsupported input file", "pass .jsonl / .json / .parquet files (optionally .gz for JSON)"),
}


class StancekitError(Exception):
    """Base class of every error stancekit raises on purpose.

    Args:
        code: catalogue code such as ``"E102"``.
        detail: the specific value or location that went wrong.
    """

    exit_code = 2

    def __init__(self, code: str, detail: str = "", *, where: str = "") -> None:
        what, fix = CATALOGUE[code]
        self.code, self.detail, self.where, self.fix = code, detail, where, fix
        prefix = f"{where}: " if where else ""
        body = f"{what}: {detail}" if detail else what
        super().__init__(f"{prefix}[{code}] {body}. Fix: {fix}.")

    @classmethod
    def at(cls, code: str, path: str, line: int | None, *, detail: str = "") -> StancekitError:
        """Build an error located at ``path:line``."""
        where = f"{path}:{line}" if line is not None else str(path)
        return cls(code, detail, where=where)


class DataError(StancekitError):
    """A data file is malformed. ``problems`` holds every error found in it."""

    exit_code = 3

    def __init__(self, code: str, detail: str = "", *, where: str = "", problems: list | None = None) -> None:
        super().__init__(code, detail, where=where)
        self.problems = problems or []


class ModelError(StancekitError):
    """A model folder cannot be used."""

    exit_code = 4


class EvalError(StancekitError):
    """An evaluation cannot run or its thresholds are not met."""

    exit_code = 5


class ConfigError(StancekitError):
    """A configuration value is invalid."""

    exit_code = 2


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``.

    >>> did_you_mean("demnd", ["demand", "concession"])
    " (did you mean 'demand'?)"
    """
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
