"""Every way a data file can be wrong gives one clear error per problem, with file and line.

A real corpus line is corrupted one way at a time (a sweep of ~70 variants); random byte damage
and random records are fuzzed with hypothesis; training, in Python and from the CLI, refuses
invalid data before it builds anything.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stancekit.cli.app import app
from stancekit.errors import CATALOGUE, DataError
from stancekit.jsonl import read_sentences, write_sentences
from stancekit.records import STANCES, Sentence
from stancekit.training import TrainingConfig, encode_sentences, train
from stancekit.validation import validate_file, validate_lines

from .conftest import ROOT, TINY

SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
DEV_LINES = (ROOT / "training/data/dev.jsonl").read_text(encoding="utf-8").splitlines()
#: "Sudan's army-led government said on Thursday it would reopen ..." with one concession and its cue
LINE = DEV_LINES[0]
BEFORE, AFTER = DEV_LINES[1], DEV_LINES[2]  # the same document's sentences 1 and 2, valid


def edit(fn: Callable[[dict], None]) -> Callable[[str], str]:
    """A corruption of the parsed record, written back as one JSON line."""

    def corrupt(line: str) -> str:
        record = json.loads(line)
        fn(record)
        return json.dumps(record)

    return corrupt


def stmt(**changes) -> Callable[[str], str]:
    def fn(record: dict) -> None:
        record["statements"][0].update(changes)

    return edit(fn)


def drop(*keys: str, where: str = "statement") -> Callable[[str], str]:
    def fn(record: dict) -> None:
        target = record["statements"][0] if where == "statement" else record
        for key in keys:
            del target[key]

    return edit(fn)


def shift_speaker_by_bytes(record: dict) -> None:
    """Offsets counted in UTF-8 bytes instead of characters (a common converter mistake)."""
    record["text"] = "Khartoum — " + record["text"]
    shift = len("Khartoum — ".encode())
    st_ = record["statements"][0]
    for key in ("speaker_start", "speaker_end", "cue_start", "cue_end"):
        st_[key] += shift if key.startswith("speaker") else len("Khartoum — ")


def lone_surrogate(record: dict) -> None:
    record["text"] += "\ud800"  # json.dumps writes it as the escape "\ud800"


CORRUPTIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    # JSON syntax
    "truncated-line": ("E100", lambda line: line[: len(line) // 2]),
    "missing-closing-brace": ("E100", lambda line: line[:-1]),
    "trailing-comma": ("E100", lambda line: line[:-1] + ",}"),
    "single-quotes": ("E100", lambda line: line.replace('"', "'")),
    "python-literal": ("E100", lambda line: line.replace("false", "False")),
    "raw-tab-in-string": ("E100", lambda line: line.replace("Sudan's", "Sudan's\t", 1)),
    "nul-byte-in-string": ("E100", lambda line: line.replace("Sudan's", "\x00Sudan's", 1)),
    "two-records-on-one-line": ("E100", lambda line: line + " " + line),
    # not an object
    "list-of-records": ("E110", lambda line: f"[{line}]"),
    "string": ("E110", lambda line: json.dumps(line)),
    "number": ("E110", lambda line: "42"),
    "null": ("E110", lambda line: "null"),
    # duplicate keys (json keeps the last silently)
    "duplicate-key-same-value": ("E111", lambda line: '{"doc_id": "afr-001", ' + line[1:]),
    "duplicate-key-other-value": ("E111", lambda line: '{"sent_index": 99, ' + line[1:]),
    "duplicate-key-in-statement": (
        "E111",
        lambda line: line.replace('"stance": "concession"', '"stance": "demand", "stance": "concession"'),
    ),
    # invalid Unicode through an escape
    "lone-surrogate-escape": ("E112", edit(lone_surrogate)),
    # missing fields
    **{f"missing-{key}": ("E101", drop(key, where="record")) for key in ("doc_id", "sent_index", "text", "statements")},
    **{
        f"statement-missing-{key}": ("E101", drop(key))
        for key in ("speaker", "speaker_start", "speaker_end", "actor", "party", "stance", "target")
    },
    "cue-without-offsets": ("E101", drop("cue_start", "cue_end")),
    "cue-without-end": ("E101", drop("cue_end")),
    "cue-offsets-without-cue": ("E101", drop("cue")),
    # wrong types
    "doc_id-number": ("E105", edit(lambda r: r.update(doc_id=1))),
    "sent_index-string": ("E105", edit(lambda r: r.update(sent_index="0"))),
    "sent_index-float": ("E105", edit(lambda r: r.update(sent_index=0.0))),
    "sent_index-bool": ("E105", edit(lambda r: r.update(sent_index=False))),
    "sent_index-negative": ("E105", edit(lambda r: r.update(sent_index=-1))),
    "sent_index-nan": ("E105", lambda line: re.sub(r'"sent_index": \d+', '"sent_index": NaN', line)),
    "text-null": ("E105", edit(lambda r: r.update(text=None))),
    "text-list": ("E105", edit(lambda r: r.update(text=["Sudan"]))),
    "statements-object": ("E105", edit(lambda r: r.update(statements=r["statements"][0]))),
    "statements-null": ("E105", edit(lambda r: r.update(statements=None))),
    "statement-string": ("E105", edit(lambda r: r.update(statements=["Sudan conceded"]))),
    "speaker_start-string": ("E105", stmt(speaker_start="0")),
    "speaker_start-bool": ("E105", stmt(speaker_start=False)),
    "speaker_end-float": ("E105", stmt(speaker_end=27.0)),
    "speaker-null": ("E105", stmt(speaker=None)),
    "actor-null": ("E105", stmt(actor=None)),
    "party-number": ("E105", stmt(party=1)),
    "target-list": ("E105", stmt(target=["UN"])),
    "stance-number": ("E105", stmt(stance=1)),
    "uncertain-string": ("E105", stmt(uncertain="no")),
    "confidence-string": ("E105", stmt(confidence="high")),
    "cue-null": ("E105", stmt(cue=None)),
    "cue-number": ("E105", stmt(cue=5)),  # was E105 and E109 for one mistake
    "cue_start-string": ("E105", stmt(cue_start="48")),  # crashed the validator with TypeError
    "cue_start-bool": ("E105", stmt(cue_start=True)),  # was E105 and E109 for one mistake
    "cue_end-float": ("E105", stmt(cue_end=60.0)),
    # unknown stance
    "stance-capitalised": ("E102", stmt(stance="Concession")),
    "stance-misspelt": ("E102", stmt(stance="concesion")),
    "stance-empty": ("E102", stmt(stance="")),
    "stance-other-scheme": ("E102", stmt(stance="threat")),
    # speaker offsets
    "speaker-off-by-one": ("E103", stmt(speaker_start=1, speaker_end=28)),
    "speaker-end-inclusive": ("E103", stmt(speaker_end=26)),
    "speaker-end-past-text": ("E103", stmt(speaker_end=10_000)),
    "speaker-start-negative": ("E103", stmt(speaker_start=-1)),
    "speaker-empty-span": ("E103", stmt(speaker_start=5, speaker_end=5)),
    "speaker-reversed-span": ("E103", stmt(speaker_start=27, speaker_end=0)),
    "speaker-text-differs": ("E103", stmt(speaker="Sudan's army-led govt")),
    "speaker-offsets-in-bytes": ("E103", edit(shift_speaker_by_bytes)),
    # cue offsets
    "cue-off-by-one": ("E109", stmt(cue_start=49, cue_end=61)),
    "cue-end-past-text": ("E109", stmt(cue_end=10_000)),
    "cue-empty": ("E109", stmt(cue="", cue_start=48, cue_end=48)),
    "cue-text-differs": ("E109", stmt(cue="will reopen")),
    # a sentence twice
    "duplicate-sentence-key": ("E104", edit(lambda r: r.update(sent_index=1))),
}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_the_uncorrupted_lines_are_valid(tmp_path):
    assert validate_file(write_lines(tmp_path / "ok.jsonl", [BEFORE, LINE, AFTER])) == []


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_each_corruption_of_a_corpus_line_is_one_clear_error(tmp_path, name):
    code, corrupt = CORRUPTIONS[name]
    bad = corrupt(LINE)
    assert bad != LINE
    path = write_lines(tmp_path / "data.jsonl", [BEFORE, bad, AFTER])
    problems = validate_file(path)
    assert [(p.code, p.line) for p in problems] == [(code, 2)], [str(p) for p in problems]
    message = str(problems[0])
    assert message.startswith(f"{path}:2: [{code}] ") and f"Fix: {CATALOGUE[code][1]}." in message
    with pytest.raises(DataError) as info:
        read_sentences(path)
    assert info.value.code == code and f"{path}:2" in str(info.value) and len(info.value.problems) == 1


def test_all_corruptions_in_one_file_one_error_each(tmp_path):
    lines = [BEFORE]
    for k, name in enumerate(sorted(CORRUPTIONS)):
        code, corrupt = CORRUPTIONS[name]
        # give each corrupted line its own sentence key so that only the intended problem shows
        line = LINE if code == "E104" else LINE.replace('"sent_index": 0', f'"sent_index": {100 + k}', 1)
        lines.append(corrupt(line))
    path = write_lines(tmp_path / "data.jsonl", lines)
    problems = validate_file(path)
    expected = [(CORRUPTIONS[name][0], k + 2) for k, name in enumerate(sorted(CORRUPTIONS))]
    assert [(p.code, p.line) for p in problems] == expected


# encodings and empty files -------------------------------------------------------------------------

TEXT_WITH_ACCENT = json.dumps(
    {"doc_id": "d", "sent_index": 0, "text": "Macron’s café talks.", "statements": []}, ensure_ascii=False
)

ENCODINGS: dict[str, tuple[bytes, list[tuple[str, int | None]]]] = {
    "latin-1": ((BEFORE + "\n").encode() + "Macron a dit: été.\n".encode("latin-1"), [("E106", 2)]),
    "cp1252-quotes": (
        (BEFORE + "\n" + AFTER + "\n").encode() + TEXT_WITH_ACCENT.encode("cp1252", "replace"),
        [("E106", 3)],
    ),
    "utf-16": ((BEFORE + "\n").encode("utf-16"), [("E106", 1)]),
    "gzip-bytes": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)), [("E106", 1)]),
    "empty": (b"", [("E107", None)]),
    "only-blank-lines": (b"\n  \n\t\r\n\n", [("E107", None)]),
    "utf-8-bom": (codecs.BOM_UTF8 + (BEFORE + "\n").encode(), []),
    "crlf-line-ends": ((BEFORE + "\r\n" + AFTER + "\r\n").encode(), []),
    "no-final-newline": ((BEFORE + "\n" + AFTER).encode(), []),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_wrong_encodings_and_empty_files(tmp_path, name):
    raw, expected = ENCODINGS[name]
    path = tmp_path / "data.jsonl"
    path.write_bytes(raw)
    problems = validate_file(path)
    assert [(p.code, p.line) for p in problems] == expected, [str(p) for p in problems]
    assert all(str(p).startswith(str(path)) for p in problems)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\x0c", "\r"], ids=ascii)
def test_files_we_write_read_back_whatever_the_text_holds(tmp_path, char):
    """Regression: U+2028, U+2029 and U+0085 are written raw by json.dumps(ensure_ascii=False), and
    str.splitlines() broke the line there, so read_sentences rejected stancekit's own output (E100)."""
    path = tmp_path / "out.jsonl"
    sentences = [Sentence("d", 0, f"Li urged{char}calm."), Sentence("d", 1, "Kallas agreed.")]
    write_sentences(path, sentences)
    assert [s.text for s in read_sentences(path)] == [s.text for s in sentences]


