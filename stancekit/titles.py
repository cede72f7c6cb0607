"""Titles, offices and the other words around names in readouts.

Word lists with one role each, and the helpers that read titles: which words of a
description name an office (``head_word``), which capitalised words are offices or ranks
(``is_title``), and which title words introduce a named person (``title_words``).

>>> head_word(["secretary", "of", "state"]), is_title("Vice-President"), is_title("Abebe")
('secretary', True, False)
"""

from __future__ import annotations

import re

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
NOT_NAME = {
    "chairman",
    "chairperson",
    "chairwoman",
    "comrade",
    "sayyid",
    "madam",
    "excellency",
    "majesty",
    "both",
    "today",
    "yesterday",
    "i",
    "we",
    "mp",
    "opposition",
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
ORG_WORDS = {
    "states",
    "organisations",
    "organizations",
    "partnership",
    "cooperation",
    "meeting",
    "talks",
    "declaration",
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
#: words that may sit inside a run of title words ("Minister of Foreign Affairs and Trade")
TITLE_LINKS = {"of", "and", "for", "the", "'s", "’s"}
#: title words that make a different office ("Deputy Prime Minister" is not "the Prime Minister")
RANK_MODIFIERS = {"deputy", "vice", "former", "acting", "assistant", "under", "junior", "ex"}
#: lower-case words of titles ("the foreign minister", "the bloc's top diplomat")
TITLE_ADJECTIVES = {
    "foreign",
    "prime",
    "deputy",
    "vice",
    "top",
    "trade",
    "defence",
    "defense",
    "finance",
    "economy",
    "state",
    "affairs",
    "senior",
    "special",
    "chief",
    "interior",
    "commerce",
    "economic",
    "external",
}
#: military and police ranks before names
RANKS = {"colonel", "lieutenant", "captain", "major", "admiral", "commander", "marshal", "brigadier", "sergeant"}
#: words that name a different office ("foreign minister" is not "finance minister")
OFFICE_WORDS = {"foreign", "prime", "defence", "defense", "finance", "trade", "economy", "interior", "commerce"}
#: plural heads of unnamed speakers who speak for their institution
GENERIC_GROUPS = {"officials", "diplomats", "sources"}
#: heads of descriptions that, with "a"/"an", mean an unnamed member of an institution
GENERIC_PEOPLE = {"official", "diplomat", "source", "spokesperson", "spokesman", "spokeswoman", "negotiator", "aide"}


def head_word(toks: list[str]) -> str:
    """The head noun of a description: "secretary" in "secretary of state", else the last word."""
    if "of" in toks[1:]:
        return toks[toks.index("of", 1) - 1]
    return toks[-1] if toks else ""


def is_title(word: str) -> bool:
    """Whether a capitalised word is an office or rank ("Minister", "Vice-President", "Colonel")."""
    return any(p in PERSON_TITLES or p in RANKS for p in word.lower().strip(".,").split("-"))


def in_title_run(word: str) -> bool:
    """Whether ``word`` can sit in a run of title words and names ("Deputy Foreign Minister")."""
    low = word.lower()
    return word[:1].isupper() or low in TITLE_LINKS or low in PERSON_TITLES or low in TITLE_ADJECTIVES


def title_words(text: str, start: int, end: int, *, left: int = 0, right: int | None = None) -> frozenset[str]:
    """The title words introducing the person named at ``[start, end)``.

    The run of title words right before the name ("Deputy Prime Minister and Foreign
    Minister Ishaq Dar"; "The Business and Trade Secretary, Jonathan Reynolds") and an
    apposition after it ("Ishaq Dar, the foreign minister,"). In "The Secretary and
    Director Wang" the words before "and" describe someone else.

    >>> sorted(title_words("He met Deputy Prime Minister Ishaq Dar.", 29, 38))
    ['deputy', 'minister', 'prime']
    >>> sorted(title_words("The Secretary and Director Wang Yi met.", 27, 34))
    ['director']
    >>> sorted(title_words("Ishaq Dar, the foreign minister, said.", 0, 9))
    ['foreign', 'minister']
    """
    words = re.findall(r"[\w’'.\-]+|,", text[max(left, start - 120) : start])
    if words and words[-1] == ",":
        words.pop()
    run: list[str] = []
    for word in reversed(words[-10:]):
        if word == "," or not in_title_run(word):
            break
        run.insert(0, word)
    if run and run[0].lower() == "the" and "and" in run:
        run = run[len(run) - run[::-1].index("and") :]
    after = re.match(r",\s+(?:the\s+|an?\s+)?([^,.;()]{3,80}?)(?=,|\.|;|$)", text[end:])
    if after and (right is None or end + after.end() <= right):
        appos = re.split(r"\s+to\s+", after.group(1))[0].split()
        if all(in_title_run(w) for w in appos) and any(w.lower() in PERSON_TITLES for w in appos):
            run += appos
    words = {w.lower().strip(".") for w in run}
    # "Vice-President" is also a vice and a president (for the rank rule); "Secretary-General" stays one office
    words |= {p for w in words if w.split("-")[0] in RANK_MODIFIERS for p in w.split("-")}
    return frozenset(words) - TITLE_LINKS - {"a", "an", "the"}
