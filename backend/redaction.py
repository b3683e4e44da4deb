"""Replace the personal data in a case narrative with role words and labels.

Two passes run over the text. The first replaces what is known about the linked people (their names by
their role word, their email addresses, phone numbers, addresses and postcodes by the pattern labels),
with email addresses and street addresses found by pattern in the same scan so that a name inside one
never splits it. An organisation a party stands for (a contractor) is found by its whole name, with or without
"Ltd", and by the distinctive words before its trade ("Canaryworks" of "Canaryworks Plumbing Ltd"), never word by
word. The second pass finds what nobody told us about: phone numbers, National Insurance numbers, postcodes, titled
names ("Mrs Patel"), dates of birth ("DOB 03/04/1961") and long digit runs, while leaving other dates, times and
money alone.
Role words and labels already in the text are never touched, and the passes repeat until nothing changes,
so redacting a redacted copy gives the same copy back.

Known limits: names of people who are not parties are only found after a title ("Mr", "Cllr", ...);
street addresses are found only as "<number> <Name> <Road|Street|...>" (or the Welsh "<number> Heol ...");
an unaccented spelling of an accented known name ("Sian" for "Siân") is found, the reverse is not; a first
name that is also an ordinary word ("May", "Will", "Grace") is matched only when capitalised, so it is still
replaced at the start of a sentence; digit groups such as "1234 5678" (two groups) and sort codes written
like a date ("12-03-26") are kept; a date of birth is found only after words that say so ("born", "DOB", "date of
birth"); an organisation's initials ("NGS") and a one-word short name that is an everyday word ("Northern" of
"Northern Gas Services") are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache

__all__ = ["Labels", "Party", "redact_narrative"]


@dataclass(frozen=True)
class Party:
    """One person linked to a case, and the role word that stands in for their name."""

    role: str
    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    # Names of organisations the role word stands for (a contractor): never matched one word at a time.
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Words that replace pattern matches; callers may pass translated ones (keep them in square brackets)."""

    email: str = "[email address]"
    phone: str = "[phone number]"
    postcode: str = "[postcode]"
    address: str = "[address]"
    ni_number: str = "[National Insurance number]"
    name: str = "[name]"
    number: str = "[number]"
    date_of_birth: str = "[date of birth]"


# ---------------------------------------------------------------- patterns for what nobody told us about

# Starting only where a run of local-part characters starts keeps the scan linear on long words.
EMAIL = r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"

# UK numbers: +44 / 0044 / 0, then 9 or 10 national digits, separated by at most two spaces, dashes, dots or
# brackets ("(0113) 496 0000", "+44 (0)20 7946 0000", "07700-900-123"). Other countries' +NN numbers too.
_UK_PHONE = r"(?<![\w+])(?:(?:\+|00)[ \t]?44[ \t]?(?:\(0\)[ \t]?)?\(?|\(?0)[1-9](?:[ \t\-.()]{0,2}\d){8,9}(?!\d)"
_OTHER_PHONE = r"(?<![\w+])\+(?!44)[1-9]\d{0,2}(?:[ \t\-.()]{0,2}\d){6,12}(?!\d)"
PHONE = rf"{_UK_PHONE}|{_OTHER_PHONE}"

# Full UK format, any case, with or without the space; the inward letters are not narrowed to the allowed
# set because a near-miss is still somebody's postcode mistyped.
POSTCODE = r"(?i:(?<![A-Za-z0-9])(?:GIR[ \t]{0,2}0AA|[A-Z]{1,2}\d[A-Z\d]?[ \t]{0,2}\d[A-Z]{2})(?![A-Za-z0-9]))"