# fuzzing ---------------------------------------------------------------------------------------

GOOD_FILE = "\n".join([BEFORE, LINE, AFTER]) + "\n"


def assert_well_formed(problems, path: str, n_lines: int) -> None:
    for p in problems:
        assert p.code in CATALOGUE
        assert p.line is None or 1 <= p.line <= n_lines
        assert str(p).startswith(f"{path}:{p.line}: [{p.code}]" if p.line else f"{path}: [{p.code}]")
        assert "Fix: " in str(p)


@settings(max_examples=1500, **SETTINGS)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(GOOD_FILE.encode()) - 1),
            st.sampled_from(["delete", "insert", "replace"]),
            st.binary(min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_random_byte_damage_never_crashes_the_validator(tmp_path_factory, edits):
    raw = bytearray(GOOD_FILE.encode())
    for at, op, blob in edits:
        at = min(at, len(raw))
        if op == "delete":
            del raw[at : at + len(blob)]
        elif op == "insert":
            raw[at:at] = blob
        else:
            raw[at : at + len(blob)] = blob
    path = tmp_path_factory.getbasetemp() / "byte-damage.jsonl"
    path.write_bytes(bytes(raw))
    problems = validate_file(path)
    assert_well_formed(problems, str(path), bytes(raw).count(b"\n") + 1)
    try:
        read_sentences(path)
    except DataError as err:
        assert err.problems == problems
    else:
        assert problems == []


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 300) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


