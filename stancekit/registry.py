"""The actor registry: canonical actors, their aliases and titles, and the parties they speak for.

A registry file (JSON or YAML) has ``parties`` (states, organisations, groups
with their names, metonyms, demonyms and institutions) and ``actors`` (people
with aliases and titles). stancekit ships one (``stancekit/resources/registry.json``);
users extend it with their own file, whose entries win.

>>> reg = ActorRegistry.default()
>>> reg.party_of_name("Beijing")
'China'
>>> reg.actor("Lavrov").actor
'Sergey Lavrov'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from stancekit.errors import StancekitError
from stancekit.evaluation.metrics import normalize_name

#: Extra groups that are not in most registries but appear as targets.
_GROUPS = [
    {
        "party": "West",
        "kind": "group",
        "names": ["the West", "Western countries", "Western economies", "Western nations", "Western governments"],
        "demonyms": ["Western"],
    },
]


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """Lookup key: normalized, without a trailing possessive (memoised: names recur)."""
    key = normalize_name(text)
    for suffix in ("'s", "'"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key


def trie_pattern(words: set[str]) -> str:
    r"""A regex matching any of ``words``, longest first, as a prefix tree (fast on thousands of names).

    Equivalent to the alternation of the words sorted longest first, but each position of
    the text is tried against one path of the tree instead of every word.

    >>> pattern = re.compile(trie_pattern({"EU", "EU Council", "Egypt"}) + r"(?!\w)")
    >>> [m.group() for m in pattern.finditer("the EU Council, the EU and Egypt")]
    ['EU Council', 'EU', 'Egypt']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@dataclass(frozen=True)
class ActorEntry:
    """A person (or organisation) who speaks, and the party it speaks for."""

    actor: str
    party: str | None
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    person: bool = True


@dataclass
class PartyEntry:
    """A state, organisation or group and the words that name it."""

    party: str
    kind: str = "state"
    actor: str | None = None
    names: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)

    @property
    def canonical_actor(self) -> str:
        """The actor name used when the party itself speaks."""
        return self.actor or self.party


class ActorRegistry:
    """Lookups from mentions to actors and parties.

    Args:
        parties: party entries.
        actors: person entries.
    """

    def __init__(self, parties: list[PartyEntry], actors: list[ActorEntry]) -> None:
        self.parties = {p.party: p for p in parties}
        self.actors = actors
        self._actor_by_key: dict[str, ActorEntry] = {}
        for entry in actors:  # later entries (user files) win
            for name in (entry.actor, *entry.aliases):
                self._actor_by_key[_key(name)] = entry
        self._party_by_key: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for p in parties:
            for name in (p.party, p.canonical_actor, *p.names, *p.metonyms, *p.institutions):
                self._party_by_key[_key(name)] = p.party
            for dem in p.demonyms:
                self._demonyms[_key(dem)] = p.party

    # construction ---------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "<dict>") -> ActorRegistry:
        """Build from the file format; raises :class:`StancekitError` E500 on bad entries."""
        if not isinstance(data, dict) or not isinstance(data.get("parties", []), list):
            raise StancekitError("E500", "expected an object with 'parties' and 'actors' lists", where=source)
        parties, actors = [], []
        for i, p in enumerate(data.get("parties", [])):
            try:
                parties.append(PartyEntry(**p))
            except TypeError as exc:
                raise StancekitError("E500", f"party {i}: {exc}", where=source) from exc
        for i, a in enumerate(data.get("actors", [])):
            if not isinstance(a, dict) or "actor" not in a:
                raise StancekitError("E500", f"actor {i} needs an 'actor' name", where=source)
            actors.append(
                ActorEntry(
                    actor=a["actor"],
                    party=a.get("party"),
                    aliases=tuple(a.get("aliases", ())),
                    titles=tuple(a.get("titles", ())),
                    person=a.get("person", True),
                )
            )
        return cls(parties, actors)

    @classmethod
    def from_file(cls, path: str | Path) -> ActorRegistry:
        """Read a registry from a JSON or YAML file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            if path.suffix in {".yaml", ".yml"}:
                import yaml

                data = yaml.safe_load(text)
            else:
                data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise StancekitError("E500", str(exc), where=str(path)) from exc
        return cls.from_dict(data, source=str(path))

    @classmethod
    def default(cls) -> ActorRegistry:
        """The registry shipped with stancekit."""
        text = resources.files("stancekit.resources").joinpath("registry.json").read_text(encoding="utf-8")
        data = json.loads(text)
        data["parties"] = list(data.get("parties", [])) + _GROUPS
        return cls.from_dict(data, source="stancekit/resources/registry.json")

    def extend(self, other: ActorRegistry) -> ActorRegistry:
        """A new registry with ``other``'s entries added; ``other`` wins on conflicts."""
        parties = {**self.parties, **other.parties}
        return ActorRegistry(list(parties.values()), [*self.actors, *other.actors])

    def to_dict(self) -> dict[str, Any]:
        """The file format, for saving with a model."""
        return {
            "version": 1,
            "parties": [vars(p) for p in self.parties.values()],
            "actors": [
                {
                    "actor": a.actor,
                    "party": a.party,
                    "aliases": list(a.aliases),
                    "titles": list(a.titles),
                    **({} if a.person else {"person": False}),
                }
                for a in self.actors
            ],
        }

    # lookups --------------------------------------------------------------
    def actor(self, mention: str) -> ActorEntry | None:
        """The person named exactly by ``mention`` (canonical name or alias)."""
        return self._actor_by_key.get(_key(mention))

    def party_of_name(self, mention: str) -> str | None:
        """The party named by ``mention`` as a name, metonym or institution."""
        return self._party_by_key.get(_key(mention))

    def party_of_demonym(self, word: str) -> str | None:
        """The party of a nationality adjective such as ``"Dutch"``."""
        return self._demonyms.get(_key(word))

    def party_actor(self, party: str) -> str:
        """The actor name of a party speaking as itself (``EU`` -> ``European Union``)."""
        entry = self.parties.get(party)
        return entry.canonical_actor if entry else party

    def actors_with_title(self, description: str) -> list[ActorEntry]:
        """People whose title occurs in ``description`` (longest titles first)."""
        key = f" {_key(description)} "
        found = []
        for title, entries in self._titles:
            if f" {title} " in key or f" {title}'s " in key:
                found += [e for e in entries if e not in found]
        return found

    @cached_property
    def _titles(self) -> list[tuple[str, list[ActorEntry]]]:
        by_title: dict[str, list[ActorEntry]] = {}
        for entry in self.actors:
            for title in entry.titles:
                by_title.setdefault(_key(title), []).append(entry)
        return sorted(by_title.items(), key=lambda kv: -len(kv[0]))

    @cached_property
    def mention_pattern(self) -> re.Pattern[str]:
        """One regex over every party name, metonym, institution, demonym and actor alias."""
        names = set()
        for p in self.parties.values():
            names.update([p.party, p.canonical_actor, *p.names, *p.metonyms, *p.institutions, *p.demonyms])
        for a in self.actors:
            names.update([a.actor, *a.aliases])
        names = {n for n in names if n and len(n) > 1}
        # "the bloc", "the Commission": only with their article, so "Soviet Union" is not the EU
        words = set()
        for n in names:
            words.update([f"The {n[4:]}", f"the {n[4:]}"] if n.lower().startswith("the ") else [n])
        alts = trie_pattern(words)
        # not inside "O'Sullivan" or "d'Estaing"
        return re.compile(rf"(?<![\w-])(?<!\w['’])(?:{alts})(?![\w-])")
