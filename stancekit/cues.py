"""A cue-word lexicon for the three stances, with negation and hypothetical checks.

Used by ``baseline:cues``; the fine-tuned model does not depend on it.

>>> [(c.stance, c.text) for c in find_cues("Li urged the EU to act but did not condemn Tokyo.")]
[('demand', 'urged')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEXICON: dict[str, list[str]] = {
    "demand": [
        r"urg(?:ed|es|ing)",
        r"press(?:ed|es|ing)(?! conference)",
        r"call(?:ed|s|ing) (?:for|on|upon)",
        r"demand(?:ed|s|ing)",
        r"ask(?:ed|s|ing)",
        r"insist(?:ed|s|ing)",
        r"expects?",
        r"expected",
        r"set out (?:its|his|her|their) expectations?",
        r"(?:emphasi[sz]|underlin|stress|underscor)(?:ed|es|ing) the need",
        r"appeal(?:ed|s|ing) to",
        r"request(?:ed|s|ing)",
        r"implor(?:ed|es|ing)",
        r"want(?:ed|s)",
        r"told .{1,40}? to",
        r"push(?:ed|es|ing) for",
        r"sought",
        r"seek(?:s|ing)?",
        r"call(?:ed|s)? for",
        r"pushed",
        r"exhort(?:ed|s)",
        r"challeng(?:ed|es) .{1,30}? to",
        r"must",
        r"should",
    ],
    "concession": [
        r"(?:was|were|is|are) willing to",
        r"willingness",
        r"agree(?:d|s|ing)? to",
        r"offer(?:ed|s|ing)",
        r"pledg(?:ed|es|ing)",
        r"(?:stood|stands|stand) ready",
        r"(?:was|were|is|are) ready to",
        r"readiness",
        r"would ease",
        r"eas(?:ed|es|ing)",
        r"lift(?:ed|s|ing)",
        r"promis(?:ed|es|ing)",
        r"commit(?:ted|s)? to",
        r"(?:was|were|is|are) open to",
        r"signall?ed (?:a )?(?:preference|flexibility|openness)",
        r"aims? to resolve",
        r"accept(?:ed|s)",
        r"consent(?:ed|s)",
        r"conced(?:ed|es)",
        r"release[ds]?",
        r"drop(?:ped|s) (?:its|their|his|her) (?:veto|objection)",
        r"extend(?:ed|s)",
    ],
    "criticism": [
        r"criticis(?:ed|es|ing)",
        r"criticiz(?:ed|es|ing)",
        r"condemn(?:ed|s|ing)",
        r"accus(?:ed|es|ing)",
        r"(?:voiced|expressed|raised|voicing|expressing|raising) (?:\w+ ){0,2}concerns?",
        r"concerned",
        r"raised alarm",
        r"alarm(?:ed)?",
        r"warn(?:ed|s|ing)",
        r"denounc(?:ed|es|ing)",
        r"deplor(?:ed|es|ing)",
        r"decr(?:ied|ies)",
        r"rebuk(?:ed|es)",
        r"slam(?:med|s)",
        r"lambast(?:ed|s)",
        r"protest(?:ed|s)",
        r"complain(?:ed|s|ing)",
        r"blam(?:ed|es|ing)",
        r"reject(?:ed|s) .{0,40}?as",
        r"object(?:ed|s) to",
        r"irresponsible",
        r"regrett?(?:ed|s)",
    ],
}
NEGATION = re.compile(
    r"\b(?:not|never|no longer|declin(?:ed|es) to|refus(?:ed|es) to|stopp(?:ed)? short of|would have|"
    r"avoid(?:ed)?|without|is expected to|are expected to|may|might|could|did not|didn't)\W+(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    """A cue occurrence: its stance and character span."""

    stance: str
    start: int
    end: int
    text: str


_PATTERNS = {
    stance: re.compile(r"\b(?:" + "|".join(p for p in pats) + r")\b", re.IGNORECASE) for stance, pats in LEXICON.items()
}


def find_cues(text: str) -> list[Cue]:
    """Cues of all stances in ``text``, skipping negated or hypothetical ones, in text order."""
    cues = []
    for stance, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            if NEGATION.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            cues.append(Cue(stance, m.start(), m.end(), m.group()))
    return sorted(cues, key=lambda c: c.start)
