"""Document-level resolution of speakers to actors and parties, and of targets.

The model finds speaker spans and stances; this module decides *who* a span is
(``She`` -> the person last speaking, ``Beijing`` -> China, ``the bloc's top
diplomat`` -> the registry's holder of that title) and *whom* a statement is
aimed at, reading the earlier (and, for descriptions, later) sentences of the
same readout.

>>> from stancekit.registry import ActorRegistry
>>> doc = DocumentResolver(ActorRegistry.default(), ["Kaja Kallas met Foreign Minister Wang Yi.",
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

PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
PRONOUNS_GROUP = {"it", "they", "we", "its", "their"}
DETERMINERS = ("the ", "a ", "an ", "both ", "this ", "that ")
#: head nouns naming one person by office
PERSON_TITLES = {
    "minister",
    "premier",
    "president",
    "chancellor",
    "diplomat",
    "secretary",
    "envoy",
    "ambassador",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "leader",
    "king",
    "emir",
    "prince",
    "commissioner",
    "chief",
    "head",
    "counterpart",
    "negotiator",
    "representative",
    "adviser",
    "advisor",
    "governor",
    "general",
    "director",
    "director-general",
    "secretary-general",
    "foreign secretary",
    "mayor",
    "speaker",
    "senator",
    "lawmaker",
    "official",
    "monarch",
    "sultan",
    "ayatollah",
    "taoiseach",
}
#: capitalised words that are not part of a person's name
_NOT_NAME = {
    "president",
    "prime",
    "minister",
    "foreign",
    "secretary",
    "premier",
    "chancellor",
    "vice",
    "deputy",
    "council",
    "commission",
    "european",
    "general",
    "state",
    "trade",
    "defence",
    "defense",
    "finance",
    "interior",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "envoy",
    "special",
    "high",
    "representative",
    "chief",
    "executive",
    "king",
    "queen",
    "crown",
    "prince",
    "emir",
    "sheikh",
    "senator",
    "governor",
    "commissioner",
    "mr",
    "mrs",
    "ms",
    "dr",
    "the",
    "on",
    "in",
    "at",
    "after",
    "during",
    "while",
    "but",
    "and",
    "according",
    "asked",
    "earlier",
    "later",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "ministry",
    "affairs",
    "external",
    "national",
    "security",
    "adviser",
    "house",
    "white",
    "department",
    "office",
    "supreme",
    "leader",
    "director",
    "secretary-general",
    "un",
    "u.s.",
    "us",
    "eu",
    "nato",
    "a",
    "an",
    "if",
    "when",
    "since",
    "for",
    "with",
    "as",
    "by",
    "from",
    "to",
    "of",
    "this",
    "that",
    "speaking",
    "addressing",
    "told",
    "said",
    "meanwhile",
    "however",
    "separately",
    "also",
    "official",
}
_ORG_WORDS = {
    "dialogue",
    "act",
    "treaty",
    "summit",
    "union",
    "agreement",
    "organization",
    "organisation",
    "bank",
    "fund",
    "forum",
    "conference",
    "assembly",
    "court",
    "party",
    "group",
    "association",
    "council",
    "commission",
    "ministry",
    "agency",
    "committee",
    "parliament",
    "congress",
    "senate",
    "corporation",
    "company",
    "army",
    "forces",
    "front",
    "movement",
    "initiative",
    "programme",
    "program",
    "plan",
    "strait",
    "sea",
    "ocean",
    "river",
    "canal",
    "island",
    "islands",
    "province",
    "region",
    "city",
    "street",
    "square",
    "palace",
    "university",
    "institute",
    "times",
    "post",
    "news",
}
#: head nouns of unnamed institutional speakers ("The Ministry", "the statement", "Army officials")
INSTITUTION_HEADS = {
    "ministry",
    "government",
    "officials",
    "official",
    "authorities",
    "statement",
    "side",
    "embassy",
    "office",
    "command",
    "army",
    "military",
    "readout",
    "communiqué",
    "communique",
    "report",
    "delegation",
    "administration",
    "cabinet",
    "presidency",
    "mission",
    "diplomats",
    "sources",
    "source",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "department",
    "leadership",
    "regime",
    "junta",
    "council",
    "commission",
    "agency",
}
_JOINT = re.compile(
    r"^(?:both|(?P<n>two|three|four)) (?P<head>sides|leaders|ministers|foreign ministers|presidents|"
    r"countries|governments|delegations|parties|nations|capitals)$|^both (?P<head2>\w+)$"
)
_NUMBERS = {"two": 2, "three": 3, "four": 4}
_PERSON_GROUP_HEADS = {"leaders", "ministers", "foreign ministers", "presidents"}
_NAME = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:\s+(?:(?:von|der|van|de|da|di|bin|al|el|la|le|du|dos)\s+)*[A-ZÀ-ÖØ-Þ][\w’'\-]*)+"
)
_CUE_SPLIT = re.compile(r"\b(?:while|whereas|but)\b|;")


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
        taken = [(m.start, m.end) for m in found]
        for m in _NAME.finditer(text):
            parts = [(m.start() + w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
            while parts and self._not_name(parts[0][1]):
                parts.pop(0)
            if len(parts) < 2 or any(w.lower() in _ORG_WORDS for _, w in parts):
                continue
            start, last = parts[0][0], parts[-1][1]
            end = parts[-1][0] + len(last) - (2 if last.endswith(("’s", "'s")) else 0)
            if any(a < end and start < b for a, b in taken):
                continue
            name = text[start:end]
            found.append(Mention(i, start, end, name, self._context_party(text, start, end, found), True))
        for m in found:
            if m.person:
                before = re.findall(r"[\w-]+", text[max(0, m.start - 50) : m.start].lower())[-4:]
                m.titles = frozenset(w for w in before if w not in {"the", "a", "an", "and", "of", "with"})
        return sorted(found, key=lambda m: m.start)

    def _not_name(self, word: str) -> bool:
        bare = word.strip("’'").lower()
        reg = self.registry
        return bare in _NOT_NAME or reg.party_of_name(word) is not None or reg.party_of_demonym(word) is not None

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
        for j in range(i, max(-1, i - 3), -1):
            for actor, party, is_person in reversed(self.speakers.get(j, [])):
                if is_person == person:
                    return actor, party
        return None

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
            last = self._last_speaker(i, person=True)
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
        # a person named in the document (full name or part of it)
        toks = _tokens(bare)
        named = self._match_person(i, start, toks)
        if named is not None:
            return named, self._person_party(named), True
        entry = reg.actor(bare)
        if entry is not None:
            return entry.actor, entry.party, entry.person
        party = reg.party_of_name(bare)
        if party is not None:
            return reg.party_actor(party), party, False
        inside = [m for m in self.mentions[i] if start <= m.start and m.end <= end]
        span_party = next((m.party for m in inside if not m.person), None)
        head = toks[-1] if toks else ""
        if head in PERSON_TITLES or any(" ".join(toks[-2:]) == t for t in PERSON_TITLES):
            named = self._titled_person(i, start, span_party, head, bare)
            if named is not None:
                return named, self._person_party(named) or span_party, True
            titled = reg.actors_with_title(bare)
            if titled:
                doc_names = {m.actor for ms in self.mentions for m in ms}
                best = next((e for e in titled if e.actor in doc_names), titled[0])
                return best.actor, best.party, True
            described = self._described_person(i, start, span_party, head, bare)
            if described is not None:
                return described, self._person_party(described) or span_party, True
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
        words = set(_tokens(description))
        titled = [
            (len(words & m.titles), k, m)
            for k, m in enumerate(self._persons_before(i, start))
            if head in m.titles and (party is None or m.party == party)
        ]
        return max(titled, key=lambda x: (x[0], x[1]))[2].actor if titled else None

    def _described_person(
        self, i: int, start: int, party: str | None, head: str = "", description: str = ""
    ) -> str | None:
        named = self._titled_person(i, start, party, head, description)
        if named is not None:
            return named
        last = self._last_speaker(i, person=True)
        if last and (party is None or last[1] == party):
            return last[0]
        before = [m for m in self._persons_before(i, start) if party is None or m.party == party]
        if before:
            return before[-1].actor
        after = [
            m
            for j in range(i, len(self.mentions))
            for m in self.mentions[j]
            if m.person and (j > i or m.start > start) and (party is None or m.party == party)
        ]
        return after[0].actor if after else None

    def home_party(self, i: int) -> str | None:
        """The side an unnamed institution speaks for: the last speaker's party, else the first party named."""
        for j in range(i, max(-1, i - 4), -1):
            for _, party, _ in reversed(self.speakers.get(j, [])):
                if party:
                    return party
        for ms in self.mentions:
            for m in ms:
                if m.party:
                    return m.party
        return None

    def joint_participants(self, i: int, start: int, end: int) -> list[tuple[str, str | None]] | None:
        """The sides behind "both sides", "the two leaders", "the three ministers"; None if not joint."""
        m = _JOINT.match(_key(self.sentences[i][start:end]))
        if not m:
            return None
        head = m.group("head") or m.group("head2") or ""
        n = _NUMBERS.get(m.group("n") or "", 2)
        pool = (
            self._persons_before(i, start)
            if head in _PERSON_GROUP_HEADS
            else [x for j in range(i + 1) for x in self.mentions[j] if x.party and (j < i or x.end <= start)]
        )
        chosen: list[tuple[str, str | None]] = []
        for x in reversed(pool):
            if x.party and all(x.party != p for _, p in chosen):
                by_person = x.person and head in _PERSON_GROUP_HEADS
                chosen.append((x.actor if by_person else self.registry.party_actor(x.party), x.party))
            if len(chosen) == n:
                break
        return list(reversed(chosen)) if len(chosen) == n else None

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
            if len(joint) == 2:
                return [(a, p, joint[1 - k][1]) for k, (a, p) in enumerate(joint)]
            return [
                (a, p, t)
                for a, p in joint
                for t in self.resolve_target(i, stance, p, cue_end=cue_end, speaker=(start, end))
            ]
        actor, party = self.resolve_speaker(i, start, end)
        return [(actor, party, t) for t in self.resolve_target(i, stance, party, cue_end=cue_end, speaker=(start, end))]

    # targets --------------------------------------------------------------
    def counterpart(self, party: str | None) -> str | None:
        """The party most often named in the readout other than ``party``."""
        counts = Counter(m.party for ms in self.mentions for m in ms if m.party and m.party != party)
        return counts.most_common(1)[0][0] if counts else None

    def resolve_target(
        self, i: int, stance: str, party: str | None, *, cue_end: int, speaker: tuple[int, int] | None = None
    ) -> list[str | None]:
        """Targets of a statement whose cue ends at ``cue_end``: named after the cue, else the counterpart.

        Parties joined by "and" right after the cue ("urged Kyiv and Moscow") give one target each.
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
            return [self.counterpart(party)]
        targets = [after[0].party]
        for prev, m in itertools.pairwise(after):
            if text[prev.end : m.start].strip(" ,") in {"and", "as well as", ""} and m.party not in targets:
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