# First letter not D F I Q U V, second not D F I O Q U V. The unallocated prefixes (BG, GB, KN, NK, NT, TN, ZZ)
# are deliberately not excluded, and QQ, HMRC's specimen prefix that people copy from forms, is added: hiding
# a number that turns out not to be real costs nothing. The suffix letter is optional because people drop it.
# Letters in lower case count only when joined to the digits ("jh123456a"): otherwise "on 20 26 03" would be one.
# The digit pairs are split the same way throughout, or not at all.
_NI_FIRST = "A-CEGHJ-PR-TW-Z"
_NI_SECOND = "A-CEGHJ-NPR-TW-Z"
NI_NUMBER = (
    rf"(?<![A-Za-z0-9])(?:(?:[{_NI_FIRST}][{_NI_SECOND}]|QQ)[ \t\-]?|(?i:[{_NI_FIRST}][{_NI_SECOND}]|QQ)(?=\d))"
    r"(?:\d{6}|\d{2}(?P<ni_sep>[ \t\-])\d{2}(?P=ni_sep)\d{2})(?:[ \t\-]?[A-Da-d])?(?![A-Za-z0-9])"
)

# Six or more digits in a row (account, tenancy and card numbers), or three or more groups of 2-4 digits
# joined by a space or dash (sort codes "40-11-62", cards "1234 5678 9012 3456"). Dates are kept before this
# is tried, and "LL-2026-00042" stays because neither of its digit groups qualifies.
NUMBER = r"(?<!\d)(?:\d{6,}|\d{2,4}(?:[ \-]\d{2,4}){2,})(?!\d)"

_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Cllr", "Councillor", "Prof", "Professor", "Rev", "Sir", "Cynghorydd")
_TITLE = r"(?:" + "|".join(sorted(_TITLES, key=len, reverse=True)) + r")\.?"
# A capitalised title followed by a capitalised word is a name even when we do not know whose.
# The optional initial lets "Mr A. Smith" go whole rather than stop at the "A"; a possessive "'s" stays.
_PROPER_WORD = r"[A-Z]\w*(?:['’-](?![sS]\b)\w+)*"
TITLED_NAME = rf"(?<!\w){_TITLE}[ \t]+(?:[A-Z]\.?[ \t]*)?{_PROPER_WORD}(?:[ \t]+{_PROPER_WORD})?"

# Dates, times and money look like digit runs but are not personal; matching them first keeps them whole.
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"


def _date_source(tag: str) -> str:
    # Named separators, because numbered back-references would shift once this is joined with other patterns;
    # the tag keeps the names apart when the pattern is used twice in one scan.
    return (
        rf"(?<!\d)(?:\d{{4}}(?P<{tag}iso_sep>[-/.]){_MONTH}(?P={tag}iso_sep){_DAY}"
        rf"|{_DAY}(?P<{tag}uk_sep>[-/.]){_MONTH}(?P={tag}uk_sep)(?:\d{{4}}|\d{{2}}))(?!\d)"
    )


DATE = _date_source("")
_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
_WRITTEN_DATE = (
    rf"(?i:{_DAY}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{_MONTH_WORDS})\.?,?[ \t]+\d{{4}}"
    rf"|(?:{_MONTH_WORDS})\.?[ \t]+{_DAY}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})(?!\d)"
)
# A date is kept unless words before it say it is somebody's birthday; then only the date goes.
DATE_OF_BIRTH = (
    r"(?i:(?<!\w)(?:d\.?[ \t]?o\.?[ \t]?b\.?|date[ \t]+of[ \t]+birth|born(?:[ \t]+on)?|birthday(?:[ \t]+is)?)"
    r"[ \t]*[:\-–]?[ \t]*)"
    rf"(?P<dob_date>{_date_source('dob_')}|{_WRITTEN_DATE})"
)
TIME = r"(?i:(?<!\d)(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d)?(?:[ \t]?[ap]\.?m\b\.?)?(?!\d))"
MONEY = (
    r"(?i:(?:[£$€]|\b(?:GBP|EUR|USD)[ \t]?)[ \t]?\d[\d,]*(?:\.\d+)?"
    r"|(?<![\d.,])\d[\d,]*(?:\.\d+)?[ \t]?(?:pounds?|quid|GBP|pence)\b)"
)