#: True 7 times out of 8 (hypothesis leans towards the first choice, so corruptions stay rare)
OFTEN = st.sampled_from([True] * 7 + [False])


def span(draw, text: str) -> tuple[int, int]:
    """Mostly a valid span of ``text``, sometimes anything near it."""
    if text and draw(OFTEN):
        a = draw(st.integers(0, len(text) - 1))
        return a, draw(st.integers(a + 1, len(text)))
    return draw(st.integers(-1, len(text) + 1)), draw(st.integers(-1, len(text) + 2))


@st.composite
def statements(draw, text: str):
    a, b = span(draw, text)
    record = {
        "speaker": text[a:b] if draw(OFTEN) else draw(st.text(max_size=5)),
        "speaker_start": a,
        "speaker_end": b,
        "actor": "X",
        "party": draw(st.sampled_from([None, "EU", "China"])),
        "stance": draw(st.sampled_from([*STANCES, *STANCES, "Demand", "threat"])),
        "target": draw(st.sampled_from([None, "EU"])),
    }
    if draw(st.booleans()):
        c0, c1 = span(draw, text)
        record.update(cue=text[c0:c1] if draw(OFTEN) else "x", cue_start=c0, cue_end=c1)
    if not draw(OFTEN):  # one field missing or of any JSON type
        key = draw(st.sampled_from([*record, "uncertain", "confidence"]))
        if draw(st.booleans()):
            record.pop(key, None)
        else:
            record[key] = draw(ANY_JSON)
    return record


