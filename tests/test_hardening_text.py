"""Any text in, no exception out: property tests of splitting and analysis, with offsets that index the input.

Two models run the properties: the tiny random model (statements at threshold 0, so offsets get
checked on many candidates) and a *marker* model, the tiny model's tokenizer and config with a
network that tags every "minister" token as a demanding speaker and every "urged" token as its
cue. The marker model is an oracle: whatever the windowing does, the speakers found must be
exactly the "minister" tokens of the full, untruncated tokenization.
"""

from __future__ import annotations

import json
import warnings

import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stancekit.modeling import StanceModel
from stancekit.records import STANCES, Readout, Sentence
from stancekit.splitting import LanguageWarning, encodable, language_problem, split_offsets
from stancekit.tagging import snap_to_words

from .conftest import ROOT

SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

#: every code point, lone surrogates included (a JSON "\ud800" escape or os.fsdecode can make them)
ANY = st.characters(codec=None, exclude_categories=())
#: control and format characters, line and paragraph separators, every kind of space
CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"])
WORDS = st.sampled_from(
    [
        "Lavrov", "urged", "Kyiv", "to", "negotiate.", "The", "U.S.", "minister", "Mr.", "said", "“We", "are",
        "ready,”", "—", "(Reuters)", "Лавров", "призвал", "Киев.", "李强", "敦促东京。", "وزير", "الخارجية", "मंत्री",
        "Ωμέγα", "🇺🇦", "👩‍👩‍👧", "e\u0301", "\u202eRLO", "\u200d", "\ufeff", "A\xa0.", "B\u2003.", "!?", "...",
        "\x00", "\x85", "a" * 120,
    ]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "\r\n", "\t", "\u2028", "\xa0", "\u3000", "", ". "])
SOUP = st.lists(st.tuples(WORDS | st.text(ANY, max_size=5), SEPARATORS), max_size=80).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
SPACES = st.text(CONTROL.filter(str.isspace) | st.sampled_from("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"), max_size=40)
TEXTS = st.one_of(st.text(ANY, max_size=300), st.text(CONTROL | ANY, max_size=120), SOUP, SPACES)


def check_readout(text: str, readout: Readout) -> None:
    """Sentences index ``text``; statement speaker and cue offsets index their sentence."""
    assert readout.text == text
    covered = bytearray(len(text))
    previous_end = 0
    for i, s in enumerate(readout.sentences):
        assert s.sent_index == i
        assert previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text == s.text.strip()
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        previous_end = s.end
        for st_ in s.statements:
            assert 0 <= st_.speaker_start < st_.speaker_end <= len(s.text)
            assert s.text[st_.speaker_start : st_.speaker_end] == st_.speaker
            if st_.cue is not None:
                assert 0 <= st_.cue_start < st_.cue_end <= len(s.text)
                assert s.text[st_.cue_start : st_.cue_end] == st_.cue
            assert st_.stance in STANCES and 0.0 <= st_.confidence <= 1.0
    # no text is silently dropped: every character that is not a space lies in some sentence
    assert all(covered[k] or c.isspace() for k, c in enumerate(text))
    json.dumps(readout.to_dict())  # the output serialises