# Words that are never part of a street's name: units of time and distance and months ("3 weeks walk",
# "12 May Park" is a date), and, when the street is written in lower case, ordinary function words too.
_UNITS = (
    "seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|times?|miles?|km|metres?"
    "|meters?|foot|feet|yards?|inch(?:es)?|floors?|flights?|doors?|stops?|pounds?|percent|am|pm"
    "|january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept?"
    "|october|oct|november|nov|december|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_FUNCTION_WORDS = (
    "the|a|an|and|or|but|of|on|in|at|to|for|from|by|with|up|down|into|onto|off|over|under|my|our|your|his|her"
    "|their|its|this|that|these|those|is|was|were|are|be|been|i|we|you|he|she|they|it|me|us|them|who|which"
    "|not|no|so|very|more|less|other|just|only|also|then|than|every|each|some|any|all|one|two|three|four|five"
    "|six|seven|eight|nine|ten|kids?|children|people|dogs?|cats?|bins?|bags?|big|small|long|short|nice|quiet"
)
_SUFFIXES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Court|Ct|Way|Place|Pl|Crescent|Cres|Terrace|Terr|Tce"
    "|Gardens|Gdns|Grove|Gr|Walk|Row|Square|Sq|Hill|Park|View|Rise|Mews|Green"
)
# Written in lower case, only suffixes that are seldom ordinary words make an address ("2 dogs walk" is not one).
_PLAIN_SUFFIXES = "road|rd|street|lane|avenue|ave|crescent|terrace|gardens|gdns|grove|mews"
_WELSH_STREETS = "Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa|Cilgant|Teras|Clos|Maes|Llys|Stad"
_CAP_WORD = rf"(?!(?i:{_UNITS})\b)[A-Z][\w'’-]*"
_ANY_WORD = rf"(?!(?i:{_UNITS}|{_FUNCTION_WORDS})\b)[^\W\d_][\w'’-]*"
_FLAT = r"(?<!\w)(?i:flat|fflat|apartment|apt\.?|unit|maisonette|room)[ \t]*\d{1,4}[A-Za-z]?[ \t]*,?[ \t]*"
_HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?(?:[ \t]?[-–/][ \t]?\d{1,4}[A-Za-z]?)?"
ADDRESS = (
    rf"(?:{_FLAT}|(?<![\w£$€])(?<!\d[.,:/-])){_HOUSE_NUMBER}[ \t]+"
    rf"(?:(?:{_CAP_WORD}[ \t]+){{0,2}}{_CAP_WORD}[ \t]+(?i:{_SUFFIXES})"
    rf"|(?:{_ANY_WORD}[ \t]+){{0,2}}{_ANY_WORD}[ \t]+(?i:{_PLAIN_SUFFIXES})"
    rf"|(?:{_WELSH_STREETS})(?:[ \t]+(?:y|yr|'r))?(?:[ \t]+{_CAP_WORD}){{1,2}})(?!\w)"
)

_PATTERN_PASS = re.compile(
    rf"(?P<date_of_birth>{DATE_OF_BIRTH})|(?P<keep_date>{DATE})|(?P<keep_time>{TIME})|(?P<keep_money>{MONEY})|(?P<phone>{PHONE})"
    rf"|(?P<ni_number>{NI_NUMBER})|(?P<postcode>{POSTCODE})|(?P<name>{TITLED_NAME})|(?P<number>{NUMBER})"
)
# Each named group of the pattern pass -> the Labels field that replaces it (None keeps the match as it is).
_PATTERN_LABELS = {
    "date_of_birth": "date_of_birth",
    "keep_date": None,
    "keep_time": None,
    "keep_money": None,
    "phone": "phone",
    "ni_number": "ni_number",
    "postcode": "postcode",
    "name": "name",
    "number": "number",
}

# ---------------------------------------------------------------- what the parties' own details look like