@st.composite
def records(draw):
    text = draw(st.text(st.characters(codec=None, exclude_categories=()), max_size=40))
    record = {
        "doc_id": draw(st.sampled_from(["a", "b"])),
        "sent_index": draw(st.sampled_from([0, 1, 2, 3, 0, 1, 2, 3, -1])),
        "text": text,
        "statements": draw(st.lists(statements(text), max_size=3)),
    }
    if not draw(OFTEN):
        record[draw(st.sampled_from(list(record)))] = draw(ANY_JSON)
    return record


@settings(max_examples=1500, **SETTINGS)
@given(batch=st.lists(records() | records() | records() | ANY_JSON, min_size=1, max_size=4))
@example(batch=[{"doc_id": "a", "sent_index": 0, "text": "Li\ud800 urged calm.", "statements": []}])  # was TypeError
def test_accepted_records_never_crash_training_preprocessing(tiny_model, batch):
    """Whatever validation accepts, the trainer's tokenisation and labelling accept too."""
    lines = [json.dumps(r) for r in batch]
    valid, problems = validate_lines(lines, "f.jsonl")
    assert_well_formed(problems, "f.jsonl", len(lines))
    sentences = [Sentence.from_dict(r) for r in valid]
    assert [Sentence.from_dict(s.to_dict()) for s in sentences] == sentences
    if sentences:
        columns = encode_sentences(tiny_model.tokenizer, sentences, 128)
        assert len(columns["input_ids"]) == len(sentences)


# training never starts on invalid data -------------------------------------------------------------


def bad_file(tmp_path: Path) -> Path:
    lines = [
        BEFORE,
        CORRUPTIONS["stance-misspelt"][1](LINE),
        AFTER,
        CORRUPTIONS["speaker-off-by-one"][1](LINE.replace('"sent_index": 0', '"sent_index": 9')),
    ]
    return write_lines(tmp_path / "bad.jsonl", lines)


def tiny_config(tmp_path: Path, **over) -> TrainingConfig:
    base = dict(
        train_file=str(ROOT / "training/data/dev.jsonl"),
        output_dir=str(tmp_path / "model"),
        base_model=str(TINY),
        epochs=1,
        batch_size=32,
    )
    return TrainingConfig(**{**base, **over})


@pytest.mark.parametrize("role", ["train_file", "dev_file"])
def test_training_refuses_invalid_train_or_dev_data_before_building_anything(tmp_path, role):
    bad = bad_file(tmp_path)
    with pytest.raises(DataError) as info:
        train(tiny_config(tmp_path, **{role: str(bad)}), progress=False)
    assert [(p.code, p.line) for p in info.value.problems] == [("E102", 2), ("E103", 4)]
    assert str(info.value).startswith(f"{bad}:2: [E102]") and "1 more problem" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]  # no model, checkpoints or partials


def test_cli_train_on_invalid_data_exits_non_zero_naming_file_and_line(tmp_path):
    bad = bad_file(tmp_path)
    out = tmp_path / "model"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--data",
            str(bad),
            "--output",
            str(out),
            "--base-model",
            str(TINY),
            "--epochs",
            "1",
            "--no-progress",
        ],
    )
    assert result.exit_code == DataError.exit_code
    assert f"{bad}:2: [E102] unknown stance" in result.output and "did you mean 'concession'" in result.output
    assert "stancekit validate" in result.output  # where to see the other problem
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]
