"""Document-level resolution of speakers to actors and parties, and of targets.

The model finds speaker spans and stances; this module decides *who* a span is
(``She`` -> the person last speaking, ``Beijing`` -> China, ``the bloc's top
diplomat`` -> the registry's holder of that title) and *whom* a statement is
aimed at, reading the earlier (and, for descriptions, later) sentences of the
same readout.

>>> from stancekit.registry import ActorRegistry
>>> doc = DocumentResolver(ActorRegistry.default(), ["Foreign Minister Wang Yi met Kaja Kallas.",
...                                                   "He urged Brussels to drop tariffs."])
>>> doc.resolve_speaker(1, 0, 2)
('Wang Yi', 'China')
>>> doc.resolve_target(1, "demand", "China", cue_end=9)
['EU']
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from stancekit.records import Sentence, Statement, group_readouts
from stancekit.registry import ActorRegistry, _key
from stancekit.titles import (
    GENERIC_GROUPS,
    GENERIC_PEOPLE,
    INSTITUTION_HEADS,
    NOT_NAME,
    OFFICE_WORDS,
    ORG_WORDS,
    PERSON_TITLES,
    RANK_MODIFIERS,
    head_word,
    in_title_run,
    is_title,
    title_words,
)

PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
PRONOUNS_GROUP = {"it", "they", "we", "its", "their"}
DETERMINERS = ("the ", "a ", "an ", "both ", "this ", "that ")
_JOINT = re.compile(
    r"^(?:both|(?P<n>two|three|four)) (?P<head>sides|leaders|ministers|foreign ministers|presidents|"
    r"countries|governments|delegations|parties|nations|capitals)$|^both (?P<head2>\w+)$"
)
_NUMBERS = {"two": 2, "three": 3, "four": 4}
_PERSON_GROUP_HEADS = {"leaders", "ministers", "foreign ministers", "presidents"}
_NAME = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:\s+(?:(?:von|der|van|de|da|di|bin|al|el|la|le|du|dos)\s+|[A-Z]\.\s+)*"
    r"(?:(?:al|el|ad|as|ash|abu|ibn|bin|de|di|da)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]*)+"
)
#: reporting verbs after a trailing speaker ("..., Wang Yi said.")
_TRAILING_SPEAKER = re.compile(
    r",\s+((?:[A-Z][\w.’'\-]*\s+){0,5}[A-Z][\w’'\-]*),?\s+(?:said|says|added|noted|stressed|told)\b"
)
#: what may stand between two coordinated parties ("Kyiv and the United States", "A, B")
_JOINED = re.compile(r"\s*,?\s*(?:(?:and|as well as)\s+)?(?:the\s+)?")
_NEXT_WORD = re.compile(r"\s+([\w’'.\-]+)")
#: how many sentences back a pronoun or a joint "They" may look
LOOKBACK = 3
_LEADING_NP = re.compile(
    r"(?:(?:The|the)\s+)?(?:[A-Z][\w.’'\-]*|of|and|for|the)(?:\s+(?:[A-Z][\w.’'\-]*|of|and|for|the))*"
)
_CUE_SPLIT = re.compile(r"\b(?:while|whereas|but)\b|;")
#: a demand addressed to a pair named as a pair: "urged both sides to", "called on the two countries to"
_PAIR_ADDRESSEE = re.compile(
    r"\s*(?:on\s+|upon\s+)?(?:both|the\s+two)\s+"
    r"(?:sides|countries|parties|nations|governments|neighbou?rs|leaders|capitals)\b",
    re.IGNORECASE,
)


@dataclass
class Mention:
    """A name found in a sentence: a person (``actor``) or a party."""

    sent: int
    start: int
    end: int
    actor: str
    party: str | None
    person: bool
    titles: frozenset[str] = frozenset()


def _strip_det(text: str) -> str:
    low = text.lower()
    for det in DETERMINERS:
        if low.startswith(det):
            return text[len(det) :]
    return text


def _tokens(name: str) -> list[str]:
    return _key(name).replace("-", " ").split()


class DocumentResolver:
    """Resolve speakers and targets within one readout.

    Args:
        registry: the actor registry.
        sentences: the readout's sentence texts, in order.
    """

    def __init__(self, registry: ActorRegistry, sentences: list[str]) -> None:
        self.registry = registry
        self.sentences = sentences
        self.mentions = [self._scan(i, t) for i, t in enumerate(sentences)]
        self.speakers: dict[int, list[tuple[str, str | None, bool]]] = {}

    # scanning -------------------------------------------------------------
    def _scan(self, i: int, text: str) -> list[Mention]:
        reg, found = self.registry, []
        for m in reg.mention_pattern.finditer(text):
            s = m.group()
            entry = reg.actor(s)
            if entry is not None and entry.person:
                found.append(Mention(i, m.start(), m.end(), entry.actor, entry.party, True))
                continue
            party = reg.party_of_name(s) or reg.party_of_demonym(s)
            if party is not None:
                found.append(Mention(i, m.start(), m.end(), reg.party_actor(party), party, False))
        registered = list(found)
        name_start = {id(m): m.start for m in found}
        for m in _NAME.finditer(text):
            parts = [(m.start() + w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
            # "... of the Russian Federation Oksana Santoso": a party's registered name is not part of the person's
            while parts and (
                self._not_name(parts[0][1]) or any(not x.person and x.start <= parts[0][0] < x.end for x in registered)
            ):
                parts.pop(0)
            while parts and parts[-1][1].lower() in PERSON_TITLES:
                parts.pop()
            # "Health Minister Aaron Motsoaledi", "Colonel Amadou Abdramane": the name follows the title
            titled = [k for k, (_, w) in enumerate(parts[:-2]) if is_title(w)]
            if titled:  # keep two name words: "Sultan Raev", "Federico Mayor Zaragoza"
                parts = parts[titled[-1] + 1 :]
            if len(parts) < 2 or any(w.lower() in ORG_WORDS for _, w in parts):
                continue
            start, last = parts[0][0], parts[-1][1]
            end = parts[-1][0] + len(last) - (2 if last.endswith(("’s", "'s")) else 0)
            inside = [x for x in registered if x.start < end and start < x.end]
            other = [
                x for x in inside if x.person and start < x.start and not self._same_person(x, text[start : x.start])
            ]
            if other:
                # "Amna Baloch" is not the registry's "Mumtaz Zahra Baloch", whose alias is "Baloch"
                found = [x for x in found if x not in other]
                registered = [x for x in registered if x not in other]
                inside = [x for x in inside if x not in other]
            if inside:
                # "Antony J. Blinken" around the registry's "Blinken": titles come before the full name
                for x in inside:
                    if x.person and start < x.start:
                        name_start[id(x)] = min(name_start[id(x)], start)
                continue
            name = text[start:end]
            found.append(Mention(i, start, end, name, self._context_party(text, start, end, found), True))
            name_start[id(found[-1])] = start
        found.sort(key=lambda m: m.start)
        for m in found:
            if m.person:
                # the titles of a name start after the previous person's name
                left = max((x.end for x in found if x.person and x.end <= name_start[id(m)]), default=0)
                right = min((name_start[id(x)] for x in found if x.person and x.start >= m.end), default=None)
                m.titles = title_words(text, name_start[id(m)], m.end, left=left, right=right)
        return found

    def _same_person(self, mention: Mention, before: str) -> bool:
        """Whether the capitalised words ``before`` a registry mention leave it naming that person.

        "Amna" before the alias "Baloch" names someone else; titles ("Economy Minister",
        "Vice-President") and the person's own names ("Seyed Abbas") do not.
        """
        words = before.split()
        if not words or len(_tokens(self.sentences[mention.sent][mention.start : mention.end])) > 1:
            return True  # a full name stays itself ("Seyed Sergey Lavrov")
        entry = self.registry.actor(mention.actor)
        forms = [entry.actor, *entry.aliases] if entry else [mention.actor]
        known = {t for form in forms for t in _tokens(form)}
        keys = [_key(w).strip(".") for w in words]
        if any(k in known for k in keys):
            return True
        last = next((k for k in reversed(keys) if len(k) > 1), "")  # skip initials ("Antony J.")
        return any(p in PERSON_TITLES or p.rstrip("s") in PERSON_TITLES or p in NOT_NAME for p in last.split("-"))

    def _not_name(self, word: str) -> bool:
        bare = word.strip("’'.").lower()
        reg = self.registry
        return bare in NOT_NAME or reg.party_of_name(word) is not None or reg.party_of_demonym(word) is not None

    def _context_party(self, text: str, start: int, end: int, found: list[Mention]) -> str | None:
        """Party of an unregistered name from the title before it or an apposition after it."""
        left = [m for m in found if not m.person and start - 60 <= m.start < start and "," not in text[m.end : start]]
        if left:
            return left[-1].party
        after = text[end : end + 60]
        if after.startswith(" of "):
            right = [m for m in found if not m.person and m.start == end + 4]
            if right:
                return right[0].party
        if after.startswith(", "):
            stop = after.find(",", 2)
            window = (end, end + (stop if stop > 0 else len(after)))
            right = [m for m in found if not m.person and window[0] <= m.start < window[1]]
            if right:
                return right[0].party
        return None

    # speakers -------------------------------------------------------------
    def _persons_before(self, i: int, pos: int) -> list[Mention]:
        out = [m for j in range(i) for m in self.mentions[j] if m.person]
        return out + [m for m in self.mentions[i] if m.person and m.end <= pos]

    def record_speaker(self, i: int, actor: str, party: str | None, person: bool) -> None:
        """Remember a resolved speaker so later pronouns can refer to it."""
        self.speakers.setdefault(i, []).append((actor, party, person))

    def _last_speaker(self, i: int, person: bool) -> tuple[str, str | None] | None:
        for j in range(i, max(-1, i - LOOKBACK), -1):
            for actor, party, is_person in reversed(self.speakers.get(j, [])):
                if is_person == person:
                    return actor, party
        return None

    def _antecedent(self, i: int, pos: int) -> tuple[str, str | None] | None:
        """The person a "he"/"she" at ``pos`` of sentence ``i`` refers to.

        Sentence by sentence backwards (this one, then up to ``LOOKBACK`` before): the last
        person recorded as speaking there, else that sentence's subject ("Sergey Lavrov
        noted ...", "The Foreign Secretary met ...", "..., Wang Yi said."). A sentence whose
        subject is itself "He" passes the search on to the sentence before it.
        """
        j, left = i, LOOKBACK + 1
        while j >= 0 and left > 0:
            spoken = [(a, p) for a, p, person in self.speakers.get(j, []) if person]
            if spoken:
                return spoken[-1]
            subject = self._subject(j, pos if j == i else len(self.sentences[j]))
            if subject not in (None, "pronoun"):
                return subject
            left = LOOKBACK + 1 if subject == "pronoun" and j < i else left - 1
            j -= 1
        return None

    def _subject_spans(self, j: int) -> list[tuple[int, int]]:
        """Candidate subject spans of sentence ``j``: its opening noun phrase (also after an
        introductory "On Tuesday, "), a possessive one with the name after it ("Trump's envoy
        Steve Witkoff"), and a trailing speaker (", Wang Yi said")."""
        text = self.sentences[j]
        spans = []
        intro = re.match(r"(?:[^,]{0,40},\s+)?", text).end()
        for at in dict.fromkeys((0, intro)):
            np = _LEADING_NP.match(text, at)
            if not np or np.end() == np.start():
                continue
            end = np.end()
            if text[np.start() : end].endswith(("'s", "’s")):  # the possessor is not the subject
                while (word := _NEXT_WORD.match(text, end)) and in_title_run(word.group(1)):
                    end = word.end()
            # "Ramaphosa, who had come to Washington, replied ...": a name opening the sentence
            if re.match(r"\s+[a-z]", text[end:]) or (at == 0 and text[end:].startswith(",")):
                spans.append((np.start(), end))
        pron = re.match(r"(?:[^,]{0,40},\s+)?(he|she)\s+[a-z]", text, re.IGNORECASE)
        if pron:
            spans.append(pron.span(1))
        spans += [m.span(1) for m in _TRAILING_SPEAKER.finditer(text)]
        return list(dict.fromkeys(spans))

    def _subject(self, j: int, limit: int) -> tuple[str, str | None] | str | None:
        """The person who is the subject of sentence ``j`` (before ``limit``); ``"pronoun"``
        when the subject is "he"/"she" (look further back); None when no person is."""
        text, pronoun = self.sentences[j], False
        for a, b in self._subject_spans(j):
            if b > limit:
                continue
            if _key(text[a:b]) in PRONOUNS_PERSON:
                pronoun = True
                continue
            named = [m for m in self.mentions[j] if m.person and a <= m.start and m.end <= b]
            if named:  # "Vice Foreign Minister Sun Weidong told ..."
                return named[-1].actor, named[-1].party
            actor, party, person = self._resolve(j, a, b)
            if person:
                return actor, party
        return "pronoun" if pronoun else None

    def _person_party(self, name: str) -> str | None:
        entry = self.registry.actor(name)
        if entry is not None:
            return entry.party
        for ms in self.mentions:
            for m in ms:
                if m.person and m.actor == name and m.party:
                    return m.party
        return None

    def resolve_speaker(self, i: int, start: int, end: int) -> tuple[str, str | None]:
        """Canonical ``(actor, party)`` for the span ``[start, end)`` of sentence ``i``."""
        actor, party, person = self._resolve(i, start, end)
        self.record_speaker(i, actor, party, person)
        return actor, party

    def _resolve(self, i: int, start: int, end: int) -> tuple[str, str | None, bool]:
        reg, span = self.registry, self.sentences[i][start:end]
        bare = _strip_det(span.strip())
        key = _key(bare)
        if key in PRONOUNS_PERSON:
            last = self._antecedent(i, start)
            if last is None:
                before = self._persons_before(i, start)
                if before:
                    last = (before[-1].actor, before[-1].party)
            return (*last, True) if last else (span, None, True)
        if key in PRONOUNS_GROUP:
            last = self._last_speaker(i, person=False)
            if last:
                return (*last, False)
            home = self.home_party(i)
            return (reg.party_actor(home), home, False) if home else (span, None, False)
        party = reg.party_of_name(bare)
        if party is not None and reg.actor(bare) is None:  # "China", not a name containing it
            return reg.party_actor(party), party, False
        # a person named in the document (full name or part of it), without the titles before it
        toks = _tokens(bare)
        name = list(itertools.dropwhile(lambda t: is_title(t) or t in NOT_NAME, toks))
        for candidate in (toks, name) if name and name != toks else (toks,):
            named = self._match_person(i, start, candidate)
            if named is not None:
                return named, self._person_party(named), True
            entry = reg.actor(" ".join(candidate))
            if entry is not None:
                return entry.actor, entry.party, entry.person
        if party is not None:
            return reg.party_actor(party), party, False
        inside = [m for m in self.mentions[i] if start <= m.start and m.end <= end]
        span_party = next((m.party for m in inside if not m.person), None)
        text = self.sentences[i]
        last = next((m for m in reversed(inside) if m.person), None)
        if (
            last is not None
            and all(in_title_run(w) for w in text[start : last.start].split())
            and set(_tokens(text[last.end : end])) <= set(_tokens(last.actor))  # "President Xi| Jinping"
        ):
            return last.actor, last.party, True  # "Chinese President Xi Jinping": titles, then the person
        words = _key(bare).split()  # hyphens kept: "secretary-general" is one office
        head = head_word(words)
        if (head in GENERIC_PEOPLE and span.strip().lower().startswith(("a ", "an "))) or head in GENERIC_GROUPS:
            # "a White House official", "Chinese officials": the institution, not a person;
            # "a ministry spokesperson": the side speaking in the readout
            side = span_party or self.home_party(i)
            if side is not None:
                return reg.party_actor(side), side, False
        if head in PERSON_TITLES or is_title(head) or " ".join(words[-2:]) in PERSON_TITLES:
            named = self._titled_person(i, start, span_party, head, bare)
            if named is not None:
                return named, self._person_party(named) or span_party, True
            titled = reg.actors_with_title(bare)
            if titled:
                doc_names = {m.actor for ms in self.mentions for m in ms}
                best = next((e for e in titled if e.actor in doc_names), titled[0])
                return best.actor, best.party, True
            described = self._described_person(i, start, span_party)
            if described is not None:
                return described, self._person_party(described) or span_party, True
        if span_party is None and head in INSTITUTION_HEADS:
            # "Netanyahu's office": the party of the person it belongs to
            span_party = next((m.party for m in inside if m.person and m.party), None)
        if span_party is not None:
            return reg.party_actor(span_party), span_party, False
        if head in INSTITUTION_HEADS:
            home = self.home_party(i)
            if home is not None:
                return reg.party_actor(home), home, False
        return bare, None, False

    def _match_person(self, i: int, start: int, toks: list[str]) -> str | None:
        """The person whose full name contains ``toks``: the latest before the span, else the first after."""
        if not toks or len(toks) > 4:
            return None
        n = len(toks)

        def named(m: Mention) -> bool:
            full = _tokens(m.actor)
            return any(full[k : k + n] == toks for k in range(len(full) - n + 1))

        before = self._persons_before(i, start + 1)
        later = (m for j in range(i, len(self.mentions)) for m in self.mentions[j] if m.person)
        found = next((m for m in reversed(before) if named(m)), None) or next(filter(named, later), None)
        return found.actor if found else None

    def _titled_person(self, i: int, start: int, party: str | None, head: str, description: str) -> str | None:
        """The earlier person introduced with the title that best matches ``description``."""
        words = set(_key(description).split())
        before = self._persons_before(i, start)
        titles: dict[str, frozenset[str]] = {}
        for m in before:
            titles[m.actor] = titles.get(m.actor, frozenset()) | m.titles
        # every title word of the description must be one of the person's ("foreign minister")
        wanted = words & (OFFICE_WORDS | RANK_MODIFIERS)
        titled = [
            (len(words & titles[m.actor]), k, m)
            for k, m in enumerate(before)
            if head in titles[m.actor] and wanted <= titles[m.actor] and (party is None or m.party == party)
        ]
        # "the Prime Minister" is not the Deputy Prime Minister when both were named
        same_rank = [x for x in titled if not (titles[x[2].actor] & RANK_MODIFIERS) - words]
        titled = same_rank or titled
        # "The Secretary" is the Secretary of State, not the Secretary of Foreign Affairs named after him
        return (
            max(titled, key=lambda x: (x[0] - len((titles[x[2].actor] & OFFICE_WORDS) - words), x[1]))[2].actor
            if titled
            else None
        )

    def _described_person(self, i: int, start: int, party: str | None) -> str | None:
        """The person an untitled description most likely means: the last person speaking (of
        ``party``), else the last named before, else the first named after."""
        last = self._last_speaker(i, person=True)
        if last and (party is None or last[1] == party):
            return last[0]
        persons = self._persons_before(i, start)
        before = [m for m in persons if party is None or m.party == party]
        if before:
            return before[-1].actor
        # "The Russian minister" after "Foreign Minister Ana Petrova held talks in Moscow": a person the
        # registry does not know and whose side the text did not say is the likeliest holder of the office
        unplaced = [m for m in persons if m.party is None and self.registry.actor(m.actor) is None]
        if party is not None and unplaced:
            return unplaced[-1].actor
        after = [
            m
            for j in range(i, len(self.mentions))
            for m in self.mentions[j]
            if m.person and (j > i or m.start > start) and (party is None or m.party == party)
        ]
        return after[0].actor if after else None

    def home_party(self, i: int) -> str | None:
        """The side an unnamed institution speaks for: the last speaker's party, else the first party named."""
        for j in range(i, max(-1, i - LOOKBACK - 1), -1):
            for _, party, _ in reversed(self.speakers.get(j, [])):
                if party:
                    return party
        for ms in self.mentions:
            for m in ms:
                if m.party:
                    return m.party
        return None

    def joint_participants(self, i: int, start: int, end: int) -> list[tuple[str, str | None]] | None:
        """The sides behind "both sides", "the two leaders", "the three ministers"; None if not joint.

        Also "Ministers from Saudi Arabia and the UAE" (one side per party named), and "They"
        right after a sentence where several sides spoke.
        """
        key = _key(self.sentences[i][start:end])
        if key == "they":
            return self._last_sides(i)
        named = self._coordinated_parties(i, start, end)
        if named:
            return named
        m = _JOINT.match(key)
        if not m:
            return None
        head = m.group("head") or m.group("head2") or ""
        n = _NUMBERS.get(m.group("n") or "", 2)
        if head in _PERSON_GROUP_HEADS:
            # "the two leaders": the last people named, one per party
            chosen: list[tuple[str, str | None]] = []
            for x in reversed(self._persons_before(i, start)):
                if x.party and all(x.party != p for _, p in chosen):
                    chosen.append((x.actor, x.party))
                if len(chosen) == n:
                    return list(reversed(chosen))
            return None
        # "both countries", "the two sides": the parties the readout names most, in order of first mention
        pool = [x.party for j in range(i + 1) for x in self.mentions[j] if x.party and (j < i or x.end <= start)]
        top = {p for p, _ in Counter(pool).most_common(n)}
        if len(top) < n:
            return None
        return [(self.registry.party_actor(p), p) for p in dict.fromkeys(p for p in pool if p in top)]

    def _last_sides(self, i: int) -> list[tuple[str, str | None]] | None:
        """The sides that spoke in the last earlier sentence with speakers, if there were several."""
        for j in range(i - 1, max(-1, i - LOOKBACK), -1):
            sides: dict[str, str] = {}
            for actor, party, _ in self.speakers.get(j, []):
                if party and party not in sides:
                    sides[party] = actor
            if sides:
                return [(a, p) for p, a in sides.items()] if len(sides) > 1 else None
        return None

    def _coordinated_parties(self, i: int, start: int, end: int) -> list[tuple[str, str | None]] | None:
        """One side per party in "Ministers from Saudi Arabia and the UAE" (a plural head first)."""
        text = self.sentences[i]
        first = _strip_det(text[start:end].strip()).split(" ", 1)[0].lower()
        if not first.endswith("s") or first in {"its", "his", "this"}:
            return None
        parties = [m for m in self.mentions[i] if not m.person and m.party and start <= m.start and m.end <= end]
        for a, b in itertools.pairwise(parties):
            if not _JOINED.fullmatch(text[a.end : b.start]):
                return None
        sides = list(dict.fromkeys(m.party for m in parties))
        return [(self.registry.party_actor(p), p) for p in sides] if len(sides) > 1 else None

    def resolve_statements(
        self, i: int, start: int, end: int, stance: str, *, cue_end: int | None = None
    ) -> list[tuple[str, str | None, str | None]]:
        """``(actor, party, target)`` for each statement behind one speaker span and stance.

        Joint speakers ("the two sides") give one statement per side aimed at the other side;
        several named addressees ("urged Kyiv and Moscow") give one statement per target.
        """
        cue_end = end if cue_end is None else cue_end
        joint = self.joint_participants(i, start, end)
        if joint:
            for actor, party in joint:
                self.record_speaker(i, actor, party, False)
            if len(joint) == 2 and _JOINT.match(_key(self.sentences[i][start:end])):
                # "both sides" reciprocate: each side's statement is aimed at the other
                return [(a, p, joint[1 - k][1]) for k, (a, p) in enumerate(joint)]
            return [
                (a, p, t)
                for a, p in joint
                for t in self.resolve_target(i, stance, p, cue_end=cue_end, speaker=(start, end))
            ]
        actor, party = self.resolve_speaker(i, start, end)
        return [(actor, party, t) for t in self.resolve_target(i, stance, party, cue_end=cue_end, speaker=(start, end))]

    def statements(
        self,
        i: int,
        start: int,
        end: int,
        stance: str,
        *,
        cue: tuple[int, int] | None = None,
        confidence: float | None = None,
    ) -> list[Statement]:
        """The :class:`Statement` records behind one speaker span and stance of sentence ``i``
        (see :meth:`resolve_statements`), with the cue span as evidence."""
        text, cue_end = self.sentences[i], cue[1] if cue else None
        evidence = {"cue": text[cue[0] : cue[1]], "cue_start": cue[0], "cue_end": cue[1]} if cue else {}
        return [
            Statement(text[start:end], start, end, actor, party, stance, target, confidence=confidence, **evidence)
            for actor, party, target in self.resolve_statements(i, start, end, stance, cue_end=cue_end)
        ]

    # targets --------------------------------------------------------------
    def counterpart(self, party: str | None) -> str | None:
        """The party most often named in the readout other than ``party``."""
        found = self.counterparts(party, 1)
        return found[0] if found else None

    def counterparts(self, party: str | None, n: int) -> list[str]:
        """The ``n`` parties most often named in the readout other than ``party`` (first named first on ties)."""
        counts = Counter(m.party for ms in self.mentions for m in ms if m.party and m.party != party)
        return [p for p, _ in counts.most_common(n)]

    def resolve_target(
        self, i: int, stance: str, party: str | None, *, cue_end: int, speaker: tuple[int, int] | None = None
    ) -> list[str | None]:
        """Targets of a statement whose cue ends at ``cue_end``: named after the cue, else the counterpart.

        Parties joined by "and" right after the cue ("urged Kyiv and Moscow") give one target each, and
        so does a demand on a pair named as a pair ("urged both sides to"): the two parties the readout
        names most, other than the speaker's.
        """
        text = self.sentences[i]
        clause_end = len(text)
        stop = _CUE_SPLIT.search(text, cue_end)
        if stop:
            clause_end = stop.start()
        after = [
            m
            for m in self.mentions[i]
            if cue_end <= m.start < clause_end
            and m.party
            and m.party != party
            and not (speaker and speaker[0] <= m.start < speaker[1])
        ]
        if not after and stance == "criticism":
            after = [
                m
                for m in self.mentions[i]
                if m.party
                and m.party != party
                and m.end <= cue_end
                and not (speaker and speaker[0] <= m.start < speaker[1])
            ][-1:]
        if not after:
            if stance == "demand" and _PAIR_ADDRESSEE.match(text, cue_end):
                pair = self.counterparts(party, 2)
                if len(pair) == 2:
                    return pair
            return [self.counterpart(party)]
        targets = [after[0].party]
        for prev, m in itertools.pairwise(after):
            if _JOINED.fullmatch(text[prev.end : m.start]) and m.party not in targets:
                targets.append(m.party)
            else:
                break
        return targets


def resolve_readouts(
    sentences: list[Sentence],
    registry: ActorRegistry,
    statements: Callable[[DocumentResolver, int, Sentence], list[Statement]],
) -> list[list[Statement]]:
    """Run ``statements(resolver, index_in_readout, sentence)`` readout by readout, in input order.

    Sentences of one ``doc_id`` share a resolver, in ``sent_index`` order, so pronouns resolve
    across them. Results are keyed by sentence object, not ``(doc_id, sent_index)``: a repeated
    key must not receive another sentence's statements.
    """
    results: dict[int, list[Statement]] = {}
    for readout in group_readouts(sentences):
        resolver = DocumentResolver(registry, [s.text for s in readout.sentences])
        for i, sent in enumerate(readout.sentences):
            results[id(sent)] = statements(resolver, i, sent)
    return [results[id(s)] for s in sentences]