# First names and surnames that are also everyday English words. Alone they are matched only when written
# with a capital ("Will said" goes, "I will call" stays); full names and titled names match in any case.
COMMON_WORD_NAMES = frozenset(
    """
    may june april august summer autumn dawn will bill mark rose grace hope joy faith robin frank jack pat sue
    don ray amber ruby holly iris lily ivy hazel heather rich guy carol angel jay jean max miles nick penny
    sandy wade art bob chase chip clay cliff dean drew earl gene glen grant harry herb hunter lance matt norm
    pearl rod rusty skip sky storm victor warren willow jade crystal honey sunny star bud buck brown green
    white black gray grey long little young hill wood woods hall rice stone bell king price field fields lane
    park street bird baker cook turner miller mason fisher walker cooper parker carter wells marsh moss berry
    bush banks brook brooks burns cross day fox frost gold hart house lamb law lord love low major moon north
    page pool power reed sharp short steel swan wall ward waters west wise wolf best bond cash hay head hood
    mills noble pike pope sage salt sands snow spring sweet worth east south hand church gay an
    """.split()
)
_MONTH_NAMES = frozenset({"may", "june", "april", "august"})
# Name particles ("ap Gwilym", "van der Berg") belong to the surname and are never a name on their own.
_PARTICLES = frozenset("ap ab de da di du del der den van von la le bin ibn".split())
_TITLE_WORDS = frozenset(title.lower() for title in _TITLES)
_NAME_TOKEN = re.compile(r"\w(?:[\w'’-]*\w)?")
_SPLIT_PARTS = re.compile(r"\s*,\s*")
_SPLIT_WORDS = re.compile(r"[\s,]+")
_FLAT_PART = re.compile(r"(?i)(?:flat|fflat|apartment|apt\.?|unit|maisonette|room)\s*\d{1,4}[a-z]?")
_POSTCODE_SHAPE = re.compile(r"(?i)[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|GIR0AA")
_NOT_DIGIT = re.compile(r"\D")
_MIN_NAME_LENGTH = 2
# Words that end a company's name in law (the Welsh "Cyf" too); a name is found with or without them.
_LEGAL_SUFFIXES = frozenset("ltd limited plc llp llc inc cyf cyfyngedig ccc cic co".split())
_LEGAL_SUFFIX = r"(?:" + "|".join(sorted(_LEGAL_SUFFIXES, key=len, reverse=True)) + r")\.?"
# Words that say what a company does. The words before the first of them are its short name ("Canaryworks").
_TRADE_WORDS = frozenset(
    """
    plumbing plumbers heating gas electrical electrics electricians building builders construction contractors
    contracting maintenance services service repairs roofing roofers joinery joiners carpentry glazing windows
    doors plastering painting decorating decorators damp drainage drains pest control cleaning cleaners landscaping
    grounds gardening scaffolding lifts security fire housing property properties facilities group solutions
    engineering engineers energy water mechanical surveyors surveying management environmental asbestos
    """.split()
)
# A one-word short name that is also a place or an everyday word ("Northern" Gas) would hide too much alone.
_PLAIN_ORGANISATION_WORDS = frozenset(
    """
    north northern south southern east eastern west western central national british united uk england english
    wales welsh scotland scottish ireland irish city county general premier first quality local regional royal
    new total all smart prime direct express metro community home homes and the
    """.split()
)
_ORGANISATION_WORD = re.compile(r"[^\s,()]+")
_MIN_PHONE_DIGITS = 6
_MAX_ROUNDS = 20  # each round that changes anything turns text into labels, so this is never reached in practice


@dataclass(frozen=True)
class _Form:
    """One way a piece of known data can be written: the regex, its length for ordering, what replaces it."""

    source: str
    length: int
    replacement: str


def _texts(values: Iterable[object]) -> list[str]:
    # Callers build parties from optional database columns: skip the missing and the blank rather than fail.
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _char_source(char: str) -> str:
    if char in "'’":
        return "['’]"
    if char in "-‐‑":
        return "[-‐‑]"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base != char and len(base) == 1:
        return f"[{re.escape(char)}{re.escape(base)}]"  # "Siân" is often typed "Sian"
    return re.escape(char)


