"""Training-time augmentation: the names of people who speak, swapped for names from elsewhere.

A tagger that learns from a few hundred named diplomats can learn the names instead of the
syntax that makes someone the holder of a stance, and then misses ministers it has never
read about. :func:`swap_names` replaces each speaking person's full name and surname, in
every place the sentence uses them, with a name drawn from a pool that spans regions, and
moves the speaker and cue offsets with the text. Stances, targets and spans are unchanged.

>>> import random
>>> s = Statement("Lavrov", 0, 6, "Sergey Lavrov", "Russia", "demand", "Ukraine",
...               cue="urged", cue_start=7, cue_end=12)
>>> sent = Sentence("d", 0, "Lavrov urged Kyiv to talk, Sergey Lavrov said.", [s])
>>> out = swap_names(sent, random.Random(3))
>>> out.text
'Suleiman urged Kyiv to talk, Bongani Suleiman said.'
>>> st = out.statements[0]
>>> out.text[st.speaker_start:st.speaker_end], st.actor, out.text[st.cue_start:st.cue_end]
('Suleiman', 'Bongani Suleiman', 'urged')
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from stancekit.records import Sentence, Statement

GIVEN_NAMES: tuple[str, ...] = tuple(
    """Amara Tomasz Yusuf Ingrid Kwame Haruto Leila Mateus Svetlana Ravi Nomvula Bakyt Farida Joaquín Aigerim
    Tendai Mehmet Oksana Thabo Naledi Arjun Keiko Dariusz Zainab Olusegun Mariam Teodor Dilnoza Rashid Camila
    Bongani Petra Hamid Soraya Kenji Rustam Ifeoma Goran Lucía Sandeep Emeka Vusi Yelena Ahmadou Fatima Nasser
    Paulo Katarzyna Tariq Ngozi Bolat Efraín Sina Maile Aroha Tevita Ana Jorge Ewa Lars Aiko Omar Salma Kofi""".split()  # noqa: SIM905
)
SURNAMES: tuple[str, ...] = tuple(
    """Okonkwo Mbeki Nakashima Haddad Kowalczyk Barzani Tiwari Ochieng Ferreira Lindqvist Abdullayev Castellanos
    Petrenko Dlamini Karimov Nurlanov Suleiman Otieno Rahimi Vasquez Adeyemi Kuznetsov Sato Hashemi Mwangi Banda
    Chowdhury Qureshi Tanaka Moreau Novak Gashi Bekele Tesfaye Nguyen Siregar Santoso Kariuki Diallo Traoré Cissé
    Ndiaye Ramírez Herrera Sokolov Yilmaz Demir Khalil Farouk Osei Mensah Boateng Kamau Rojas Molina Kovač Horvath
    Jensen Sahin Ito Pham Park Zhou Wen Lee Kim Xu""".split()  # noqa: SIM905
)
_NOT_A_PERSON = re.compile(
    r"\b(ministry|council|union|government|office|house|commission|bank|fund|party|forces|army|officials?|"
    r"spokes\w+|agency|committee|department|embassy|delegation|side|state|states|republic|kingdom|league)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*$")


def _draw(rng: random.Random) -> str:
    """A new full name from the pools."""
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}"


def speaking_people(sentence: Sentence) -> dict[str, str]:
    """``{full name: surname}`` of the people whose surname names a speaker of ``sentence``.

    A person is an actor of two or more capitalised words that is not a party or an
    institution, whose last word appears as a word of the speaker span ("Lavrov" for
    "Sergey Lavrov"). Names written surname first ("Wang" for "Wang Yi") are left alone.

    >>> s = Statement("Foreign Minister Lavrov", 0, 23, "Sergey Lavrov", "Russia", "demand")
    >>> speaking_people(Sentence("d", 0, "Foreign Minister Lavrov urged talks.", [s]))
    {'Sergey Lavrov': 'Lavrov'}
    """
    people = {}
    for st in sentence.statements:
        words = st.actor.split()
        if (
            len(words) >= 2
            and all(_NAME_WORD.match(w) for w in words)
            and st.actor != st.party
            and not _NOT_A_PERSON.search(st.actor)
            and words[-1] in re.findall(r"[\w'’.-]+", st.speaker)
        ):
            people[st.actor] = words[-1]
    return people


def swap_names(sentence: Sentence, rng: random.Random, names: dict[str, str] | None = None) -> Sentence:
    """``sentence`` with each speaking person renamed (see :func:`speaking_people`).

    ``names`` (``{full name: new full name}``) is shared between calls to rename people
    the same way across a readout: its people are renamed wherever they appear, and new
    speaking people are added to it. Returns the sentence unchanged when nobody qualifies
    or when a span boundary would fall inside a replaced name.
    """
    names = {} if names is None else names
    for full in speaking_people(sentence):
        if full not in names:
            names[full] = _draw(rng)
    new: dict[str, str] = {}
    for full, renamed in names.items():
        new[full] = renamed
        new.setdefault(full.split()[-1], renamed.split()[-1])
    if not new:
        return sentence
    alternatives = "|".join(map(re.escape, sorted(new, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w'’-])({alternatives})(?![\w-])")
    # each replaced name: (start, end, length change, where its surname starts, where the new surname starts)
    text, pieces, moves, pos, shift = sentence.text, [], [], 0, 0
    for m in pattern.finditer(text):
        old, renamed = m.group(1), new[m.group(1)]
        pieces += [text[pos : m.start()], renamed]
        delta = len(renamed) - len(old)
        surname_at = m.end() - len(old.split()[-1])
        moves.append((m.start(), m.end(), delta, surname_at, m.end() + shift + delta - len(renamed.split()[-1])))
        shift += delta
        pos = m.end()
    pieces.append(text[pos:])

    def moved(offset: int | None) -> int | None:
        if offset is None:
            return None
        total = 0
        for a, b, delta, surname_at, new_surname_at in moves:
            if a < offset < b:  # a span may start at the surname inside a full name, nowhere else
                if offset != surname_at:
                    raise ValueError(offset)
                return new_surname_at
            if b <= offset:
                total += delta
        return offset + total

    out_text = "".join(pieces)
    statements: list[Statement] = []
    try:
        for st in sentence.statements:
            a, b = moved(st.speaker_start), moved(st.speaker_end)
            ca, cb = moved(st.cue_start), moved(st.cue_end)
            statements.append(
                replace(
                    st,
                    speaker=out_text[a:b],
                    speaker_start=a,
                    speaker_end=b,
                    actor=new.get(st.actor, st.actor),
                    cue=out_text[ca:cb] if ca is not None and cb is not None else st.cue,
                    cue_start=ca,
                    cue_end=cb,
                )
            )
    except ValueError:
        return sentence
    return replace(sentence, text=out_text, statements=statements)


def augment_names(sentences: list[Sentence], rate: float, seed: int) -> list[Sentence]:
    """A copy of ``sentences`` where each sentence is renamed with probability ``rate``.

    Deterministic for a seed; the order and the number of sentences are kept.

    >>> s = Statement("Lavrov", 0, 6, "Sergey Lavrov", "Russia", "demand")
    >>> sents = [Sentence("d", i, "Lavrov urged talks.", [s]) for i in range(4)]
    >>> [x.text.split()[0] for x in augment_names(sents, 0.5, seed=0)]
    ['Lavrov', 'Lavrov', 'Kim', 'Park']
    """
    rng = random.Random(seed)
    return [swap_names(s, rng) if rng.random() < rate else s for s in sentences]


def rename_readouts(sentences: list[Sentence], seed: int) -> list[Sentence]:
    """Every sentence with the speaking people of its readout (``doc_id``) renamed consistently.

    A test set of people the model has never read about: the same readouts, the same
    labels, other names.

    >>> a = Statement("Lavrov", 0, 6, "Sergey Lavrov", "Russia", "demand")
    >>> doc = [Sentence("d", 0, "Sergey Lavrov arrived."), Sentence("d", 1, "Lavrov urged talks.", [a])]
    >>> [s.text for s in rename_readouts(doc, seed=0)]
    ['Ngozi Rojas arrived.', 'Rojas urged talks.']
    """
    rng = random.Random(seed)
    names_of: dict[str, dict[str, str]] = {}
    for s in sentences:
        names = names_of.setdefault(s.doc_id, {})
        for full in speaking_people(s):
            names.setdefault(full, _draw(rng))
    return [swap_names(s, rng, names_of[s.doc_id]) for s in sentences]