def analyze_quietly(model: StanceModel, text: str) -> Readout:
    """Analyse; the only warning allowed is the one about non-English text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        readout = model.analyze(text)
    assert all(issubclass(w.category, LanguageWarning) for w in caught), [str(w.message) for w in caught]
    return readout


class MarkerNetwork(torch.nn.Module):
    """Speaker (B) with a demand on each ``marker`` token, a demand cue on each ``cue`` token, nothing else."""

    def __init__(self, marker: int, cue: int) -> None:
        super().__init__()
        self.marker, self.cue = marker, cue

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        hit, cue = (input_ids == self.marker).float(), (input_ids == self.cue).float()
        zero = torch.zeros_like(hit)
        return {
            "speaker_logits": torch.stack([10 * (1 - hit), 10 * hit, zero], -1),
            "stance_logits": torch.stack([10 * hit - 5, zero - 10, zero - 10], -1),
            "cue_logits": torch.stack([10 * (1 - cue), 10 * cue, zero, zero, zero, zero, zero], -1),
        }


@pytest.fixture(scope="module")
def lenient(tiny_model) -> StanceModel:
    """The tiny random model keeping every candidate statement (threshold 0)."""
    return StanceModel(tiny_model.network, tiny_model.tokenizer, tiny_model.config, tiny_model.registry, threshold=0)


@pytest.fixture(scope="module")
def marker_model(tiny_model) -> StanceModel:
    tok = tiny_model.tokenizer
    network = MarkerNetwork(tok.convert_tokens_to_ids("minister"), tok.convert_tokens_to_ids("urged"))
    return StanceModel(network, tok, dict(tiny_model.config), tiny_model.registry)


def marker_offsets(model: StanceModel, text: str) -> list[tuple[int, int]]:
    """Offsets of the marker tokens in the full tokenization of ``text`` (no truncation)."""
    enc = model.tokenizer(encodable(text), return_offsets_mapping=True, verbose=False)
    marker = model.network.marker
    return [tuple(o) for i, o in zip(enc["input_ids"], enc["offset_mapping"], strict=True) if i == marker]


# splitting ---------------------------------------------------------------------------------------


@settings(max_examples=4000, **SETTINGS)
@given(text=TEXTS)
@example(text="A\xa0.")  # sentencex 1.0.32 panics (a Rust panic, a BaseException) on these
@example(text="The plan B\u2003. It failed.")
@example(text="a\ud800b. c")  # lone surrogate: sentencex raised UnicodeEncodeError
def test_split_offsets_cover_the_text_for_any_input(text):
    spans = split_offsets(text)
    covered = bytearray(len(text))
    previous_end = 0
    for a, b in spans:
        assert previous_end <= a < b <= len(text)
        piece = text[a:b]
        assert piece == piece.strip()
        assert not any(c in piece for c in "\n\r\u2028\u2029")  # line breaks are hard boundaries
        covered[a:b] = b"\x01" * (b - a)
        previous_end = b
    assert all(covered[k] or c.isspace() for k, c in enumerate(text))


@pytest.mark.parametrize("space", sorted({c for c in map(chr, range(0x80, 0x3001)) if c.isspace()}), ids=ascii)
def test_unicode_spaces_before_a_full_stop_do_not_crash_the_splitter(space, lenient):
    """Regression: "A<no-break space>." made sentencex panic through every ``except Exception``."""
    text = f"Annex A{space}. Lavrov urged Kyiv{space}to negotiate."
    check_readout(text, analyze_quietly(lenient, text))


def test_splitter_fallback_keeps_offsets_when_the_segmenter_changes_the_text(monkeypatch):
    """Regression: when the segmenter returned text not found in the line, the rest of the line got
    offsets that ignored its leading spaces (text[start:end] was not the sentence)."""
    import sentencex

    monkeypatch.setattr(sentencex, "segment", lambda lang, chunk: ["First one.", chunk[10:].upper()])
    text = "First one.   second one, changed by the segmenter"
    spans = split_offsets(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "second one, changed by the segmenter"]


# analysis ----------------------------------------------------------------------------------------


@settings(max_examples=2500, **SETTINGS)
@given(text=TEXTS)
@example(text="")
@example(text=" \t\n\r\x0b\x0c\u2028\u3000 ")
@example(text="\x00\x01\x02\x1b[31m\x7f")
@example(text="Lavrov\ud800 urged Kyiv to negotiate.\udfff")
def test_analyze_any_text_never_raises_and_offsets_index_the_input(lenient, text):
    check_readout(text, analyze_quietly(lenient, text))


LONG = st.lists(st.tuples(WORDS | st.just("minister") | st.text(ANY, max_size=4), SEPARATORS), max_size=300).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)

#: hypothesis keeps lists short; repeating a drawn text (and a tail) makes many windows common
REPEATED = st.tuples(LONG, st.integers(1, 12), LONG).map(lambda t: t[0] * t[1] + t[2])


@settings(max_examples=1500, **SETTINGS)
@given(
    texts=st.lists(REPEATED, min_size=1, max_size=4),
    max_length=st.integers(8, 48),
    stride_share=st.integers(0, 100),
    batch_size=st.integers(1, 3),
)
def test_windows_see_every_token_of_long_sentences(marker_model, texts, max_length, stride_share, batch_size):
    """Past max_length a sentence is cut into overlapping windows; no speaker may be lost or invented."""
    stride = (max_length - 3) * stride_share // 100  # the tokenizer needs stride < max_length - 2
    config, size = marker_model.config, marker_model.batch_size
    marker_model.config = {**config, "max_length": max_length, "stride": stride}
    marker_model.batch_size = batch_size
    try:
        raw = marker_model.raw_predict(texts)
    finally:
        marker_model.config, marker_model.batch_size = config, size
    for text, found in zip(texts, raw, strict=True):
        assert [(r.start, r.end) for r in found] == marker_offsets(marker_model, text)
        assert {r.stance for r in found} <= {"demand"}


@settings(max_examples=1500, **SETTINGS)
@given(text=st.one_of(LONG, SOUP))
def test_analyze_finds_every_marked_speaker_at_its_offsets(marker_model, text):
    """Every marked token is a speaker, widened to its whole word ("ministerLavrov")."""
    readout = analyze_quietly(marker_model, text)
    check_readout(text, readout)
    for s in readout.sentences:
        words = sorted({snap_to_words(s.text, a, b) for a, b in marker_offsets(marker_model, s.text)})
        assert sorted({(st_.speaker_start, st_.speaker_end) for st_ in s.statements}) == words


def test_a_long_sentence_keeps_its_speakers_past_the_maximum_length(marker_model):
    sentence = " ".join(["the talks went on without a result"] * 150 + ["and the minister urged calm."])
    assert len(marker_model.tokenizer(sentence, verbose=False)["input_ids"]) > 8 * marker_model.config["max_length"]
    readout = analyze_quietly(marker_model, sentence)
    assert len(readout.sentences) == 1
    [statement] = readout.sentences[0].statements
    assert (statement.speaker, statement.cue) == ("minister", "urged")
    assert statement.speaker_start == sentence.index("minister")


def test_a_one_megabyte_readout(marker_model):
    lines = (ROOT / "training/data/train.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    parts, size, k = [], 0, 0
    while size < 1_000_000:
        piece = texts[k % len(texts)] + ("\n" if k % 12 == 11 else " ")
        if k % 150 == 0:
            piece = "The minister urged calm. " + piece
        parts.append(piece)
        size, k = size + len(piece), k + 1
    text = "".join(parts)[:999_960] + "\nAt last the minister urged calm."
    assert len(text.encode()) >= 1_000_000
    readout = analyze_quietly(marker_model, text)
    check_readout(text, readout)
    found = sum(len({(st_.speaker_start, st_.speaker_end) for st_ in s.statements}) for s in readout.sentences)
    assert found == sum(len(marker_offsets(marker_model, s.text)) for s in readout.sentences) > 200
    last = readout.sentences[-1]
    assert last.text == "At last the minister urged calm." and last.statements  # nothing is cut at the end


def test_lone_surrogates_reach_the_tokenizer_as_replacement_characters(lenient, marker_model):
    """Regression: a lone surrogate made the tokenizer raise TypeError; now it reads U+FFFD, offsets unchanged."""
    text = "The minister\ud83d urged calm."
    [[statement]] = marker_model.predict([Sentence("d", 0, text)])
    assert (statement.speaker, statement.speaker_start) == ("minister", 4)
    check_readout(text, analyze_quietly(lenient, text))


def test_sentences_with_the_same_key_keep_their_own_statements(marker_model):
    """Regression: predict() keyed results by (doc_id, sent_index), so a repeated key gave one
    sentence the statements (and offsets) of the other."""
    sentences = [Sentence("d", 0, "The minister urged calm."), Sentence("d", 0, "Talks ended, and a minister left.")]
    for sentence, statements in zip(sentences, marker_model.predict(sentences), strict=True):
        assert [(s.speaker_start, s.speaker) for s in statements] == [(sentence.text.index("minister"), "minister")]


# language ----------------------------------------------------------------------------------------

NON_ENGLISH = {
    "fr": "Le ministre des Affaires étrangères a exhorté Moscou à cesser les hostilités et à revenir à la table "
    "des négociations. Il a également critiqué la décision de Pékin d'imposer de nouveaux droits de douane.",
    "de": "Der Außenminister forderte Moskau auf, die Kampfhandlungen einzustellen und an den Verhandlungstisch "
    "zurückzukehren. Er kritisierte zudem die Entscheidung Pekings, neue Zölle auf europäische Waren zu erheben.",
    "es": "El ministro de Asuntos Exteriores instó a Moscú a cesar las hostilidades y volver a la mesa de "
    "negociaciones. También criticó la decisión de Pekín de imponer nuevos aranceles a los productos europeos.",
    "ru": "Министр иностранных дел призвал Москву прекратить боевые действия и вернуться за стол переговоров.",
    "zh": "外交部长敦促莫斯科停止敌对行动，重返谈判桌。他还批评了北京对欧洲产品征收新关税的决定。",
    "ar": "حث وزير الخارجية موسكو على وقف الأعمال العدائية والعودة إلى طاولة المفاوضات.",
}


@pytest.mark.parametrize("lang", sorted(NON_ENGLISH))
def test_non_english_text_gives_a_clear_warning_and_no_crash(lenient, lang):
    text = NON_ENGLISH[lang]
    with pytest.warns(LanguageWarning, match="does not look English.*translate it first"):
        readout = lenient.analyze(text)
    check_readout(text, readout)


def test_english_readouts_give_no_language_warning(lenient):
    docs: dict[str, list[str]] = {}
    for name in ("training/data/train.jsonl", "training/data/dev.jsonl", "eval/data/seed_gold.jsonl"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            docs.setdefault(record["doc_id"], []).append(record["text"])
    assert [d for d, texts in docs.items() if language_problem(" ".join(texts))] == []
    assert [t for texts in docs.values() for t in texts if language_problem(t)] == []  # nor any single sentence
    seed = (ROOT / "eval/data/seeds/2025-07-brussels.txt").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LanguageWarning)
        lenient.analyze(seed)