def _word_source(word: str) -> str:
    return "".join(_char_source(char) for char in word)


def _words_source(words: Sequence[str]) -> str:
    return r"\s+".join(_word_source(word) for word in words)


def _bounded(source: str) -> str:
    # Whole words only; a following "@" means the name is the start of an email address, left to that pattern.
    return rf"(?<!\w)(?:{source})(?![\w@])"


def _lone_word_source(word: str) -> str:
    if word.lower() not in COMMON_WORD_NAMES:
        return f"(?i:{_word_source(word)})"
    capitalised = word[:1].upper() + word[1:].lower()
    source = f"(?:{_word_source(capitalised)}|{_word_source(word.upper())})"
    if word.lower() in _MONTH_NAMES:
        # "on 12 May", "12th May" and "May 2026" are the month, not the person.
        source = rf"(?<!\d )(?<!\d(?:st|nd|rd|th) ){source}(?!\s+\d)"
    return source


def _name_forms(name: str, role: str) -> list[_Form]:
    words = [word for word in _NAME_TOKEN.findall(name) if any(char.isalpha() for char in word)]
    while words and words[0].lower() in _TITLE_WORDS:
        words.pop(0)  # "Mrs Sam Okafor" is known as "Sam Okafor"; the title is matched separately
    if not words:
        return []
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    first, surname = words[0], words[start:]
    phrases: list[tuple[str, str]] = []  # (source, literal) of multi-word forms, matched in any case
    if len(words) > 1:
        phrases.append((_words_source(words), " ".join(words)))
        if start > 1:
            phrases.append((_words_source([first, *surname]), " ".join([first, *surname])))
        phrases.append((rf"{_words_source(surname)},?\s+{_word_source(first)}", f"{' '.join(surname)}, {first}"))
        phrases.append((rf"{_word_source(first[0])}\.?\s*{_words_source(surname)}", f"{first[0]}. {' '.join(surname)}"))
        if len(surname) > 1:
            phrases.append((_words_source(surname), " ".join(surname)))
    titled = [(_words_source(surname), " ".join(surname)), (_word_source(first), first), *phrases]
    forms = [_Form(_bounded(f"(?i:{source})"), len(literal), role) for source, literal in phrases]
    forms += [_Form(_bounded(rf"(?i:{_TITLE}\s+{source})"), len(literal) + 4, role) for source, literal in titled]
    lone = [first, *(word for word in words[1:] if word.lower() not in _PARTICLES)]
    lone += [part for word in lone if "-" in word for part in word.split("-")]
    for word in dict.fromkeys(lone):
        if sum(char.isalpha() for char in word) >= _MIN_NAME_LENGTH:
            forms.append(_Form(_bounded(_lone_word_source(word)), len(word), role))
    return forms


def _organisation_source(words: Sequence[str]) -> str:
    parts = ["(?:&|and)" if word.lower() in ("&", "and") else _word_source(word.rstrip(".")) for word in words]
    return r"\s+".join(parts)


def _distinctive(word: str) -> bool:
    bare = word.rstrip(".").lower()
    return bare not in _PLAIN_ORGANISATION_WORDS | _TRADE_WORDS | COMMON_WORD_NAMES and len(bare) > _MIN_NAME_LENGTH


