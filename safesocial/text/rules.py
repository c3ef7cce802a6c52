"""What a post's words say that the trust's policy does not allow, found before a colleague reads it.

Six checks, each a small set of word lists and patterns a reviewer could read and argue with:

- offensive: swearing, slurs and sexual terms ("uses appropriate and school-friendly language", policy 003);
- political: taking a side in politics ("does not take a side in any political debate", policy 003);
- personal_view: personal views presented as the school's ("only expresses neutral opinions", policy 003);
- personal_info: phone numbers, email addresses, postcodes, home addresses, dates of birth (policy 001's moderation
  list; 000 and 004: personal information about children and families is never shared);
- pupil_name: pupils named without their family's consent ("prior consent ... for all posts containing names");
- behaviour: behaviour incidents, which no one may draw attention to or discuss (policies 000, 001, 004);
- commercial: discount and promo codes and affiliate links (no advertising or promotion of businesses).

What these exact rules cannot see (sarcasm, stereotypes, a pupil's health, confidential matters) is read for meaning
by semantic_posts.py, which adds its findings to these.

Everything here is pure Python over one string, so it runs on every keystroke if need be. Each finding says in a
teacher's words what was found and why it matters, and points at the characters it is about. A finding is a prompt
for a person, not a verdict: the lists are tuned to miss little on real school posts (sports days, trips, polling
station closures) rather than to be clever.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from safesocial.text.findings import Finding

OFFENSIVE = "offensive"
POLITICAL = "political"
PERSONAL_VIEW = "personal_view"
PERSONAL_INFO = "personal_info"
PUPIL_NAME = "pupil_name"
BEHAVIOUR = "behaviour"
COMMERCIAL = "commercial"
CHECK_NAMES = (OFFENSIVE, POLITICAL, PERSONAL_VIEW, PERSONAL_INFO, PUPIL_NAME, BEHAVIOUR, COMMERCIAL)

Severity = Literal["block", "warn"]


@dataclass(frozen=True)
class RegisterPupil:
    """A pupil on roll, with the two consents that decide whether a post may name them."""

    pupil_id: int
    first_name: str
    last_name: str
    preferred_name: str = ""
    name_consent: bool = False  # the family agreed to the pupil's name being used
    first_name_only_consent: bool = False  # ... but only their first name


class Hit(NamedTuple):
    """A finding before it becomes one: kept separate so this module imports nothing from Django."""

    check: str
    severity: Severity
    reason: str
    start: int
    end: int


def excerpt(text: str, start: int, end: int, limit: int = 60) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ---------------------------------------------------------------------------------------------------------------------
# 1. Offensive language
# ---------------------------------------------------------------------------------------------------------------------

# Whole words only, so Scunthorpe, Penistone, cocktail, assess, Dickens, Sussex, analysis and therapist never match.
# A word ending in "*" also matches any ending (fucking, twats). Look-alike spellings (f*ck, sh1t, $hit, fuuuck) are
# undone before the lookup. Words with an everyday innocent meaning in school posts are left out on purpose:
# ass (the nativity's ox and ass), cock (farm visits), prick, knob, pussy (the Owl and the Pussy-cat), hooker (rugby),
# tart, muff, git, homo (sapiens), chink (of light), tinker, gay, queer and anatomical words used in RSE.
SWEARING = _words(
    """
    fuck* motherfuck* muthafuck* fuk fuking fukin fck fcking fckin phuck wtf stfu gtfo ffs omfg lmfao cunt* shit
    shits shite shites shitty shitting shitted shitter shithead shitheads shithole shitholes shitless shitfaced
    shitstorm bullshit bullshitting dipshit horseshit batshit apeshit chickenshit piss pissed pisses pissing pisser
    pisshead pissheads pisstake pissy arse arses arsed arsey arsehole arseholes arsewipe arselicker asshole assholes
    jackass dumbass smartass fatass bastard* bitch* bollock* bollox twat* wank* tosser tossers knobhead knobheads
    knobend dickhead dickheads bellend bellends minger mingers munter munters dick dicks bint bints skank skanks
    skanky
    """
)
SLURS = _words(
    """
    nigger niggers nigga niggas niggaz paki pakis pakki wog wogs golliwog golliwogs coon coons sambo sambos darkie
    darkies darky jigaboo spic spics gook gooks jap japs kike kikes yid yids yiddo yiddos pikey pikeys gyppo gyppos
    gypo raghead ragheads towelhead towelheads wetback wetbacks beaner beaners faggot faggots fag fags poof poofs
    poofter poofters dyke dykes lezza lezzas lesbo lesbos tranny trannies shemale shemales retard retards retarded
    spastic spastics spaz spazz spazzy spacker spackers mong mongs mongoloid mongoloids midget midgets nonce nonces
    paedo paedos pedo pedos
    """
)
SEXUAL = _words(
    """
    porn porno pornos porny pornstar pornstars dildo dildos blowjob blowjobs handjob handjobs jizz spunk cumshot
    cumshots boob boobs boobies tit tits titty titties shag shagged shagging shagger horny boner boners milf milfs
    orgasm* masturbat* rimming fisting bukkake cocksucker cocksuckers slut* whore* slag slags slapper
    slappers minge clunge fanny fannies clit clits
    """
)
# Rude rather than offensive: a reviewer decides, so these warn.
MILD = _words(
    """
    bloody crap crappy crapping damn dammit damnit goddamn goddamned bugger buggered buggering sodding pillock
    pillocks prat prats plonker numpty chav chavs feck fecking effing sexy badass
    """
)
# Written multi-word terms a single-word lookup cannot see.
OFFENSIVE_PHRASES = re.compile(
    r"\b(?:half[\s-]caste|batty[\s-]boys?|bum[\s-]boys?|window[\s-]lickers?|slant[\s-]eyes?|blow[\s-]jobs?|"
    r"hand[\s-]jobs?|cock[\s-]suckers?|piss[\s-]take|son of a bitch|sand[\s-]niggers?)\b",
    re.IGNORECASE,
)
# Capitalised, these are names (Dick Whittington, Fanny Burney) or places (Offa's Dyke); only lower case offends.
LOWER_CASE_ONLY = frozenset({"dick", "dicks", "fanny", "fannies", "dyke", "dykes", "mong", "mongs"})
# Innocent phrases that contain a listed word: the pudding, the birds, the novel, the pit heap.
ALLOWED_PHRASES = re.compile(
    r"\b(?:spotted\s+dick|moby[\s-]dick|dick\s+whittington|dick\s+king[\s-]smith|(?:blue|great|coal|marsh|willow|"
    r"crested|bearded|long[\s-]tailed|penduline)\s+tits?|tit\s*bits?|slag\s+heaps?|shitake|shag\s+pile|"
    r"shags?\s+and\s+cormorants|cormorants\s+and\s+shags?|nonce[\s-]words?|tit\s+for\s+tat|midget\s+gems)\b",
    re.IGNORECASE,
)

LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
        "+": "t",
    }
)
LEET_L = str.maketrans({"1": "l", "|": "l"})
OBFUSCATED_TOKEN = re.compile(r"[A-Za-z0-9@$*!|+]+(?:[-._][A-Za-z0-9@$*!|+]+)*")


class _WordList:
    """Exact forms, stems that take any ending, and the undoubled forms a stretched word (fuuuck) collapses to."""

    def __init__(self, groups: Iterable[tuple[str, Severity, tuple[str, ...]]]):
        self.exact: dict[str, tuple[str, Severity]] = {}
        self.stems: list[tuple[str, str, Severity]] = []
        for kind, severity, words in groups:
            for word in words:
                if word.endswith("*"):
                    self.stems.append((word[:-1], kind, severity))
                else:
                    self.exact[word] = (kind, severity)
        self.undoubled = {w: v for w, v in self.exact.items() if _collapse(w) == w}
        # Every stem has at least four letters, so a token's first four find the few stems worth trying.
        self.stems_by_start: dict[str, list[tuple[str, str, Severity]]] = {}
        for stem in self.stems:
            self.stems_by_start.setdefault(stem[0][:4], []).append(stem)

    def lookup(self, word: str) -> tuple[str, Severity] | None:
        if word in self.exact:
            return self.exact[word]
        for stem, kind, severity in self.stems_by_start.get(word[:4], ()):
            if word.startswith(stem):
                return kind, severity
        if "fuck" in word:  # no English word contains it (absofuckinglutely)
            return "swear word", "block"
        if DOUBLED.search(word):
            collapsed = _collapse(word)
            if collapsed in self.undoubled:
                return self.undoubled[collapsed]
            for stem, kind, severity in self.stems_by_start.get(collapsed[:4], ()):
                if collapsed.startswith(stem) and _collapse(stem) == stem:
                    return kind, severity
        return None

    def lookup_wildcard(self, parts: list[str]) -> tuple[str, Severity] | None:
        """`parts` holds one character class per character of the token, "[a-z]" where it has an asterisk."""
        whole = "".join(parts)
        matches = [found for word, found in self.exact.items() if re.fullmatch(whole, word)]
        matches += [
            (kind, severity)
            for stem, kind, severity in self.stems
            if len(parts) >= len(stem) and re.fullmatch("".join(parts[: len(stem)]), stem)
        ]
        # f*ck could be feck, and is not: the worse reading wins. Among the readings that block, swearing wins over a
        # slur: f*** is far likelier "fuck" than "fags", and calling it a slur would call the comment hateful.
        return min(matches, key=lambda found: (found[1] != "block", found[0] == "slur"), default=None)


DOUBLED = re.compile(r"(.)\1+")


def _collapse(word: str) -> str:
    return DOUBLED.sub(r"\1", word)


WORDS = _WordList(
    [
        ("swear word", "block", SWEARING),
        ("slur", "block", SLURS),
        ("sexual term", "block", SEXUAL),
        ("rude word", "warn", MILD),
    ]
)


def _candidates(text: str) -> Iterable[tuple[str, int, int]]:
    """Word-like tokens, each with the parts a dotted or hyphenated token splits into (mother-fucker, f.u.c.k)."""
    for match in OBFUSCATED_TOKEN.finditer(text):
        token, start = match.group(), match.start()
        if token.isalpha():
            yield token, start, match.end()
            continue
        parts = list(re.finditer(r"[^-._]+", token))
        if len(parts) > 1 and all(len(p.group()) == 1 for p in parts):
            yield re.sub(r"[-._]", "", token), start, match.end()
            continue
        for part in parts:
            yield part.group(), start + part.start(), start + part.end()


def _strip_edges(word: str, start: int, end: int) -> tuple[str, int, int]:
    # Trailing ! and + are punctuation, not letters (sh*t! / Year 7+); paired asterisks are emphasis (*great*).
    while word and word[-1] in "!|+":
        word, end = word[:-1], end - 1
    while word and word[0] in "!|+":
        word, start = word[1:], start + 1
    while len(word) > 2 and word[0] == "*" and word[-1] == "*":
        word, start, end = word[1:-1], start + 1, end - 1
    return word, start, end


def offensive_language(text: str) -> list[Hit]:
    allowed = [m.span() for m in ALLOWED_PHRASES.finditer(text)]
    hits = []

    def add(kind: str, severity: Severity, start: int, end: int) -> None:
        if any(a <= start and end <= b for a, b in allowed):
            return
        shown = excerpt(text, start, end)
        if severity == "block":
            reason = (
                f"This looks like {_article(kind)} {kind} (“{shown}”). The policy asks for appropriate, "
                "school-friendly language that no one could find offensive."
            )
        else:
            reason = f"“{shown}” may read as rude in a school's post. The policy asks for school-friendly language."
        hits.append(Hit(OFFENSIVE, severity, reason, start, end))

    for raw, start, end in _candidates(text):
        word, start, end = _strip_edges(raw, start, end)
        if not (word.isalpha() or any(c.isalpha() for c in word)):
            continue
        lower = word.lower()
        if "*" in lower:
            letters = sum(c.isalpha() for c in lower)
            if letters < 1 or len(lower) < 3 or lower[0] == "*":
                continue
            found = WORDS.lookup_wildcard(["[a-z]" if c == "*" else re.escape(c.translate(LEET)) for c in lower])
        else:
            found, as_written = _verdict(lower)
            if found is not None and as_written and lower in LOWER_CASE_ONLY and word[0].isupper():
                found = None
        if found:
            add(*found, start, end)
    for match in OFFENSIVE_PHRASES.finditer(text):
        add("slur" if "caste" in match.group().lower() else "offensive phrase", "block", *match.span())
    return hits


@lru_cache(maxsize=1 << 16)
def _verdict(lower: str) -> tuple[tuple[str, Severity] | None, bool]:
    """The word list's verdict on one lower-cased token, and whether it was found as written (not through its
    leetspeak reading). Cached: the same few thousand words make up most comments."""
    found = WORDS.lookup(lower)
    if found is None and lower != lower.translate(LEET) and not lower.isdigit():
        return WORDS.lookup(lower.translate(LEET)) or WORDS.lookup(lower.translate(LEET_L).translate(LEET)), False
    return found, True


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


# ---------------------------------------------------------------------------------------------------------------------
# 2. Politics
# ---------------------------------------------------------------------------------------------------------------------

PARTY_NAMES = (
    r"Conservative Party|Conservatives|Scottish Conservatives|Welsh Conservatives|Tory|Tories|"
    r"Labour Party|New Labour|Welsh Labour|Scottish Labour|Labour|"
    r"Liberal Democrats?|Lib[\s-]?Dems?|Reform UK|Reform Party|Green Party|"
    r"Greens?(?= (?:MP|councillor|candidate|peer))|SNP|Scottish National Party|"
    r"Plaid Cymru|Plaid|UKIP|Brexit Party|BNP|DUP|Sinn F[ée]in|SDLP|Alliance Party|Britain First|Workers Party|"
    r"Co-operative Party|Socialist Workers? Party"
)
PARTY = re.compile(rf"\b(?:{PARTY_NAMES})\b")
# "Labour ward", "Labour Day", "Plaid shirts", "Village Greens": words, not parties.
NOT_A_PARTY = re.compile(
    r"(?:Labour|Plaid|Greens|Conservative)\s+(?:ward|wards|suite|unit|market|force|costs?|day|Day|camp|pains|"
    r"exchange|intensive|shirts?|skirts?|fabric|pattern|scarf|scarves|jumper|dress|and\b)|(?:village|Village|golf|"
    r"putting|bowling|salad|spring)\s+Greens",
)
# Conservative alone is also an adjective ("Conservative estimates suggest"): the party when capitalised mid-sentence.
CONSERVATIVE = re.compile(r"(?<=\S\s)Conservative\b")
POLITICIANS = (
    r"Keir Starmer|Starmer|Rishi Sunak|Sunak|Boris Johnson|Liz Truss|Theresa May|David Cameron|Kemi Badenoch|Badenoch|"
    r"Nigel Farage|Farage|Ed Davey|Rachel Reeves|Angela Rayner|Jeremy Corbyn|Corbyn|Zack Polanski|Carla Denyer|"
    r"Adrian Ramsay|John Swinney|Humza Yousaf|Nicola Sturgeon|Rhun ap Iorwerth|Bridget Phillipson|Gillian Keegan|"
    r"Michael Gove|Suella Braverman|Priti Patel|Jacob Rees-Mogg|Rees-Mogg|Robert Jenrick|Yvette Cooper|David Lammy|"
    r"Wes Streeting|Ed Miliband|Sadiq Khan|Andy Burnham|Richard Tice|Lee Anderson|Donald Trump|Trump|Joe Biden|"
    r"Biden|Kamala Harris|Vladimir Putin|Putin|Benjamin Netanyahu|Netanyahu"
)
POLITICIAN = re.compile(rf"\b(?:{POLITICIANS})\b")
# Where politics happens. Naming these is neutral ("the local councillor visited", "the school is a polling station").
INSTITUTION = re.compile(
    r"\b(?:government|Government|Prime Minister|the PM|Chancellor|Education Secretary|Secretary of State|"
    r"Ministers?|MPs?|Parliament|parliament|Westminster|Downing Street|Whitehall|councillors?|Councillors?|"
    r"(?:general|local|mayoral)\s+elections?|by-elections?|General Election|referendum|Brexit|politicians?|"
    r"VAT on (?:private )?school fees)\b"
)
# Words that take a side, when they share a sentence with a party, a politician or the government.
STANCE = re.compile(
    r"\b(?:vote|voting|votes)\s+(?:for|against|out|them|him|her)\b|\b(?:oppos(?:e|es|ed|ing)|solidarity|"
    r"stand (?:with|up to|together)|campaign(?:s|ing|ed)?|protest(?:s|ing|ed)?|boycott|shame(?:ful)?|"
    r"disgrace(?:ful)?|scandal(?:ous)?|betray(?:al|ed|s)?|fail(?:ed|ing|ure)|incompetent|useless|corrupt|liars?|"
    r"hypocri\w+|resign|scrap|axe[ds]?|slash(?:ed|es|ing)?|savage|cruel|heartless|attack on|war on|"
    r"fight (?:for|against|back)|enough is enough|cuts|austerity|underfund(?:ed|ing)?|defund\w*|unfair(?:ly)?|"
    r"unjust|outrage(?:ous)?|destroy(?:ed|ing|s)?|ruin(?:ed|ing|s)?|must (?:go|act|resign|listen|reverse|stop|fund|"
    r"change|do better)|get (?:them|him|her) out|out now|kick (?:them|him|her) out|don['\u2019]?t vote|"
    r"voted (?:for|against)|"
    r"ashamed|let(?:s|ting)? (?:\w+ )?(?:children|pupils|families|schools|us|teachers|parents) down)\b",
    re.IGNORECASE,
)
# Praise or support: taking a side when it is about a party or a politician. Thanking "Cllr Jones (Labour)" for a
# visit is courtesy, thanking Labour is not: that is in CAMPAIGNING.
PRAISE = re.compile(
    r"\b(?:support(?:s|ed|ing|ers?)?|back(?:s|ed|ing|ers?)|champion(?:s|ed|ing)?|"
    r"hero(?:es)?|proud to|the best|the worst|the only party|on (?:our|your) side|standing up for|"
    r"deliver(?:ed|ing|s)? for)\b",
    re.IGNORECASE,
)
# Always a side, whoever wrote them.
CAMPAIGNING = re.compile(
    rf"\b(?:vote|voting)\s+(?:for\s+|against\s+)?(?:the\s+)?(?-i:{PARTY_NAMES}|{POLITICIANS})\b|"
    rf"\bthanks?\s+(?:you\s+)?to\s+(?:the\s+)?(?-i:{PARTY_NAMES}|{POLITICIANS})\b|"
    r"#\w*(?:Tor(?:y|ies)|Labour|Reform|Starmer|Sunak|Farage|Badenoch|Brexit)\w*|"
    r"#Vote(?:Labour|Tory|Conservative|Green|Reform|LibDem|SNP|Plaid|Leave|Remain)\b|"
    r"\b(?:sign(?:ed|ing)?|share|support)\s+(?:the|our|this|my|a)\s+(?:['\u2018\"][^'\u2019\".!?\n]{1,50}['\u2019\"]\s+)?"
    r"(?:e-?)?petition\b|\be-?petition\b|"
    r"\bpetition\s+(?:to|against|calling|demanding|for)\b|"
    r"\b(?:government(?:'s|\u2019s)?|Tory|Conservative|Labour)\s+cuts\b|\b(?:stop|fight|reverse)\s+the\s+cuts\b|"
    r"\bjoin\s+(?:us\s+)?(?:on\s+)?the\s+picket(?:\s+lines?)?\b|\bsupport\s+(?:the|our)\s+(?:strikes?|strikers|"
    r"striking\s+\w+)\b|\bsolidarity\s+with\b",
    re.IGNORECASE,
)
STRIKE = re.compile(r"\b(?:strikes?|striking|industrial action|walk-?outs?|picket\w*|union|unions|NEU|NASUWT|NAHT)\b")
STRIKE_SIDE = re.compile(
    r"\b(?:support(?:ing)?\s+(?:our|the)\s+(?:teachers|staff|strike\w*|union)|solidarity|stand(?:ing)?\s+"
    r"(?:with|behind|alongside)|back(?:ing)?\s+(?:our|the)\s+(?:teachers|staff|union)|picket lines?|fair pay|"
    r"pay (?:rise|offer|award)|deserves?|insult(?:ing)?|scabs?|strike-?breakers?|cross(?:ing)? the picket|"
    r"right to strike|unfair(?:ly)?|shame(?:ful)?|disgrace(?:ful)?|refus(?:e|es|ed|ing) to (?:negotiate|listen|pay)|"
    r"greedy|selfish|holding (?:parents|children|pupils) to ransom)\b",
    re.IGNORECASE,
)
# Charity appeals are campaigns too, so asking for support only warns.
CAMPAIGN_APPEAL = re.compile(
    r"\b(?:join|support|back|sign)\w*\s+(?:us\s+in\s+(?:supporting|backing)\s+)?(?:the|our|this)\s+(?:[\w-]+\s+){0,3}"
    r"campaign\b",
    re.IGNORECASE,
)
# Hints about how to vote that name no party: "remember who cut your funding when you vote", "vote them out".
VOTING_HINT = re.compile(
    r"\bremember\s+(?:who|which\s+(?:party|parties|politicians?|councillors?|MPs?)|what\s+(?:they|the\s+government|"
    r"the\s+council|this\s+government)\s+(?:did|has\s+done|have\s+done))\b[^.!?\n]{0,150}?\b(?:vote|votes|voting|"
    r"polls?|polling\s+(?:station|booth|day)|ballot(?:\s+box)?|elections?)\b|"
    r"\b(?:when|before)\s+you\s+(?:vote|go\s+to\s+the\s+polls|cast\s+your\s+vote)\b[^.!?\n]{0,100}?\bremember\b|"
    r"\bvote\s+(?:them|him|her|the\s+lot\s+of\s+them)\s+out\b|\bdon['\u2019]?t\s+let\s+(?-i:[A-Z]\w+(?:\s+UK)?)\s+"
    r"anywhere\s+near\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
SCHOOL_COUNCIL = re.compile(r"\bschool\s+council\b|\bhead\s+(?:boy|girl)\b|\bmock\s+election\b", re.IGNORECASE)
# A nudge about how to vote that names nobody: "think very carefully about which party has funded schools", "remember
# that at the local elections", "vote wisely". Less certain than "vote them out", so these warn.
VOTING_NUDGE = re.compile(
    r"\bwhich\s+(?:party|parties|politicians?)\s+(?:has|have|had|is|was|actually|really|currently|cut|closed|spent|"
    r"funded|believes|cares)\b|"
    r"\b(?:draw\s+your\s+own\s+conclusions|make\s+of\s+that\s+what\s+you\s+will|remember\s+(?:that|this|it)|worth\s+"
    r"remembering|bear\s+(?:that|this)\s+in\s+mind)\b[^.!?\n]{0,60}?\b(?:polls?|polling|ballot(?:\s+box)?|"
    r"(?:general\s+|local\s+|next\s+)?elections?|vote|voting)\b|"
    r"\bvote\s+(?:wisely|accordingly|carefully|Green|for\s+the\s+party\s+that)\b|\bdon['\u2019]?t\s+vote\b|"
    r"\b(?:got|has|have|getting|get)\s+(?:my|our)\s+vote\b|\bwho\s+I['\u2019]?d\s+vote\s+for\b|"
    r"\bget\s+rid\s+of\s+this\s+lot\b|"
    r"\bthe\s+party\s+that\s+actually\s+(?:cares|believes|funds)\b",
    re.IGNORECASE,
)
# Taking families and children to a protest, or asking them to lobby: "join us at Saturday's rally", "the climate
# march", "bring your placards", "write to your MP". A march for a charity is rare in school posts; a reviewer decides.
PROTEST = re.compile(
    r"\b(?:climate|peace|anti-\w+|funding|education)\s+(?:march|rally|strike|protest)\b|\bplacards?\b|"
    r"\b(?:join|joining|join\s+us\s+at|come\s+and\s+join)\b[^.!?\n]{0,60}?\b(?:march|rally|protest|demo|"
    r"demonstration|picket)\b|\bmarch(?:ed|ing)?\s+(?:against|to\s+demand|with\s+us)\b|"
    r"\bwrite\s+to\s+(?:your|the)\s+(?:MP|Education\s+Secretary|Prime\s+Minister|councillors?)\b|"
    r"\b(?:global\s+)?school\s+strike\b|\bjoined\s+the\s+march\b|\bthe\s+march\s+(?:in|through)\s+(?:London|town)\b|"
    r"\bbanners?\b(?=[^.!?\n]{0,80}\b(?:march|rally|town\s+hall|protest)\b)",
    re.IGNORECASE,
)

POLITICS_RULE = "The policy says posts must not take a side in any political debate or express political opinions."


def political_opinion(text: str) -> list[Hit]:
    hits = []
    for match in VOTING_HINT.finditer(text):
        hits.append(
            Hit(
                POLITICAL,
                "block",
                f"This tells people how to vote (“{excerpt(text, *match.span())}”). " + POLITICS_RULE,
                *match.span(),
            )
        )
    for match in CAMPAIGNING.finditer(text):
        hits.append(
            Hit(
                POLITICAL,
                "block",
                f"This campaigns or takes a side (“{excerpt(text, *match.span())}”). " + POLITICS_RULE,
                *match.span(),
            )
        )
    for match in VOTING_NUDGE.finditer(text):
        hits.append(
            Hit(
                POLITICAL,
                "warn",
                f"This seems to hint at how to vote (“{excerpt(text, *match.span())}”). " + POLITICS_RULE,
                *match.span(),
            )
        )
    for match in PROTEST.finditer(text):
        hits.append(
            Hit(
                POLITICAL,
                "warn",
                f"This asks families to join a protest or lobby (“{excerpt(text, *match.span())}”). Teaching how "
                "democracy works is fine; taking part in a campaign on the school's behalf is not. " + POLITICS_RULE,
                *match.span(),
            )
        )
    for match in CAMPAIGN_APPEAL.finditer(text):
        hits.append(
            Hit(
                POLITICAL,
                "warn",
                f"This asks people to support a campaign (“{excerpt(text, *match.span())}”). "
                "A charity appeal is fine; a political campaign is not.",
                *match.span(),
            )
        )
    for sentence in SENTENCE.finditer(text):
        body, offset = sentence.group(), sentence.start()
        not_parties = [m.span() for m in NOT_A_PARTY.finditer(body)]
        named = [
            m
            for m in (*PARTY.finditer(body), *CONSERVATIVE.finditer(body), *POLITICIAN.finditer(body))
            if not any(a <= m.start() < b for a, b in not_parties)
        ]
        named.sort(key=lambda m: m.start())
        # "our new councillors" of a School Council election are pupils, not politicians
        institutions = [
            m
            for m in INSTITUTION.finditer(body)
            if not (m.group().lower().startswith("councillor") and SCHOOL_COUNCIL.search(text))
        ]
        stance = STANCE.search(body)
        praise = PRAISE.search(body)
        if named and (stance or praise):
            side = stance or praise
            assert side is not None
            start, end = min(named[0].start(), side.start()), max(named[0].end(), side.end())
            hits.append(
                Hit(
                    POLITICAL,
                    "block",
                    f"This seems to take a side about {named[0].group()} "
                    f"(“{excerpt(body, start, end)}”). " + POLITICS_RULE,
                    offset + start,
                    offset + end,
                )
            )
        elif institutions and stance:
            first = institutions[0]
            start, end = min(first.start(), stance.start()), max(first.end(), stance.end())
            hits.append(
                Hit(
                    POLITICAL,
                    "block",
                    f"This seems to express a political opinion (“{excerpt(body, start, end)}”). " + POLITICS_RULE,
                    offset + start,
                    offset + end,
                )
            )
        elif named:
            for m in named:
                what = "a politician" if POLITICIAN.fullmatch(m.group()) else "a political party"
                hits.append(
                    Hit(
                        POLITICAL,
                        "warn",
                        f"This mentions {what} ({m.group()}). A neutral mention is fine, but the "
                        "post must not take a side: check the wording.",
                        offset + m.start(),
                        offset + m.end(),
                    )
                )
        strike = STRIKE.search(body)
        side = STRIKE_SIDE.search(body) if strike else None
        if strike and side:
            start, end = min(strike.start(), side.start()), max(strike.end(), side.end())
        elif STRIKE.search(text, max(0, offset - 150), offset) and (side := STRIKE_SIDE.search(body)):
            # "School is closed due to strike action. Please stand with your teachers": the side comes after.
            start, end = side.span()
        else:
            side = None
        if side:
            hits.append(
                Hit(
                    POLITICAL,
                    "block",
                    f"This seems to take a side in industrial action (“{excerpt(body, start, end)}”). "
                    "Say what is happening and what families need to do, and nothing more. " + POLITICS_RULE,
                    offset + start,
                    offset + end,
                )
            )
    return hits


# ---------------------------------------------------------------------------------------------------------------------
# 3. Personal views
# ---------------------------------------------------------------------------------------------------------------------

PERSONAL_VIEW_PATTERN = re.compile(
    r"\bI(?:\s+(?:really|personally|honestly|strongly|genuinely|truly|do|just|also|still|always))?"
    r"(?:\s+(?:think|believe|reckon|suppose|guess|feel (?:that|like|strongly)|hate|detest|despise|disagree|agree|"
    r"prefer|can['\u2019]?t stand|cannot stand|don['\u2019]?t (?:think|believe|agree)|"
    r"do not (?:think|believe|agree)))\b|"
    r"\bI['\u2019]?m\s+(?:convinced|of the (?:view|opinion)|not a (?:big )?fan|a (?:big |huge )?fan|sick of|fed up)\b|"
    r"\bI['\u2019]d\s+(?:say|argue)\b|\bI would (?:say|argue)\b|"
    r"\b(?i:in my (?:humble |honest |personal |own )?(?:opinion|view|eyes|book)|personally|my (?:personal |own |"
    r"honest )?(?:opinion|view|views|take)|if you ask me|to my mind|as far as I['\u2019]?m concerned)\b|\bIMH?O\b",
)
# The school speaking for itself on a matter of belief or taste ("As a school we believe...", "At Riverside we
# think...", "we don't think children should...") and the asides that mark an opinion ("for the record", "my two
# pennies", "speaking as a vegan", "I'll say it"). "We believe in every child" and "we think you'll love it" are
# the school's ordinary voice, and "honestly" and "frankly" too often only mean "really", so none of those count.
PERSONAL_VIEW_MORE = re.compile(
    r"\b(?:as\s+a\s+school|at\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|here\s+at\s+[A-Z][a-z]+)\s*,?\s+we\s+(?:\w+\s+)?"
    r"(?:believe|think|feel|find|know)\b|"
    r"\bwe\s+(?:as\s+a\s+school\s+|all\s+|really\s+|honestly\s+|genuinely\s+)?(?:don['\u2019]?t|"
    r"do\s+not)\s+(?:think|believe)\b|"
    r"\bwe\s+(?:as\s+a\s+school\s+|firmly\s+|strongly\s+)(?:think|believe|feel)\b|"
    r"\bwe\s+(?:\w+\s+)?(?:think|believe|feel)\s+(?:that\s+)?(?:\w+\s+){0,3}(?:should|shouldn['\u2019]?t|ought)\b|"
    r"\bour\s+school\s+(?:feels|believes|thinks)\b|\bour\s+position\s+as\s+a\s+school\b|"
    r"\bI['\u2019]?m\s+a\s+firm\s+believer\b|\bI\s+(?:firmly|strongly|truly)\s+believe\b|"
    r"\bI['\u2019]?ve\s+always\s+(?:believed|thought|found|felt|admired|said)\b|\bI\s+find\s+(?:it|the|that|\w+ism)\b|"
    r"\bI\s+have\s+to\s+say\b|\bI['\u2019]?(?:ll|m\s+going\s+to)\s+say\s+it\b|\bmy\s+two\s+(?:pence|pennies|cents|"
    r"penn'?orth)\b|"
    r"\bcan\s+I\s+just\s+say\b|\bon\s+a\s+personal\s+note\b|\bspeaking\s+as\s+an?\s+\w+|"
    r"\bas\s+an?\s+(?:lifelong\s+)?(?:mum|dad|parent|vegan|vegetarian|christian|atheist|muslim|catholic|governor\s+and\s+a"
    r"\s+parent)\s+(?:myself|I)\b|\bbetween\s+(?:you\s+and\s+me|us)\b|\bnot\s+to\s+get\s+political\b|\brant\s+over\b|"
    r"\bpersonal\s+opinion\b|\b(?:just\s+)?our\s+opinion\b|\bfor\s+the\s+record\b|\bcan\s+we\s+all\s+agree\b|"
    r"\banyone\s+else\s+think\b|\bI\s+know\s+it['\u2019]?s\s+controversial\b|\bdon['\u2019]?t\s+@\s+us\b|"
    r"\bI\s+can['\u2019]?t\s+help\s+thinking\b|\bcan['\u2019]?t\s+help\s+thinking\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"\"[^\"\n]{0,400}\"|“[^”\n]{0,400}”|(?<!\w)\u2018[^\u2018\n]{0,400}?\u2019(?!\w)")


def personal_view(text: str) -> list[Hit]:
    quoted = [m.span() for m in QUOTED.finditer(text)]
    hits = []
    for match in (*PERSONAL_VIEW_PATTERN.finditer(text), *PERSONAL_VIEW_MORE.finditer(text)):
        if any(a <= match.start() < b for a, b in quoted):
            continue  # a pupil's or visitor's words, quoted, are theirs
        hits.append(
            Hit(
                PERSONAL_VIEW,
                "warn",
                f"“{match.group()}” reads as a personal view. Posts speak for the school, so "
                "the policy asks for neutral wording and no personal views.",
                *match.span(),
            )
        )
    return hits


# ---------------------------------------------------------------------------------------------------------------------
# 4. Personal information
# ---------------------------------------------------------------------------------------------------------------------

CONTACT_RULE = "Posts must not share personal contact details."
# The national significant number's first digits of numbers that belong to organisations, not people: freephone,
# 03 (charged like a landline, used by councils and charities), 084/087 and premium rate. These only warn.
ORGANISATION_PREFIXES = ("800", "808", "3", "84", "87", "9", "500")
PHONE_FALLBACK = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.\-()]{0,2}\d){8,10}(?!\d)")
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
ROLE_MAILBOXES = re.compile(
    r"^(?:office|admin|administration|enquiries|enquiry|info|information|reception|contact|hello|head|headteacher|"
    r"bursar|finance|sendco|senco|send|admissions|attendance|absence|absences|safeguarding|dsl|clerk|governors|"
    r"hr|pta|friends|trips|lettings|catering|kitchen|it|support|helpdesk|communications|comms|marketing|"
    r"jobs|recruitment|vacancies|careers|exams|sixthform|sixth\.form|payments)(?:[._-]\w+)?@",
    re.IGNORECASE,
)
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d{1,2}|"
    r"[A-HK-Y]\d[ABEHMNPRV-Y])\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)
STREET_SUFFIX = (
    r"(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Gardens|Court|Place|Terrace|Grove|Row|Mews|Walk|Square|"
    r"Rise|Parade|Vale|Meadows?|Chase|Mount|Croft|Fold|Garth|Wynd|Boulevard|Hill|View|Park|Green|Yard|Wharf|Gate|"
    r"Cottages)\b"
    # Abbreviations, unless they begin a name: "3 Church St" is an address, "3 St John's" is not.
    r"|(?:Rd|St|Ave|Dr|Cl|Cres|Gdns|Ct|Pl|Tce|Ln|Sq)\b(?!\.?\s+[A-Z][a-z])(?!['\u2019])"
)
ADDRESS = re.compile(
    rf"(?<![\w£$.,:/-])(?:(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:[A-Z][a-z'\u2019]+(?:-[A-Z]?[a-z]+)?\s+){{1,3}}(?:{STREET_SUFFIX})"
)
# A named place just before an address or postcode ("St John's Church, 14 Church Road") makes it a venue's.
VENUE = re.compile(
    r"\b(?:Church|Chapel|Cathedral|Minster|Abbey|Hall|School|Academy|College|University|Centre|Center|Library|"
    r"Museum|Gallery|Park|Theatre|Theater|Stadium|Ground|Club|Surgery|Hospital|Station|Pool|Arena|Farm|Zoo|Castle|"
    r"Hotel|Cinema|Hub|Pavilion|Hut|Field|Fields|Gardens|Trust|Council|Office)\b"
)
HOME = re.compile(r"\b(?:lives?|living|lived|home|house|staying|address|moved)\b", re.IGNORECASE)
# Numbers said to be an organisation's: these warn rather than block, unless they are mobiles.
ORGANISATION_LINE = re.compile(
    r"\b(?:school|office|reception|absence line|attendance line|helpline|switchboard|main number|enquiries|academy|"
    r"trust|surgery|centre|council|library|box office|front desk)\b",
    re.IGNORECASE,
)
# Addresses everyone knows, named in lessons.
FAMOUS_ADDRESSES = re.compile(r"\b(?:10|11)\s+Downing\s+Street|221b?\s+Baker\s+Street|\bPudding\s+Lane", re.IGNORECASE)
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+)?"
DATE_WITH_YEAR = (
    rf"(?:{DAY}(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH},?\s+(?:\d{{4}}|['\u2019]\d{{2}})|"
    rf"{DAY}{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}}))"
)
DATE_ANY = (
    rf"(?:{DATE_WITH_YEAR}|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH}|"
    rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
)
BIRTH_DATE = re.compile(
    rf"\bborn\s+(?:on\s+)?(?:the\s+)?{DATE_WITH_YEAR}|"
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date)(?:\s*(?:is|was|:|-|\u2013))?\s*{DATE_ANY}|"
    rf"\bbirthday\s*(?:is|was|:|-|\u2013)\s*(?:on\s+)?(?:the\s+)?{DATE_WITH_YEAR}|"
    rf"\b(?:his|her|their|my|your)\s+birthday\b[^.!?\n]{{0,30}}?{DATE_WITH_YEAR}",
    re.IGNORECASE,
)


# A birthday with its day and month, beside an age or a name, gives a date of birth: "Freya turns 7 today (12th
# March)", "Zain, 13 on the 22nd". The cue and the date must share a sentence.
BIRTHDAY_CUE = re.compile(
    r"\bbirthdays?\b|\b(?:turns?|turned|turning)\s+\d{1,2}\b|\b\d{1,2}\s+today\b|\b(?:is|are|was|were|be)\s+\d{1,2}\s+"
    r"on\b|\(\s*\d{1,2}\s+on\b|\b\d{1,2}(?:st|nd|rd|th)\s+birthday\b",
    re.IGNORECASE,
)
BIRTHDAY_DATE = re.compile(
    rf"{DATE_ANY}|\b(?:on\s+)?the\s+\d{{1,2}}(?:st|nd|rd|th)\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+"
    r"\d{1,2}(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
# "The school's 50th birthday on 3 May", "the King's birthday": not a pupil's.
NOT_A_PUPILS_BIRTHDAY = re.compile(
    r"\b(?:its|school|academy|trust|king|queen|museum|library|club|charity|town|village|church)['\u2019]?s?\s+"
    r"(?:\d{1,3}(?:st|nd|rd|th)\s+)?birthday\b|\bbirthday\s+party\s+(?:invitations?|bags?)\b",
    re.IGNORECASE,
)


def _each_sentence(text: str, sentence: re.Pattern[str], find) -> list[Hit]:
    """Personal information found sentence by sentence: `find(body)` gives (severity, start, end, message) within
    the sentence, or None."""
    hits = []
    for match in sentence.finditer(text):
        found = find(match.group())
        if found is not None:
            severity, start, end, message = found
            hits.append(Hit(PERSONAL_INFO, severity, message, match.start() + start, match.start() + end))
    return hits


def _birthday_with_date(body: str) -> tuple[Severity, int, int, str] | None:
    cue = BIRTHDAY_CUE.search(body)
    date = BIRTHDAY_DATE.search(body) if cue else None
    if not cue or not date or NOT_A_PUPILS_BIRTHDAY.search(body):
        return None
    start, end = min(cue.start(), date.start()), max(cue.end(), date.end())
    message = (
        f"This gives a birthday with its date (“{excerpt(body, start, end)}”). With an age or a year group that is a "
        "date of birth, which is personal information and must not be shared."
    )
    return "block", start, end, message


def birthdays_with_dates(text: str) -> list[Hit]:
    return _each_sentence(text, SENTENCE, _birthday_with_date)


# Dates of birth written the way people talk: "born on Christmas Eve", "he's 9 on the 3rd of December", "turns
# nine today, 19th June", "seven on the sixth of the seventh", "Mon 10th: Poppy (Y8)" under "Birthday shout-outs",
# "#born3rdMay2012". Less sure than a date beside the word birthday (a nativity's "born on Christmas Day"), so
# these warn.
NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen)"
)
ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
    r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[\s-]\w+|thirtieth|thirty[\s-]first)"
)
HOLIDAY = (
    r"(?:Christmas\s+(?:Eve|Day)|New\s+Year['\u2019]?s\s+(?:Eve|Day)|Valentine['\u2019]?s\s+Day|Boxing\s+Day|"
    r"Halloween|Bonfire\s+Night|St\.?\s+[A-Z][a-z]+['\u2019]?s\s+Day|April\s+Fool['\u2019]?s\s+Day|"
    r"Leap\s+Day)"
)
SPOKEN_BIRTHDAY_CUE = re.compile(
    rf"\bbirthdays?\b|\b(?:turns?|turned|turning)\s+(?:\d{{1,2}}|{NUMBER_WORDS})\b|\b(?:\d{{1,2}}|{NUMBER_WORDS})\s+"
    rf"(?:years?\s+old|today|tomorrow)\b|['\u2019]s\s+(?:\d{{1,2}}|{NUMBER_WORDS})\s+on\b|\b(?:is|be|was)\s+(?:going\s+"
    rf"to\s+be\s+)?['\u2018]?{NUMBER_WORDS}\s+on\b|\bhappy\s+(?:\d{{1,2}}(?:st|nd|rd|th)|sweet\s+sixteen)\b|"
    rf"\bcelebrat\w*\s+(?:his|her|their)\s+\d{{1,2}}(?:st|nd|rd|th)\b|\bsweet\s+sixteen\b",
    re.IGNORECASE,
)
SPOKEN_DATE = re.compile(
    rf"{DATE_ANY}|{HOLIDAY}|#\d{{1,2}}(?:st|nd|rd|th)?{MONTH}\b|\bthe\s+(?:{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\s+"
    rf"of\s+(?:this|last|next)\s+month\b|\bthe\s+(?:last|first)\s+day\s+of\s+{MONTH}|"
    rf"\bthe\s+{ORDINAL_WORDS}\s+of\s+(?:the\s+{ORDINAL_WORDS}|{MONTH})|"
    rf"\b(?:Mon|Tues?|Wed|Thu(?:rs)?|Fri|Sat|Sun)(?:day)?\s+\d{{1,2}}(?:st|nd|rd|th)\b|"
    r"\(\s*\d{1,2}(?:st|nd|rd|th)\s*\)|(?<![\d.\u00a3:/])\d{1,2}[/.](?:0?[1-9]|1[0-2])(?![\d.:/])(?!\s*(?:am|pm|mi))",
    re.IGNORECASE,
)
BORN_ON = re.compile(
    rf"\bborn\s+(?:on\s+)?(?:the\s+)?(?:{DATE_ANY}|{HOLIDAY}|(?:last|first)\s+day\s+of\s+{MONTH})", re.IGNORECASE
)
# "Happy birthday Freddie (Y1), six today": an age on the day of posting is a date of birth too. Not the class
# hamster's or the minibus's.
AGE_ON_THE_DAY = re.compile(
    rf"\b(?:is|turns?|turned|turning)\s+(?:\d{{1,2}}|{NUMBER_WORDS})\b|\b(?:\d{{1,2}}|{NUMBER_WORDS})\s+(?:years?\s+old\s+)?"
    r"(?:today|yesterday)\b",
    re.IGNORECASE,
)
BIRTHDAY_WORD = re.compile(r"\bbirthday\b", re.IGNORECASE)
ON_THE_DAY = re.compile(r"\b(?:today|yesterday)\b", re.IGNORECASE)
NOT_A_CHILDS_AGE = re.compile(
    r"\b(?:hamster|guinea\s+pig|rabbit|tortoise|fish|minibus|tree|cat|dog|puppy|kitten)\b",
    re.IGNORECASE,
)
BORN_TAG = re.compile(rf"#born\d{{1,2}}(?:st|nd|rd|th)?{MONTH}\d{{0,4}}\b", re.IGNORECASE)
# "Happy 100th birthday to our school! Thornbeck Primary opened its doors on 4th September 1924."
SCHOOLS_BIRTHDAY = re.compile(
    r"\bbirthday\s+to\s+(?:our|the)\s+(?:\w+\s+)?(?:school|academy|trust|building|library|hall)\b|"
    r"\bopened\s+(?:its|our|their)\s+doors\b",
    re.IGNORECASE,
)
NOT_A_CHILD_BORN = re.compile(r"\b(?:Jesus|Christ|Mary|the\s+baby|lambs?|chicks?|puppies|kittens)\b", re.IGNORECASE)


def spoken_birth_dates(text: str) -> list[Hit]:
    if SCHOOLS_BIRTHDAY.search(text):
        return []
    found: list[tuple[int, int]] = [m.span() for m in BORN_TAG.finditer(text)]
    age = AGE_ON_THE_DAY.search(text)
    a_birthday = bool(BIRTHDAY_WORD.search(text) and ON_THE_DAY.search(text))
    if age and a_birthday and not NOT_A_CHILDS_AGE.search(text) and not NOT_A_PUPILS_BIRTHDAY.search(text):
        found.append(age.span())
    for sentence in SENTENCE.finditer(text):
        body, offset = sentence.group(), sentence.start()
        if NOT_A_PUPILS_BIRTHDAY.search(body) or NOT_A_CHILD_BORN.search(body):
            continue
        found += [(offset + m.start(), offset + m.end()) for m in BORN_ON.finditer(body)]
        # The cue may end the sentence before: "Birthday shout-outs for this week! Mon 10th: Poppy (Y8)".
        lead = text[max(0, offset - 60) : offset]
        cue = SPOKEN_BIRTHDAY_CUE.search(body) or SPOKEN_BIRTHDAY_CUE.search(lead)
        # A few characters on, as SENTENCE ends at the dot of "turns 7 today, 15.11".
        date = SPOKEN_DATE.search(text, offset, sentence.end() + 3) if cue else None
        if cue and date:
            found.append(date.span())
    return [
        Hit(
            PERSONAL_INFO,
            "warn",
            f"This seems to give a pupil's birthday with its date (“{excerpt(text, start, end)}”). With an age or a "
            "year group that is a date of birth, which is personal information and must not be shared.",
            start,
            end - text[start:end].endswith("."),  # not the full stop after the date
        )
        for start, end in found
    ]


def personal_information(text: str, public: Collection[str] = ()) -> list[Hit]:
    published = {_digits(p) for p in public if _digits(p)} | {p.strip().lower() for p in public}
    hits = [*_phone_numbers(text, published)]
    for match in EMAIL.finditer(text):
        address = match.group()
        if address.lower() in published:
            continue
        if ROLE_MAILBOXES.match(address):
            hits.append(
                Hit(
                    PERSONAL_INFO,
                    "warn",
                    f"This is an email address ({address}). It looks like an office mailbox, "
                    "which is fine to share; make sure it is not a person's own address.",
                    *match.span(),
                )
            )
        else:
            hits.append(
                Hit(
                    PERSONAL_INFO,
                    "block",
                    f"This looks like a personal email address ({address}). " + CONTACT_RULE,
                    *match.span(),
                )
            )
    famous = [m.span() for m in FAMOUS_ADDRESSES.finditer(text)]
    for match in ADDRESS.finditer(text):
        if any(a <= match.start() < b for a, b in famous) or _is_published(match.group(), published):
            continue
        hits.append(_address_hit(text, "an address", match.start(), match.end()))
    for match in POSTCODE.finditer(text):
        code = match.group()
        # "KS2 1st" and "Y3 2nd" are key stages and year groups, not postcodes: ordinals only count in capitals.
        if ORDINAL.search(code[-3:]) and not code.isupper():
            continue
        if _is_published(code, published):
            continue
        hits.append(_address_hit(text, "a postcode", match.start(), match.end()))
    for match in BIRTH_DATE.finditer(text):
        start, end = match.start(), match.start() + len(match.group().rstrip("."))
        hits.append(
            Hit(
                PERSONAL_INFO,
                "block",
                f"This looks like a date of birth (“{excerpt(text, start, end)}”). "
                "Dates of birth are personal information and must not be shared.",
                start,
                end,
            )
        )
    hits += birthdays_with_dates(text)
    hits += child_birth_dates(text)
    hits += streets_of_children(text)
    return hits


# A full date in a year when today's pupils were born ("Ibrahim (25.12.2013)") is as good as a date of birth; the
# dates a school post gives otherwise are this year's and last year's, or a building's from long ago.
DATE_WITH_YEAR_PATTERN = re.compile(DATE_WITH_YEAR, re.IGNORECASE)
YEAR_AT_END = re.compile(r"(\d{2}|\d{4})\W*$")
SAME_SEPARATORS = re.compile(r"\d{1,2}([/.\-])\d{1,2}\1\d+")


def _is_time_range(text: str, match: re.Match[str]) -> bool:
    """Hours, not a date: "11.45-1.15", "3.15-4.15" (a date keeps one separator and follows no digit or dot)."""
    if not re.match(r"\d{1,2}[/.\-]", match.group()):
        return False
    before = text[match.start() - 1 : match.start()] if match.start() else ""
    return not SAME_SEPARATORS.fullmatch(match.group()) or before.isdigit() or before in (".", ":")


def child_birth_dates(text: str, today: datetime.date | None = None) -> list[Hit]:
    this_year = (today or datetime.date.today()).year
    hits = []
    for match in DATE_WITH_YEAR_PATTERN.finditer(text):
        year = YEAR_AT_END.search(match.group())
        if not year or _is_time_range(text, match):
            continue
        value = int(year.group(1))
        value = value if value > 100 else 2000 + value
        if this_year - 19 <= value <= this_year - 4:
            hits.append(
                Hit(
                    PERSONAL_INFO,
                    "warn",
                    f"This gives a full date from a year when today's pupils were born (“{match.group()}”). If it "
                    "is a pupil's date of birth, it is personal information and must not be shared.",
                    *match.span(),
                )
            )
    return hits


# A street or an estate named in the same sentence as a child or a home ("Jacob walks home along Meadow Lane", "out
# on their bikes on Fernside Close") tells a stranger where a child can be found. Roadworks, parking and the school
# gate on a street are not about a child.
STREET_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){1,2}(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Grove|Gardens|Terrace|Mews|Rise|"
    r"Row|Walk|Brow|Parade|Court)\b|\bthe\s+[A-Z][a-z]+\s+[Ee]state\b"
)
CHILD_OR_HOME = re.compile(
    r"\b(?:lives?|living|home|house|houses|garden|farm|doorstep|walks?|walking|cycles?|bikes?|out\s+on|collected|"
    r"picked\s+up|dropped|neighbours?|his|her|their)\b",
    re.IGNORECASE,
)
NOT_ABOUT_A_CHILD = re.compile(
    r"roadworks|traffic|divert|diversion|\bpark(?:ing|ed)\b|\b(?-i:park)\s+(?:on|in|across|outside|along|near)\b|"
    r"\bgates?\b|zig-?zags?|lollipop|crossing|closed|"
    r"\bHigh\s+Street\b|\bMain\s+(?:Road|Street)\b",
    re.IGNORECASE,
)


def streets_of_children(text: str) -> list[Hit]:
    hits = []
    for sentence in SENTENCE.finditer(text):
        body, offset = sentence.group(), sentence.start()
        street = STREET_NAME.search(body)
        if not street or NOT_ABOUT_A_CHILD.search(body):
            continue
        named = any(word.lower() in COMMON_FIRST_NAMES for word in NAME_WORD.findall(body))
        if not (named or CHILD_OR_HOME.search(body)):
            continue
        start, end = offset + street.start(), offset + street.end()
        hits.append(
            Hit(
                PERSONAL_INFO,
                "warn",
                f"This names a street or estate (“{text[start:end]}”) beside a child or a home. Posts must not say "
                "where a pupil lives or can be found.",
                start,
                end,
            )
        )
    return hits


# Where a child can be found without a street named: "lives over the Spar in Ashby", "from the Meadowbank flats",
# "catches the number 12 bus home", "trains at Kingsway Leisure Centre every Tuesday 6pm", "at her gran's on
# Orchard Rise every day". Said of one child (a first name, or he / she), these tell a stranger where to wait.
HOME_OR_ROUTE = re.compile(
    r"\blives?\s+(?:in|on|at|over|out|near|next|opposite|above|round|down|up|by)\b|"
    r"\b(?:outside|at|from|to)\s+(?:his|her|their)\s+(?:house|home|flat|nan['\u2019]?s|gran['\u2019]?s|grandma['\u2019]?s|"
    r"grandad['\u2019]?s|dad['\u2019]?s|mum['\u2019]?s|aunt(?:ie)?['\u2019]?s)\b|"
    r"\b(?:his|her|their)\s+(?:nan|gran|grandma|grandad|granny|dad|mum|aunt|auntie)['\u2019]s\s+(?:\w+\s+)?(?:on|in|at)\s+"
    r"(?:the\s+)?(?-i:[A-Z])|\bfrom\s+the\s+[A-Z][a-z]+\s+(?:flats|estate|farm)\b|\bfrom\s+[A-Z][a-z]+\s+Farm\b|"
    r"\b(?:walks?|cycles?|rides?|comes?|travels?|drives?)\s+(?:in\s+|home\s+|across\s+\w+\s+\w+\s+)?(?:every\s+\w+\s+)?"
    r"(?:all\s+the\s+way\s+)?from\b|\b(?:catches|gets|takes|waits\s+for)\s+the\s+(?:number\s+)?\d+(?:[.:]\d\d)?\b|"
    r"\bbedroom\s+window\b|\b(?:above|over)\s+the\s+(?:Spar|chippy|shop|Co-op|café|cafe|pub)\b|"
    r"\bfrom\s+(?:the\s+village\s+of\s+)?Little\s+[A-Z][a-z]+\b",
    re.IGNORECASE,
)
# Somewhere a child is, again and again: "every Saturday at 10", "most evenings about 6", "Mon/Wed/Fri".
REGULAR_TIME = re.compile(
    r"\b(?:every|each)\s+(?:single\s+)?(?:day|morning|evening|night|afternoon|weekend|week|(?:Mon|Tues?|Wed(?:nes)?|"
    r"Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?)s?\b|\b(?:around|about|usually\s+at)\s+\d{1,2}[.:]\d\d\b|"
    r"\bmost\s+(?:evenings|nights|mornings|afternoons|days|weekends)\b|"
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)/(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|"
    r"\b(?:Saturday|Sunday)\s+(?:morning\s+)?(?:parkrun|football|rugby|club)\b|\ball\s+of\s+(?:August|July|"
    r"the\s+holidays)\b|"
    r"\btill\s+(?:about\s+)?\d{1,2}\b|\bon\s+a\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|"
    r"\bon\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days\b",
    re.IGNORECASE,
)
# A place you can go and wait at: a named one, or a kind of public place.
PLACE = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){1,2}(?:Leisure\s+Centre|Park|Road|Street|Lane|Stadium|Wharf|Pool|Baths|Library|Rec|Common|"
    r"Holiday\s+Park|Heath|Green|Fields?|Beach|Dingle|Wood|Woods|Lake)\b|"
    r"\b[A-Z][a-z]+\s+(?:leisure\s+centre|park|rec|library|pool|baths|skate\s+park)\b|"
    r"\b(?:the|a)\s+(?:\w+\s+)?(?:park|rec|skate\s+park|play\s*park|leisure\s+centre|library|pool|bus\s+stop|chippy|"
    r"café|cafe|shop|Co-op|Spar|canal|towpath|beach|stables|lake|bandstand|market\s+square|swimming\s+baths|caravan|"
    r"market|stall|car\s+boot|church\s+hall|bus\s+shelter|petrol\s+station|flats|burger\s+van)\b|"
    r"\b(?:outside|at)\s+the\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b|\b(?:Brownies|Scouts|Cubs|Beavers|Guides|Rainbows)\b|"
    r"\bSt\.?\s+[A-Z][a-z]+['\u2019]s\b",
)
# Only what makes a street about cars, not a child: a child is often found "by the crossing" or "at the gate".
NOT_A_CHILDS_PLACE = re.compile(
    r"roadworks|traffic|divert|diversion|\bpark(?:ing|ed)\b|\b(?-i:park)\s+(?:on|in|across|outside|along|near)\b|"
    r"zig-?zags?|lollipop",
    re.IGNORECASE,
)
# A sentence that does not end at the dot of a time or a date ("at 6.30am", "15.11").
SENTENCE_WITH_TIMES = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?]*")
ONE_CHILD = re.compile(r"\b(?:he|she|him|his|her)\b", re.IGNORECASE)


def whereabouts_of_children(text: str) -> list[Hit]:
    hits = []
    for sentence in SENTENCE_WITH_TIMES.finditer(text):
        body, offset = sentence.group(), sentence.start()
        if NOT_A_CHILDS_PLACE.search(body):
            continue
        lead = text[max(0, offset - 80) : offset]
        named = any(_given_name(word.lower()) for word in NAME_WORD.findall(lead + " " + body))
        if not (named or ONE_CHILD.search(body)):
            continue
        route = HOME_OR_ROUTE.search(body)
        regular, place = REGULAR_TIME.search(body), PLACE.search(body)
        if route:
            start, end = route.span()
        elif regular and place:
            start, end = min(regular.start(), place.start()), max(regular.end(), place.end())
        else:
            continue
        hits.append(
            Hit(
                PERSONAL_INFO,
                "warn",
                f"This says where a child lives or can be found (“{excerpt(body, start, end)}”). Posts must not say "
                "where a pupil lives or can be found.",
                offset + start,
                offset + end,
            )
        )
    return hits


# Where a group of pupils is now, or will be within hours, away from school: "right now we're at the science centre",
# "staying at the Hotel Alpenblick till Sunday", "camping tonight at Blackdale Farm", "the coach drops them off at the
# Fuelstop garage at 5.45". The policies ask staff to weigh what identifies children "and/or their location" before
# sharing it: a trip is posted about when it is over, not while a stranger could still go and find the children.
LIVE = re.compile(
    r"\b(?:right\s+now|currently|at\s+the\s+moment|as\s+we\s+speak|live\s+(?:from|at)|heading\s+(?:to|into)\b|"
    r"drop-?off\s+for\s+the|just\s+(?:arrived|landed|got)\s+(?:at|in|to)|"
    r"(?:have|has)\s+(?:just\s+)?arrived(?:\s+safely)?\s+(?:at|in)|(?:are|is)\s+now\s+(?:at|in|on)|"
    r"(?:we|they)(?:['\u2019]re|\s+are)\s+(?:now\s+|just\s+|all\s+)?(?:at|in|on|by|having|heading|off)\b|"
    r"here\s+(?:till|until)|staying\s+(?:at|in)|camping\s+(?:tonight|overnight)|(?:tonight|overnight)\s+at|"
    r"map\s+pin|follow\s+(?:their|our|the\s+group['\u2019]?s?)\s+progress|"
    r"(?:drop|drops|dropping|dropped)\s+(?:off\s+)?(?:\w+\s+){0,3}(?:at|outside)|be\s+(?:back|collected)\s+(?:at|from)\s+the|"
    r"will\s+be\s+(?:at|on)\s+(?:the\s+)?[A-Z](?:[^.!?\n]{0,60})\b(?:all\s+(?:morning|afternoon|day)|until|till|from\s+\d)|"
    r"waiting\s+(?:on|at|outside)\s+the)",
    re.IGNORECASE,
)
# A place a stranger could find: a named venue, a street, or a spot within one.
LIVE_PLACE = re.compile(
    r"\b(?:[A-Z][\w'\u2019]+\s+){0,3}(?:Zoo|Centre|Center|Park|Lodge|Hotel|Hôtel|Farm|Forest|Museum|Theatre|Square|"
    r"Hall|Market|Pond|Lake|Beach|Cove|Campsite|Field|Garage|Station|Club|Stadium|Castle|Abbey|Cathedral|Pier|Hostel|"
    r"Camp|High|Academy|Pool|Baths|Road|Lane|Street|st|Way|End|Avenue|Drive)\b|"
    r"\b(?:car\s+park|lay-?by|checkpoint|enclosure|campsite|hut|room\s+block|picnic\s+area|fountain|steps\s+of)\b",
)
# Told afterwards, the trip is over: "Year 3 had a brilliant time at the zoo yesterday".
OVER = re.compile(
    r"\b(?:yesterday|last\s+(?:week|night|term|year)|had\s+a\s+(?:brilliant|great|lovely|fantastic|wonderful)|"
    r"visited|went\s+to)\b",
    re.IGNORECASE,
)


def _whereabouts_now(body: str) -> tuple[Severity, int, int, str] | None:
    cue = LIVE.search(body)
    if cue is None or OVER.search(body) or not LIVE_PLACE.search(body):
        return None
    message = (
        f"This says where pupils are now or will be soon (“{excerpt(body, cue.start(), cue.end())}”). Post about a "
        "trip or a fixture when the children have left the place, not while a stranger could find them there."
    )
    return "warn", cue.start(), cue.end(), message


def pupils_whereabouts_now(text: str) -> list[Hit]:
    return _each_sentence(text, SENTENCE_WITH_TIMES, _whereabouts_now)


NAME_WORD = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def _address_hit(text: str, what: str, start: int, end: int) -> Hit:
    shown = excerpt(text, start, end)
    lead_in = _lead_in(text, start)
    if VENUE.search(lead_in) and not HOME.search(lead_in):
        return Hit(
            PERSONAL_INFO,
            "warn",
            f"This looks like {what} ({shown}) of a venue, which is fine for an event; make "
            "sure it is not anyone's home.",
            start,
            end,
        )
    return Hit(
        PERSONAL_INFO,
        "block",
        f"This looks like {what} ({shown}). With a name or a photo it can show where someone "
        "lives: posts must not share home address details.",
        start,
        end,
    )


def _lead_in(text: str, start: int, limit: int = 80) -> str:
    """The words before a position, back to the start of its sentence."""
    before = text[max(0, start - limit) : start]
    cut = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind("\n"))
    return before[cut + 1 :] if cut >= 0 else before


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:].removeprefix("0")
    return digits if len(digits) >= 9 else ""


def _is_published(value: str, published: set[str]) -> bool:
    squeezed = " ".join(value.lower().split())
    return any(squeezed in p or squeezed.replace(" ", "") in p.replace(" ", "") for p in published if len(p) > 4)


def _phone_numbers(text: str, published: set[str]) -> list[Hit]:
    """UK numbers in any common layout. The matcher is lenient ("possible", not "valid") so that numbers in Ofcom's
    ranges kept for drama, like 07700 900123, are caught too; the regex behind it catches what the matcher splits."""
    found: dict[tuple[int, int], str] = {}
    for candidate in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        raw = candidate.raw_string
        digits = re.sub(r"\D", "", raw)
        international = raw.lstrip("(").startswith(("+", "00"))
        nsn = phonenumbers.national_significant_number(candidate.number)
        # A national number starts with its trunk 0; anything else ("30 28 29 31 27", "12 06 2025") is not one.
        if international:
            if len(nsn) < 7:
                continue
        elif not digits.startswith("0") or candidate.number.country_code != 44 or len(nsn) not in (9, 10):
            continue
        found[(candidate.start, candidate.end)] = nsn
    for match in PHONE_FALLBACK.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in found):
            continue
        digits = re.sub(r"\D", "", match.group())
        nsn = digits[2:] if digits.startswith("44") else digits[4:] if digits.startswith("0044") else digits
        nsn = nsn.removeprefix("0")
        if len(nsn) in (9, 10) and nsn[0] in "1235789":
            found[match.span()] = nsn
    hits = []
    for (start, end), nsn in found.items():
        shown = text[start:end]
        if "0" + nsn in published or nsn in published:
            continue
        if nsn.startswith(ORGANISATION_PREFIXES):
            hits.append(
                Hit(
                    PERSONAL_INFO,
                    "warn",
                    f"This looks like a phone number ({shown}). Its range is used by "
                    "organisations and helplines, which is fine; make sure it is not someone's personal number.",
                    start,
                    end,
                )
            )
        elif not nsn.startswith("7") and ORGANISATION_LINE.search(_lead_in(text, start)):
            hits.append(
                Hit(
                    PERSONAL_INFO,
                    "warn",
                    f"This looks like an organisation's phone number ({shown}), which is fine "
                    "to share; make sure it is not someone's personal number.",
                    start,
                    end,
                )
            )
        else:
            hits.append(
                Hit(PERSONAL_INFO, "block", f"This looks like a phone number ({shown}). " + CONTACT_RULE, start, end)
            )
    return hits


# ---------------------------------------------------------------------------------------------------------------------
# 5. Pupils' names
# ---------------------------------------------------------------------------------------------------------------------

NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*(?:['\u2019](?![^\W\d_]))?")
TITLES = frozenset(
    _words(
        """
        mr mrs miss ms mx dr sir dame lady lord king queen prince princess st saint rev reverend father sister brother
        uncle aunt auntie captain professor prof
        """
    )
)
# Names that are also everyday words: at the start of a sentence they are usually the word ("Will you join us?").
AMBIGUOUS_AT_SENTENCE_START = frozenset(
    _words(
        """
        will may grace hope joy rose faith mark bill pat sue bob chase frank rich ray guy dawn summer autumn holly ivy
        daisy robin amber hunter mason angel iris sky storm star hazel olive miles sunny jack heather poppy violet april
        june august skye river sage honey bonnie jay don art glen dale cliff victor justice harmony precious liberty
        blessing unique noble royal king prince brook brooke heath forest rocky destiny serenity ember reed penny
        crystal pearl ruby jade jasmine lily willow saffron clay sterling dusty ivory rowan ash
        """
    )
)
MONTH_NAMES = frozenset({"april", "may", "june", "july", "august"})
SEASONS = frozenset({"summer", "autumn", "spring", "winter"})
DATE_WORDS = frozenset(
    _words("in on of during until till since this next last early late mid end by from to before after throughout")
)
SENTENCE_BREAKS = '.!?:;\n•*\u2013\u2014-"“\u2018(['
NAME_RULE = "The policy needs a family's prior consent before a post names their child."


def _norm(name: str) -> str:
    if name.isascii():
        return name.lower()
    folded = unicodedata.normalize("NFKD", name.replace("\u2019", "'")).casefold()
    return "".join(c for c in folded if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)  # a school's register is the same from one post to the next
def _name_key(name: str) -> tuple[str, ...]:
    return tuple(_norm(t.group()) for t in NAME_TOKEN.finditer(name))


class _Token(NamedTuple):
    norm: str  # folded, possessive removed
    start: int
    end: int  # without a possessive 's
    capitalised: bool


def _name_tokens(text: str) -> list[_Token]:
    tokens = []
    for match in NAME_TOKEN.finditer(text):
        word, end = match.group(), match.end()
        for suffix in ("'s", "\u2019s", "'", "\u2019"):
            if word.endswith(suffix) and len(word) > len(suffix):
                word, end = word[: -len(suffix)], end - len(suffix)
                break
        tokens.append(_Token(_norm(word), match.start(), end, word[0].isupper()))
    return tokens


class RegisterIndex:
    """Pupils by full name (first or preferred name, then last name) and by first name, as folded tokens."""

    def __init__(self, register: Iterable[RegisterPupil]):
        self.full: dict[tuple[str, ...], list[RegisterPupil]] = {}
        self.first: dict[tuple[str, ...], list[RegisterPupil]] = {}
        for pupil in register:
            last = _name_key(pupil.last_name)
            for given in {_name_key(pupil.first_name), _name_key(pupil.preferred_name)}:
                if not given:
                    continue
                if last:
                    self.full.setdefault(given + last, []).append(pupil)
                self.first.setdefault(given, []).append(pupil)
        self.longest_full = max((len(k) for k in self.full), default=0)
        self.longest_first = max((len(k) for k in self.first), default=0)


def pupil_names(text: str, register: Sequence[RegisterPupil] | RegisterIndex) -> list[Hit]:
    index = register if isinstance(register, RegisterIndex) else RegisterIndex(register)
    if not index.first:
        return []
    tokens = _name_tokens(text)
    hits: list[Hit] = []
    used: set[int] = set()

    def joined(i: int, n: int) -> bool:  # tokens i..i+n-1 separated only by spaces
        return all(not text[tokens[j].end : tokens[j + 1].start].strip() for j in range(i, i + n - 1))

    for i in range(len(tokens)):
        if i in used:
            continue
        for n in range(min(index.longest_full, len(tokens) - i), 1, -1):
            pupils = index.full.get(tuple(t.norm for t in tokens[i : i + n]))
            if pupils and joined(i, n):
                start, end = tokens[i].start, tokens[i + n - 1].end
                hits.append(_full_name_hit(text[start:end], pupils, start, end))
                used.update(range(i, i + n))
                break
    for i, token in enumerate(tokens):
        if i in used or not token.capitalised:
            continue
        for n in range(min(index.longest_first, len(tokens) - i), 0, -1):
            key = tuple(t.norm for t in tokens[i : i + n])
            pupils = index.first.get(key)
            if not pupils or not joined(i, n) or any(j in used for j in range(i, i + n)):
                continue
            unconsented = [p for p in pupils if not p.name_consent and not p.first_name_only_consent]
            if unconsented and not _is_other_word_or_person(text, tokens, i, n):
                start, end = token.start, tokens[i + n - 1].end
                name = text[start:end]
                others = f" ({len(unconsented)} pupils called {name} have none)" if len(unconsented) > 1 else ""
                hits.append(
                    Hit(
                        PUPIL_NAME,
                        "warn",
                        f"{name} may be a pupil without consent to be named{others}. "
                        + NAME_RULE
                        + " Check who this is, or leave the name out.",
                        start,
                        end,
                    )
                )
            break
    return hits


def _full_name_hit(name: str, pupils: list[RegisterPupil], start: int, end: int) -> Hit:
    if all(p.name_consent for p in pupils):
        return Hit(
            PUPIL_NAME,
            "warn",
            f"This names a pupil in full ({name}). Their family consented to their name being "
            "used, but a full name is personal information: a first name is usually enough.",
            start,
            end,
        )
    if any(p.first_name_only_consent and not p.name_consent for p in pupils):
        why = "their family consented to their first name only"
    else:
        why = "there is no consent for their name to be used"
    return Hit(
        PUPIL_NAME,
        "block",
        f"This names a pupil in full ({name}): {why}. A full name is personal information. " + NAME_RULE,
        start,
        end,
    )


def _is_other_word_or_person(text: str, tokens: list[_Token], i: int, n: int) -> bool:
    """Whether a registered first name here is more likely a word, a month or someone else (Anne Frank)."""
    token, last = tokens[i], tokens[i + n - 1]
    before = text[: token.start].rstrip()
    at_sentence_start = not before or before[-1] in SENTENCE_BREAKS
    previous = tokens[i - 1] if i > 0 and not text[tokens[i - 1].end : token.start].strip() else None
    following = tokens[i + n] if i + n < len(tokens) and not text[last.end : tokens[i + n].start].strip() else None
    if previous and previous.norm in TITLES:
        return True  # Mrs May, St George, King Arthur: staff and history, not pupils
    if following and following.capitalised and following.end - following.start > 1:
        return True  # Florence Nightingale, Harry Potter, Grace Darling, Henry VIII (but not "Ava P.")
    if previous and previous.capitalised and not _starts_sentence(text, previous.start):
        return True  # Anne Frank, mid-sentence
    if n == 1 and token.norm in AMBIGUOUS_AT_SENTENCE_START and at_sentence_start:
        return True
    if n == 1 and token.norm in MONTH_NAMES:
        near_number = re.search(r"\d(?:st|nd|rd|th)?(?:\s+of)?\s*$", text[: token.start]) or re.match(
            r"\s*\d", text[token.end :]
        )
        if near_number or (previous and previous.norm in DATE_WORDS):
            return True
    # Summer Term, Autumn Term
    return n == 1 and token.norm in SEASONS and following is not None and following.norm == "term"


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in SENTENCE_BREAKS


# ---------------------------------------------------------------------------------------------------------------------
# 6. Behaviour incidents
# ---------------------------------------------------------------------------------------------------------------------

# "Was suspended" is about a person unless the sentence says what was: lessons, clubs, the bridge.
SANCTIONED = re.compile(
    r"\b(\w+)\s+(?:was|were|has\s+been|have\s+been|had\s+been|been|being|got|gets|getting|get|is|are|be|will\s+be)"
    r"\s+(?:(?:permanently|temporarily|internally|now)\s+)?(?:excluded|suspended|expelled)\b"
    r"(?!\s+from\s+the\s+(?:results|count|figures|data))",
    re.IGNORECASE,
)
NOT_PEOPLE = re.compile(
    r"lessons?|clubs?|classes|trips?|activities|services|matches|fixtures|games|bridges?|buses|sessions|payments|"
    r"bookings|swimming|football|rehearsals?|practices?|visits?|meetings?|events?|parking|works|it|this|that",
    re.IGNORECASE,
)
BEHAVIOUR_PATTERNS = re.compile(
    r"\bbehaviou?r(?:al)?\s+incidents?\b|\bincidents?\s+of\s+(?:bullying|poor behaviou?r|violence|racism|fighting)\b|"
    r"\b(?:serious|violent|racist|homophobic|nasty|unpleasant|upsetting)\s+incidents?\b|"
    r"\ban?\s+incidents?\s+(?:involving|between|in\s+the\s+playground|at\s+lunch|on\s+the\s+bus|after\s+school|at\s+"
    r"break)\b|\bincident\s+(?:in|on)\s+the\s+(?:playground|field|bus|corridor|toilets)\b|"
    r"\b(?:permanent(?:ly)?|fixed[\s-]term|internal|temporary)\s+(?:exclusions?|suspensions?|excluded)\b|"
    r"\b(?:exclu(?:sion|ded)|suspen(?:sion|ded)|expelled)\s+from\s+(?:school|the\s+academy|class|lessons)\b|"
    r"\b(?:was|were|been|got|get|is|are|be|given|gets|getting|had|have|has)\s+(?:an?\s+|another\s+|two\s+|lunchtime\s+|"
    r"after[\s-]school\s+)?detentions?\b|\bin\s+detention\b|\bdetention\s+(?:for|after)\b|"
    r"\b(?:was|were|got|been|being|get|gets)\s+sent\s+home\b(?!\s+(?:early|ill|unwell|poorly|sick|with\s+(?:a|an|"
    r"sickness|symptoms|the\s+letter|their|his|her)|due\s+to\s+(?:illness|the\s+weather|snow)|because\s+of\s+the\s+"
    r"(?:snow|weather|heating|water|power)|at\s+\d|today\s+with|letters?))|"
    r"\b(?:sent|put|placed)\s+(?:to|in|into)\s+(?:isolation|the\s+isolation\s+room|internal\s+exclusion|"
    r"the\s+(?:inclusion|reflection)\s+room)\b|\bisolation\s+booths?\b|"
    r"\ba\s+fight\s+(?:broke\s+out|between|in|at|after|outside|on)\b|\b(?:got|get|getting|gets|were|was|been)\s+(?:in|into)"
    r"\s+(?:a\s+)?fights?\b|\b(?:were|was|been|caught)\s+fighting\b|\bfighting\s+(?:in|on|at|outside)\s+(?:the\s+)?"
    r"(?:playground|field|corridor|school|gates|bus|toilets|canteen|lunch)\b|"
    r"\b(?:was|were|been|being|got|get)\s+bullied\b|\bbull(?:ied|ying)\s+(?:by|another|other|a|him|her|them|a\s+"
    r"younger|younger|pupils|children|classmates)\b|\bbullying\s+incidents?\b|"
    r"\bpolice\s+(?:were|was|had\s+to\s+be|have\s+been|has\s+been|got|being)\s+(?:called|involved|informed)\b|"
    r"\b(?:called|phoned|rang|contacted)\s+the\s+police\b|\bpolice\s+(?:attended|arrived|arrested)\b|"
    r"\b(?:was|were|been|got)\s+arrested\b|"
    r"\bmisbehav(?:ed|ing|iou?r|es)\b|\b(?:bad|poor|unacceptable|disruptive|appalling|disgraceful|violent|aggressive)"
    r"\s+behaviou?r\s+(?:of|from|by|in|at|during|on|towards)\b|\bbadly[\s-]behaved\b|\bbehaved\s+(?:badly|"
    r"appallingly|disgracefully)\b|\bswore\s+at\b|\bthrew\s+(?:a\s+)?(?:chair|chairs|table|punch|punches|stones?)\b|"
    r"\b(?:punched|kicked|hit|assaulted|attacked|slapped|bit)\s+(?:another|a\s+(?:pupil|child|student|member\s+of\s+"
    r"staff|teacher|classmate)|him|her|them|his|their)\b|\bvandali(?:sed|zed|sm)\b|\bon\s+report\b|"
    r"\b(?:was|were|been)\s+(?:restrained|sanctioned)\b|\bkicked\s+out\s+of\s+(?:class|school|lessons?|the\s+lesson)\b|"
    r"\b(?:was|were|been)\s+caught\s+(?:smoking|vaping|stealing|shoplifting|with\s+(?:a\s+)?(?:knife|drugs|vape|"
    r"cigarettes))\b|\bstole\s+(?:from|a|an|some|money)\b",
    re.IGNORECASE,
)
BEHAVIOUR_RULE = "The policy says no one should draw attention to, or discuss, behaviour incidents on social media."


def behaviour_incident(text: str) -> list[Hit]:
    spans = [m.span() for m in BEHAVIOUR_PATTERNS.finditer(text)]
    spans += [
        (m.start(1) if m.group(1).lower() in PRONOUNS else m.end(1) + 1, m.end())
        for m in SANCTIONED.finditer(text)
        if not NOT_PEOPLE.fullmatch(m.group(1))
    ]
    return [
        Hit(
            BEHAVIOUR,
            "block",
            f"This seems to describe a behaviour incident (“{excerpt(text, start, end)}”). " + BEHAVIOUR_RULE,
            start,
            end,
        )
        for start, end in spans
    ]


PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you"})

# An incident pointed at a pupil without the words above: a sanction or a misdeed, beside someone a reader can pick
# out ("a certain lad in 5H", "the Year 3 girl in the bright green coat", "we know who you are, Alfie", initials, a
# first name). Each alone is ordinary school news (golden time, a red card in a match report, "spoken to"); together
# they single a child out.
POINTED_AT = re.compile(
    # Only at the start of a word: the many alternatives are then tried at a few places, not at every letter
    r"(?:\b(?=\w)|(?=#))(?:"
    r"\ba\s+certain\s+(?:\w+\s+){0,2}(?:lad|boy|girl|man|child|pupil|someone|member)\b|"
    r"\b(?:the|one|a|our|that)\s+(?:(?:\w+|Y\d{1,2}|Year\s+\d{1,2}|\d{1,2}[A-Z]{1,2})[\s-]+){0,3}(?:lad|boy|girl|"
    r"child|pupil|student|young\s+(?:man|lady)|one|other\s+one)\s+(?:in|from|with|who|on|at)\b|"
    r"\b(?:Y\d{1,2}|Year\s+\d{1,2}|\d{1,2}[A-Z]{1,2})s?\s+(?:boys?|girls?|lads?|child|children|pupils?|students?|"
    r"culprits?)\b|\b(?:two|three|four|both|one|some)\s+(?:of\s+(?:our|the)\s+)?(?:\w+\s+){0,2}(?:boys|girls|lads|pupils|"
    r"students|Year\s+\d{1,2}s?)\b|\b(?:you|we)\s+know\s+who\s+(?:you\s+are|it\s+was|it['\u2019]s)\b|\byou\s+know\s+who\b|"
    r"\bsomeone\s+in\s+\d{1,2}[A-Z]{1,2}\b|\bwhoever\b|\bculprits?\b|\bringleaders?\b|\bnames\s+are\s+with\b|"
    r"\bthe\s+(?:child|children|pupils?|students?|boys?|girls?|young\s+(?:man|lady|men))\s+(?:involved|responsible)\b|"
    r"\b(?:he|she)\b|\ba\s+certain\s+(?:Year\s+\d{1,2}|Y\d{1,2})\b|\b(?:his|her)\s+(?:little\s+)?gang\b|"
    r"\bwon['\u2019]?t\s+name\b|"
    r"\bone\s+(?:\w+\s+)?(?:pupil|boy|girl|lad|student|child)\b|\bthe\s+other\s+one\b|"
    r"\bthe\s+(?:Year\s+\d{1,2}|Y\d{1,2})s?\s+who\b|#Y\d{1,2}[A-Z][a-z]+|"
    r"\b(?:[A-Z]\.\s?){2}(?=\W)"
    r")",
    re.IGNORECASE,
)
SANCTION_OR_MISDEED = re.compile(
    # Only at the start of a word: the many alternatives are then tried at a few places, not at every letter
    r"\b(?=\w)(?:"
    r"\b(?:been|being|was|were|be)\s+dealt\s+with\b|\b(?:been|was|were)\s+spoken\s+to\b(?!\s+by)|\b(?:parents?|mum|"
    r"dad|families)"
    r"(?:\s+(?:have|has|had))?(?:['\u2019]s)?\s+(?:been\s+|were\s+|was\s+)?(?:informed|called|contacted|invoiced)\b|"
    r"\b(?:speaking|spoken|talking|chat)\s+(?:to|with)\s+(?:your|their|his|her|the\s+other\s+one['\u2019]s)\s+"
    r"(?:mum|dad|parents)\b|\bwith\s+the\s+head\s+of\s+year\b|\bsent\s+(?:out\s+(?:of|for)|"
    r"back\s+to\s+the\s+(?:coach|minibus|class)|off\b)|(?<!the\s)\bred\s+card\b|"
    r"\bstraight\s+red\b|\bbanned\s+from\b|\blost\s+(?:their|his|her|the|its)\s+(?:place|trip|golden\s+time|"
    r"end-of-term\s+trip)\b|\b(?:miss(?:ed)?|lose|lost)\s+(?:out\s+on\s+)?(?:golden\s+time|their\s+golden|playtimes?|"
    r"the\s+next)\b|\bno\s+golden\s+time\b|(?<!self-)\bisolation\b|\breflection\s+room\b|"
    r"\b(?:spending|spend|spent)\s+(?:his|her|their|the)\s+(?:next\s+\w+\s+)?(?:lunchtimes?|playtimes?|break\s*times?|"
    r"afternoon|most\s+of\s+it)\b|\b(?:lunchtimes?|playtimes?|break\s*times?)\s+with\s+(?:me|Mr|Mrs|Miss|Ms)\b|"
    r"\bstay\s+in\s+at\s+lunch\b|\bnaughty\s+step\b|\bon\s+a\s+warning\b|\bCCTV\b|\bhead['\u2019]?s\s+office\b|"
    r"\bdetentions?\b|\bsuspension\b|\bsuspended\s+from\b|\bexclu(?:de|ded)\s+(?:a\s+pupil|for)\b|\binvoice\b|"
    r"\bpaying\s+for\b|\bconfiscated\b|\btaken\s+out\b|\bmoved\s+to\s+a\s+different\s+class\b|\bsitting\s+out\b|"
    r"\bwon['\u2019]?t\s+be\s+(?:joining|coming|on)\b|\b(?:drop|dropped)\s+(?:our|him|her)\b|\bnot\s+amused\b|"
    r"\bbit\s+(?:one|his|her|a|another)\b|\bbit(?:es|ing)\b|\bhitting\b|\bspit(?:ting)?\s+at\b|\bspat\s+at\b|"
    r"\bkicked\s+(?:over|another|at)\b|\bthrow(?:ing)?\s+(?:the|his|her|a|stones)\b|\bthrew\b|\blobbing\b|\bfood\s+fight\b|"
    r"\bgraffiti\b|\bscratched\b|\bflood(?:ed)?\s+the\b|\bset\s+fire\b|\bset\s+off\s+the\s+fire\s+alarm\b|"
    r"\bclimbed\s+(?:over|into|the)\b|\bwriting\s+on\s+the\s+(?:\w+\s+)?(?:doors?|walls?|desks?)\b|\bmeltdown\b|"
    r"\bswearing\s+at\b|\brudeness\b|\brude\s+(?:to|drawings|gestures?|comments?)\b|\bscuffle\b|\bfight\b|"
    r"\bvap(?:ing|e)\b|"
    r"\bvodka\b|\bsmoking\b|\bcaught\s+(?:with|using|smoking)\b|\bpinching\b|\bgrabbed\b|\bpushed\b|\btrip\s+the\b|"
    r"\bnasty\s+messages\b|\bunkind\s+language\b|\bran\s+off\s+site\b|\bbehaviour\s+(?:at|in|during)\b|"
    r"\bdisruption\s+from\b|\bdamage\s+(?:to|was\s+done)\b|\btreated\s+their\b|\bshouting\s+at\b|\bwandering\s+off\b|"
    r"\bwithout\s+(?:throwing|a\s+(?:single\s+)?incident|a\s+red\s+card)\b|\bworst\s+behaved\b|"
    r"\bspend(?:ing)?\s+the\s+rest\s+of\s+the\s+(?:week|day|term)\b|\bknows?\s+(?:exactly\s+)?what\s+(?:he|she|"
    r"they)\s+did\b|"
    r"\bdrew\s+(?:all\s+)?(?:over|on)\s+the\b|"
    r"\bthought\s+it\s+(?:was|would\s+be)\s+(?:funny|hilarious|clever)\b|\bapology\s+letter\b|\bapologised\s+to\b|"
    r"\bbeing\s+unkind\b|\b(?:have|has)\s+had\s+a\s+call\b|\bremov(?:ing|ed)\s+(?:one|a|that)\s+(?:pupil|child|boy|girl)\b|"
    r"\bbehaviou?r\s+points?\b"
    r")",
    re.IGNORECASE,
)


def pupils_pointed_at(text: str) -> list[Hit]:
    hits: list[Hit] = []
    if not SANCTION_OR_MISDEED.search(text):
        return hits  # most posts: no sentence need be read for who it points at
    for sentence in SENTENCE_WITH_TIMES.finditer(text):
        body, offset = sentence.group(), sentence.start()
        lead = text[max(0, offset - 100) : offset]
        deed = SANCTION_OR_MISDEED.search(text, offset, sentence.end())
        if not deed and POINTED_AT.search(body):
            # "Who drew on the seats has been solved. A very sorry young man from 7C will be scrubbing them": the deed
            # is told first
            deed = SANCTION_OR_MISDEED.search(text, max(0, offset - 100), offset)
        if not deed:
            continue
        named = any(_given_name(word.lower()) for word in NAME_WORD.findall(body + " " + lead))
        if not (named or POINTED_AT.search(body) or POINTED_AT.search(lead)):
            continue
        start, end = deed.span()
        hits.append(
            Hit(
                BEHAVIOUR,
                "warn",
                f"This seems to point at a pupil over an incident or a sanction (“{excerpt(text, start, end)}”), and "
                "families can often tell who it is without a name. " + BEHAVIOUR_RULE,
                start,
                end,
            )
        )
    return hits


# ---------------------------------------------------------------------------------------------------------------------
# 7. Commercial promotion
# ---------------------------------------------------------------------------------------------------------------------

# A code people type to get money off, and links that pay whoever posts them. A sponsor's thank-you is fine; their
# offer is an advert. What a code cannot show (a colleague's Etsy shop, "DM me for rates") semantic_posts.py reads.
PROMOTION = re.compile(
    r"\b(?i:use|using|with|enter|quote|apply|at\s+checkout\s+with)\s+(?i:the\s+|my\s+|our\s+)?"
    r"(?i:(?:discount|promo|promotional|voucher|coupon|referral|"
    r"offer)\s+)?(?i:code)\s*:?\s*[\"“'\u2018]?[A-Z0-9][A-Z0-9-]{3,}\b|"
    r"\b(?i:discount|promo|promotional|voucher|coupon|referral)\s+(?i:codes?)\b|"
    r"\b(?i:code)\s+[\"“'\u2018]?[A-Z][A-Z0-9]{3,}\b[\"”'\u2019]?[^.!?\n]{0,40}?\b(?i:off|discount|free)\b|"
    r"\b(?i:use|quote|enter|mention)\s+[\"“'\u2018]?(?=[A-Z0-9]*\d)[A-Z][A-Z0-9]{3,}\b[\"”'\u2019]?[^.!?\n]{0,40}?"
    r"(?:\b(?i:off|discount)\b|%)|"
    r"\b(?i:amzn\.to|amazon\.co\.uk/shop|affiliate\s+links?|commission\s+(?:comes\s+back\s+)?to\s+me)\b"
)
COMMERCIAL_RULE = (
    "The policy does not allow the school's channels to advertise or promote businesses or offers: not a member of "
    "staff's business, not a sponsor's deal."
)


def commercial_promotion(text: str) -> list[Hit]:
    return [
        Hit(
            COMMERCIAL,
            "warn",
            f"This promotes an offer (“{excerpt(text, *match.span())}”). " + COMMERCIAL_RULE,
            *match.span(),
        )
        for match in PROMOTION.finditer(text)
    ]


# ---------------------------------------------------------------------------------------------------------------------
# 8. Full names without a register
# ---------------------------------------------------------------------------------------------------------------------

# Without the school's register no name can be checked against consent; but a first name and a surname after
# "well done" or "congratulations" is very likely a pupil's, so the author is asked to check. Common first names of
# children born in England and Wales since 2005 (ONS), with their usual short forms.
COMMON_FIRST_NAMES = frozenset(
    _words(
        """
        oliver george harry noah jack leo arthur muhammad mohammed oscar charlie jacob thomas henry william freddie
        alfie theo theodore archie joshua james isaac lucas alexander max ethan daniel samuel joseph logan tyler
        dylan adam ryan liam jake callum kian kieran lewis luke mason nathan owen reuben riley rory sam finley finn
        elliot ezra jude teddy tommy albie ollie louie louis zachary zach toby rhys ben benjamin matthew harvey jayden
        jamie connor aaron ali ahmed ayaan yusuf ibrahim omar hamza zain aryan arjun rohan dev kai sami jaden tyrone
        marcus andre kofi kwame tomasz jakub dmytro artem olena jan ruby rosie freya lily amelia olivia isla ava ivy
        evie ella emily grace sophie sophia mia isabella poppy daisy chloe jessica charlotte lucy millie maisie matilda
        phoebe florence alice holly megan lauren hannah katie amy eleanor ellie erin esme evelyn harper imogen layla
        lola luna maya mila molly nancy niamh orla paige rebecca scarlett sienna summer willow zara aisha amira fatima
        hafsa maryam zainab priya anika ananya leah abigail bethany caitlin courtney demi eve georgia jasmine kayla
        leila madison nia tia skye ella-mae lily-rose hollie nadia sadia yasmin ayesha keira kelsey jade
        amara oskar zofia penelope tegan jonah olly tilly ravi harriet mateo hana aidan ffion ellis rahul tom ethan
        megan josh joe harley stanley frankie bobby ronnie albert hugo felix jasper rafael alfred jenson elliott
        maddison aurora ada hallie margot iris edith eliza elsie violet bonnie delilah darcie lyla ivy-rose
        kacper oliwia rosa lacey jess jessie tilly gracie dhruv aarav hattie bella isabelle kyle jaden jayden reece
        rose tobias danny billy olly zak freddy eddie alfie-jay saanvi ishaan tobi rowan lewis elliot ethan-james
        alexis amber anna annie aria arlo beatrice caleb cassie chelsea clara dexter
        dominic edward eleanor eliza elijah emilia erin esther evan ezra faye finlay francesca gabriel gemma
        heidi hollie hope isaac isabel jack-jack jacob jasmine jenna jodie josie julia kacie kai-jon kayden
        keeley lara layla-mae leila leyton lillie logan louisa lucas lydia macie maddie marley martha mollie
        naomi nathan nico olive oscar otis piper rachel reggie riley robyn ronan rosa-lee ryan sara
        sarah scarlet sebastian sofia sonny stella theo-james tia toby victoria vinnie wilf wilfred
        xander yasmin zachariah zoe zoey zac aleksander amelie-rose
        leon bea amir zayn aanya marley sienna eliza reggie hassan rahim riya kayla mae evan alex alexa lexi rhianna
        kian callie lottie macy darcy ruby-rose ellie-mae jamie-lee lily-mae archer jenson kobe malachi ellie-rose
        shay jay-jay levi lacey-mae nathaniel sebastian rafe rowan ronan kaiden brody cody corey joel seth spencer
        stephen tomos osian cerys carys seren gethin dafydd eilidh ailsa isla-rose lois nell neve maeve aoife siobhan
        ciara cian oisin conor declan kacey amelie amelia-rose oliwier szymon filip wiktoria zuzanna maja lena anya
        emilia leyla ines lucia luca mateusz nikola ayla aleena inaya anaya maira hiba safa sana arham ayan ishaan
        veer vihaan arjan harjot simran gurpreet jasleen tobi tolu temi ade fola ama kemi zion chidi emeka chloe-may
        """
    )
)
# The ends of double given names: Ellie-Mae, Jamie-Lee, Ruby-Jo, Lily-Rose.
GIVEN_NAME_ENDS = frozenset(_words("mae may lee leigh rose jo jay ann anne louise marie jane grace belle bella"))
NOT_SURNAMES = frozenset(
    _words(
        """
        year class form team group house school academy primary college club and the for from in on at with who
        reception nursery set squad council department
        """
    )
)
PRAISE_CONTEXT = re.compile(
    r"\b(?:well\s+done|well\s+played|congratulat\w*|congrats|special\s+mention|hats\s+off|happy\s+(?:\d{1,2}(?:st|"
    r"nd|rd|th)\s+)?birthday|star\s+of\s+the\s+"
    r"(?:week|month|day)|player\s+of\s+the\s+(?:match|week|season)|photo(?:graph)?\s+of|picture\s+of|pictured|"
    r"proud\s+of|shout[\s-]?outs?|certificates?|awards?|go(?:es)?\s+to|bravo|welcome\s+(?:back\s+)?to|good\s+luck|"
    r"thanks?\s+(?:you\s+)?to|man\s+of\s+the\s+match|winners?|champions?|captain|prizes?|well\s+deserved|"
    r"\w+\s+of\s+the\s+(?:year|week|month|term)|here['\u2019]s|badges?|superstar|meet\s+our|armband)\b",
    re.IGNORECASE,
)


# A class or year group straight after a name: "in Year 4", "(Y3)", "in 5B", "8H", "in Birch class".
CLASS_AFTER = re.compile(
    r"['\u2019]?s?\s*[(,]?\s*(?:in\s+|from\s+)?(?:Year\s*\d{1,2}|Y\d{1,2}|Reception|Nursery|\d{1,2}[A-Z]{1,2}|"
    r"[A-Z][a-z]+\s+[Cc]lass)\b"
)
# A class or year group anywhere in the sentence ("Our Year 11 prefect Daniel Osei-Bonsu", "Y6 leavers"), or a role
# only pupils hold ("Head Girl", "prefect", "player of the year", "goals from"): what is said there is about pupils.
CLASS_NEAR = re.compile(
    r"\b(?:(?i:year)\s*\d{1,2}|[Yy]ear\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)|"
    r"Y\d{1,2}|Reception|Nursery|\d{1,2}[A-Z]{1,2}|[A-Z][a-z]+\s+[Cc]lass|[Cc]lass\s+\d{1,2}|U\d{1,2}s?)\b|"
    r"\b(?i:prefects?|head\s+(?:boy|girl)|pupils?|students?|starters?|player\s+of\s+the\s+(?:year|season)|"
    r"most\s+improved|top\s+scorer|goals?\s+(?:from|by)|scored\s+by|soloists?|debaters?|runners?\s+up|"
    r"[1-3](?:st|nd|rd)\s+place|L[\s\u2013-]R|back\s+row|front\s+row|awards?\s+goes?\s+to|leavers?)\b"
)
# Famous people a class learns about, who share a common first name with pupils: Rosa Parks, Florence Nightingale.
FAMOUS_PEOPLE = frozenset(
    name.replace("_", " ")
    for name in _words(
        """
        rosa_parks florence_nightingale mary_seacole grace_darling marie_curie charles_darwin isaac_newton anne_frank
        roald_dahl david_walliams julia_donaldson michael_rosen michael_morpurgo marcus_rashford harry_kane
        bukayo_saka jude_bellingham lucy_bronze emma_raducanu tom_daley mo_farah jessica_ennis greta_thunberg
        david_attenborough winston_churchill nelson_mandela harry_potter ada_lovelace alan_turing stephen_hawking
        frida_kahlo andy_goldsworthy barbara_hepworth william_shakespeare charles_dickens jane_austen mary_anning
        walter_tull tim_peake neil_armstrong amelia_earhart george_stephenson oliver_twist oliver_cromwell joe_wicks
        helen_sharman emmeline_pankhurst emily_davison elizabeth_fry edith_cavell beatrix_potter lewis_carroll
        malala_yousafzai leah_williamson chloe_kelly alessia_russo henry_moore lewis_hamilton ellie_simmonds
        """
    )
)
# Words before a name that make it an adult's: "our governor Sam Rowe", "author Joseph Coelho".
ADULT_BEFORE = frozenset(
    _words(
        """
        governor governors author authors illustrator poet coach councillor cllr mp mayor pc officer visitor vicar
        chair chairman caretaker chef artist speaker founder director manager nurse doctor dad mum grandad grandma
        nan grandpa parent
        """
    )
)
# Capitalised words that begin names of things, not people, however the next word reads.
NOT_GIVEN_NAMES = frozenset(
    _words(
        """
        star head year class team house sports world book royal young national county district regional school our
        spotted meet congrats welcome thanks introducing say
        my his her their your happy merry good great well big little new old north south east west st saint
        christmas easter summer winter spring autumn harvest remembrance mothers fathers red blue green yellow
        """
    )
)
STREET_WORDS = frozenset(
    _words("road street lane avenue close drive way crescent gardens court place terrace grove walk park hill rise")
)
THING_PREFIXES = frozenset(_words("royal great new old north south east west little big upper lower national county"))
PLACE_WORDS = STREET_WORDS | frozenset(
    _words(
        "farm school academy primary college centre hall church house park library museum stadium theatre bakery "
        "butchers garage motors cafe café ltd limited"
    )
)
SURNAME_PREFIX = re.compile(r"^(?:o['\u2019]|mc|mac)[a-z]", re.IGNORECASE)
HASHTAG = re.compile(r"#\w+")
CAMEL_PART = re.compile(r"[A-Z][a-z]{2,}")


def _given_name(norm: str) -> bool:
    """A common first name, or a double one whose parts are (Ellie-Mae, Jamie-Lee, Ruby-Jo)."""
    if norm in COMMON_FIRST_NAMES:
        return True
    parts = norm.split("-")
    return len(parts) == 2 and parts[0] in COMMON_FIRST_NAMES and (parts[1] in COMMON_FIRST_NAMES | GIVEN_NAME_ENDS)


def unregistered_full_names(text: str) -> list[Hit]:
    hits = []
    for sentence in SENTENCE.finditer(text):
        body, offset = sentence.group(), sentence.start()
        # "This week's award goes to... FINLEY ASHWORTH-BROWN!!", "go to Harvey B., Mia L. and Ellie-Mae Thornton":
        # what the sentence is about can be said just before it.
        lead = text[max(0, offset - 60) : offset]
        praise = bool(PRAISE_CONTEXT.search(body) or PRAISE_CONTEXT.search(lead))
        near = bool(CLASS_NEAR.search(body) or CLASS_NEAR.search(lead))
        if not praise and not near:
            continue
        tokens = _name_tokens(body)
        for i, token in enumerate(tokens[:-1]):
            following = tokens[i + 1]
            if body[token.end : following.start].strip():
                continue
            lower_case = not token.capitalised and not following.capitalised
            # "finley o'connor": lower case only counts with a surname that cannot be a word.
            if lower_case and not (token.norm in COMMON_FIRST_NAMES and SURNAME_PREFIX.match(following.norm)):
                continue
            if not lower_case and not (token.capitalised and following.capitalised):
                continue
            if following.norm in NOT_SURNAMES or token.norm in NOT_SURNAMES or token.norm in TITLES:
                continue
            if token.norm in NOT_GIVEN_NAMES or f"{token.norm} {following.norm}" in FAMOUS_PEOPLE:
                continue
            # Any first name followed by a class ("Isabelle Moreton 8H", "Noah Castillo (Y3)"); a common one after
            # praise or beside a class.
            with_class = bool(CLASS_AFTER.match(body, following.end))
            if not with_class and not _given_name(token.norm):
                continue
            if following.norm in COMMON_FIRST_NAMES and following.norm not in {"james", "thomas", "lewis", "george"}:
                continue  # "Ruby Rosie" is two first names, not a full name
            if following.norm in PLACE_WORDS:
                continue  # Ivy Walk, Grace Road, Albert Hall: a street or a building
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if (
                after
                and after.capitalised
                and after.norm in PLACE_WORDS
                and not body[following.end : after.start].strip()
            ):
                continue  # Holly Tree Farm, Leo Rowe Academy: a place
            if following.end - following.start < 2:
                continue  # "Sophie W": an initial
            if i > 0 and not body[tokens[i - 1].end : token.start].strip():
                before = tokens[i - 1].norm
                # Mrs Grace Hughes, our governor Sam Rowe: adults ("club captain Ibrahim Chaudhry" is a pupil)
                if (before in TITLES and tokens[i - 1].capitalised) or before in ADULT_BEFORE:
                    continue
                if before == "the" or (tokens[i - 1].capitalised and before in THING_PREFIXES):
                    continue  # the Summer Reading Challenge, Royal Albert Hall: a name of a thing
            start, end = offset + token.start, offset + following.end
            hits.append(_unregistered_name_hit(text, start, end))
    # "#wellDoneTillyFairbrother": a name written into a hashtag in capitals.
    for tag in HASHTAG.finditer(text):
        parts = list(CAMEL_PART.finditer(tag.group()))
        for first, last in itertools.pairwise(parts):
            given, surname = first.group().lower(), last.group().lower()
            if not _given_name(given) or given in NOT_GIVEN_NAMES or last.start() != first.end():
                continue
            if surname in COMMON_FIRST_NAMES or surname in NOT_SURNAMES or f"{given} {surname}" in FAMOUS_PEOPLE:
                continue
            hits.append(_unregistered_name_hit(text, tag.start() + first.start(), tag.start() + last.end()))
    return hits


def _unregistered_name_hit(text: str, start: int, end: int) -> Hit:
    return Hit(
        PUPIL_NAME,
        "warn",
        f"{text[start:end]} may be a pupil named in full. Without the school's register SafeSocial cannot "
        "check consent: " + NAME_RULE + " Check it, or use the first name only.",
        start,
        end,
    )


# ---------------------------------------------------------------------------------------------------------------------
# All together
# ---------------------------------------------------------------------------------------------------------------------


def find(
    text: str,
    *,
    register: Sequence[RegisterPupil] | RegisterIndex | None = None,
    public: Collection[str] = (),
) -> list[Hit]:
    hits = [
        *offensive_language(text),
        *political_opinion(text),
        *personal_view(text),
        *personal_information(text, public),
        # Posts only: comments read personal_information for contact details, and these are about what staff share.
        *spoken_birth_dates(text),
        *whereabouts_of_children(text),
        *pupils_whereabouts_now(text),
        *behaviour_incident(text),
        *pupils_pointed_at(text),
        *commercial_promotion(text),
    ]
    if register:
        hits += pupil_names(text, register)
    else:
        hits += unregistered_full_names(text)
    return merge(hits)


def merge(hits: Iterable[Hit]) -> list[Hit]:
    """One finding per check per stretch of text: overlapping hits of one check become the most serious of them,
    covering all their characters."""
    merged: list[Hit] = []
    order = {"block": 0, "warn": 1}
    for hit in sorted(hits, key=lambda h: (h.check, h.start, -h.end)):
        last = merged[-1] if merged else None
        if last and last.check == hit.check and hit.start < last.end:
            keep = last if order[last.severity] <= order[hit.severity] else hit
            merged[-1] = keep._replace(start=last.start, end=max(last.end, hit.end))
        else:
            merged.append(hit)
    merged.sort(key=lambda h: (h.start, h.end, CHECK_NAMES.index(h.check)))
    return merged


def check_text(
    text: str,
    *,
    register: Sequence[RegisterPupil] | RegisterIndex | None = None,
    public: Collection[str] = (),
) -> list[Finding]:
    """Every check over a post's text, ordered by where each finding starts.

    `register` is the school's pupils, with their consents (a prebuilt RegisterIndex saves rebuilding it for each
    post). `public` holds contact details the trust publishes itself (the school office's number and email, the
    school's address): those are not personal information."""

    return [
        Finding(h.check, h.severity, h.reason, h.start, h.end) for h in find(text, register=register, public=public)
    ]


def decision(findings: Iterable[Finding | Hit]) -> Literal["ok", "warn", "block"]:
    severities = {f.severity for f in findings}
    return "block" if "block" in severities else "warn" if "warn" in severities else "ok"