def _organisation_forms(name: str, role: str) -> list[_Form]:
    words = _ORGANISATION_WORD.findall(name)
    core = list(words)
    while len(core) > 1 and core[-1].rstrip(".").lower() in {*_LEGAL_SUFFIXES, "&", "and"}:
        core.pop()  # "Canaryworks Plumbing Ltd" is written "Canaryworks Plumbing" or "... Limited" as often
    stem: list[str] = []
    for word in core:
        if word.lower() in _TRADE_WORDS:
            break
        stem.append(word)
    phrases = {_organisation_source(words): len(name)}
    if core != words:
        phrases[rf"{_organisation_source(core)}\s+{_LEGAL_SUFFIX}"] = len(name)
    if len(core) > 1:
        phrases[_organisation_source(core)] = len(" ".join(core))
    if 1 < len(stem) < len(core) and any(_distinctive(word) for word in stem):
        phrases[_organisation_source(stem)] = len(" ".join(stem))  # "Smith & Sons" of "Smith & Sons Roofing"
    forms = [_Form(_bounded(f"(?i:{source})"), length, role) for source, length in phrases.items()]
    short = core if len(core) == 1 else stem if len(stem) == 1 else []
    if short and _distinctive(short[0]):
        # Alone, the short name counts only as written with a capital: "Apex" the firm, not the roof's apex.
        word = short[0].rstrip(".")
        source = f"(?:{_word_source(word[:1].upper() + word[1:])}|{_word_source(word.upper())})"
        forms.append(_Form(_bounded(source), len(word), role))
    return forms


def _phone_form(phone: str, label: str) -> _Form:
    digits = _NOT_DIGIT.sub("", phone)
    if phone.lstrip().startswith(("+44", "0044")):
        digits = digits[2:] if digits.startswith("44") else digits[4:]
    digits = digits.lstrip("0")
    if len(digits) < _MIN_PHONE_DIGITS:
        return _Form(rf"(?<!\w)(?:{_words_source(phone.split())})(?!\w)", len(phone), label)
    # Written any way: with +44, 0044, +44 (0) or 0 in front, or none, and any spacing between the digits.
    prefix = r"(?:(?:\+|00)\s*44[\s\-.]*(?:\(\s*0\s*\)\s*)?\(?|\(?0[\s\-.()]{0,3})?"
    return _Form(prefix + r"[\s\-.()]{0,3}".join(digits), len(phone), label)


def _postcode_form(postcode: str, label: str) -> _Form:
    compact = postcode.replace(" ", "")
    if _POSTCODE_SHAPE.fullmatch(compact):
        return _Form(rf"(?i:{re.escape(compact[:-3])}\s*{re.escape(compact[-3:])})", len(postcode), label)
    return _Form(f"(?i:{_words_source(postcode.split())})", len(postcode), label)


def _address_forms(address: str, label: str) -> list[_Form]:
    parts = [part for part in _SPLIT_PARTS.split(address) if part]
    if not parts:
        return []
    # "Flat 3, 12 Mill Lane, Leeds": the whole, "Flat 3, 12 Mill Lane" and "12 Mill Lane" (with or without
    # what follows) all say where the person lives; "Leeds" alone does not.
    first_line = 2 if len(parts) > 1 and _FLAT_PART.fullmatch(parts[0]) else 1
    starts = [0, 1] if first_line == 2 else [0]
    forms = []
    for start in starts:
        for end in range(max(first_line, start + 1), len(parts) + 1):
            words = [word for word in _SPLIT_WORDS.split(", ".join(parts[start:end])) if word]
            source = r"(?:\s*,\s*|\s+)".join(_word_source(word) for word in words)
            forms.append(_Form(rf"(?i:(?<!\w){source}(?!\w))", len(" ".join(words)), label))
    return forms


def _party_forms(party: Party, labels: Labels) -> tuple[list[_Form], list[_Form]]:
    """Return the forms of a party's contact details and of their names, in that order."""
    details: list[_Form] = []
    details += [_Form(f"(?i:{re.escape(email)})", len(email), labels.email) for email in _texts(party.emails)]
    details += [_phone_form(phone, labels.phone) for phone in _texts(party.phones)]
    details += [_postcode_form(postcode, labels.postcode) for postcode in _texts(party.postcodes)]
    details += [form for address in _texts(party.addresses) for form in _address_forms(address, labels.address)]
    role = party.role or labels.name  # an empty role word would leave the name readable
    names = [form for name in _texts(party.names) for form in _name_forms(name, role)]
    names += [form for name in _texts(party.organisations) for form in _organisation_forms(name, role)]
    return details, names


_Values = tuple[str | None, ...]
# Each party as (role, names, emails, phones, addresses, postcodes, organisations): hashable, so its compiled scan
# can be cached.
PartyKey = tuple[tuple[str, _Values, _Values, _Values, _Values, _Values, _Values], ...]


@lru_cache(maxsize=256)
def _known_pass(parties: PartyKey, labels: Labels) -> tuple[re.Pattern[str], dict[str, str]]:
    """Compile one scan for the parties' data, emails and street addresses (once per set of parties)."""
    details: list[_Form] = []
    names: list[_Form] = []
    for role, *values in parties:
        party_details, party_names = _party_forms(Party(role, *values), labels)  # type: ignore[arg-type]
        details += party_details
        names += party_names
    # At any one place: known details first, longest first; then email and street patterns (so "sam.okafor@..."
    # goes whole and "12 Okafor Road" is an address); then names, longest first ("Sam Okafor" before "Sam").
    ordered = [
        *sorted(details, key=lambda form: -form.length),
        _Form(EMAIL, 0, labels.email),
        _Form(ADDRESS, 0, labels.address),
        *sorted(names, key=lambda form: -form.length),
    ]
    groups = {f"g{index}": form for index, form in enumerate(ordered)}
    pattern = re.compile("|".join(f"(?P<{group}>{form.source})" for group, form in groups.items()))
    return pattern, {group: form.replacement for group, form in groups.items()}


@lru_cache(maxsize=256)
def _protected(words: frozenset[str]) -> re.Pattern[str] | None:
    """Compile a scan for the role words and labels, which later rounds must leave as they are."""
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


def _substitute(
    text: str, protected: re.Pattern[str] | None, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> str:
    if protected is None:
        return pattern.sub(replace, text)
    pieces: list[str] = []
    position = 0
    for match in protected.finditer(text):
        pieces += [pattern.sub(replace, text[position : match.start()]), match.group()]
        position = match.end()
    pieces.append(pattern.sub(replace, text[position:]))
    return "".join(pieces)


def _values(values: Iterable[object] | None) -> _Values:
    # Callers fill parties from optional columns (None) and may pass lists: keep the strings, hashably.
    return tuple(value if isinstance(value, str) else None for value in values or ())


def _party_key(parties: Iterable[Party]) -> PartyKey:
    return tuple(
        (
            party.role if isinstance(party.role, str) else "",
            _values(party.names),
            _values(party.emails),
            _values(party.phones),
            _values(party.addresses),
            _values(party.postcodes),
            _values(party.organisations),
        )
        for party in parties
    )


def redact_narrative(text: str, parties: Sequence[Party] = (), labels: Labels = Labels()) -> str:
    """Return a copy of ``text`` with the parties' personal data, and anything that looks personal, replaced.

    A party's names become their role word ("Okafor's" -> "[resident]'s"); their email addresses, phone
    numbers, addresses and postcodes, and any found by pattern, become the matching ``labels``.
    """
    key = _party_key(parties)
    known, known_replacements = _known_pass(key, labels)
    words = {getattr(labels, field.name) for field in fields(labels)} | {role for role, *_ in key}
    protected = _protected(frozenset(word for word in words if isinstance(word, str) and word))

    def replace_known(match: re.Match[str]) -> str:
        return known_replacements[match.lastgroup or ""]

    def replace_pattern(match: re.Match[str]) -> str:
        field = _PATTERN_LABELS[match.lastgroup or ""]
        if field is None:
            return match.group()
        # "born on 03/04/1961" keeps "born on ": only the date is personal.
        kept = match.group()[: match.start("dob_date") - match.start()] if field == "date_of_birth" else ""
        return kept + str(getattr(labels, field))

    result = text
    for _ in range(_MAX_ROUNDS):
        # A replacement changes what the characters next to it see (a name before "(0113)..." hid the number
        # from the phone pattern's look-behind), so run again until the text is stable: that makes it idempotent.
        redacted = _substitute(result, protected, known, replace_known)
        redacted = _substitute(redacted, protected, _PATTERN_PASS, replace_pattern)
        if redacted == result:
            break
        result = redacted
    return result
