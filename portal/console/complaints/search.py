"""Console search: contacts and complaints by reference, name, email, postcode, address, phone number or words.

Names, emails and postcodes are those of the resident's account and home, and of the people a contact names who
have no account; phone numbers are those of the people without an account, in any spelling (07700 900123,
+447700900123).

Every word typed must match somewhere in a row (in any of those fields, ignoring case). The search is a filter
on the API's own lists, run as the viewer, so a complaint or contact the viewer may not see never shows, whatever
access rules the API gains. Each list pages on its own, and downloads as CSV.
"""

from __future__ import annotations

import re
from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from backend.accounts.phone import number_key
from portal import exports, operations
from portal.access import roles_required
from portal.complaints import labels
from portal.console.blueprint import STAFF, bp

MAX_QUERY = 200
MAX_WORDS = 5
PAGE = 25


def words_of(text: str) -> list[str]:
    """The words searched for: at most MAX_WORDS, from at most MAX_QUERY characters, each once."""
    words: list[str] = []
    for word in text[:MAX_QUERY].split():
        if word.lower() not in (w.lower() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


# A word, or the whole text, is searched for as a phone number when it is made of digits and the usual
# separators, with at least this many digits (fewer would match too many numbers by chance).
PHONE_DIGITS = 6
PHONE = re.compile(r"\+?[\d\s().-]+")


def phone_key(text: str) -> str | None:
    """The text as a phone number's key (``number_key``: 07700 900123 and +447700900123 alike), or None when it is
    not a phone number."""
    text = text.strip().replace("(0)", "")
    if not PHONE.fullmatch(text) or sum(c.isdigit() for c in text) < PHONE_DIGITS:
        return None
    return number_key(text)


def _person(word: str) -> list[dict[str, Any]]:
    return [{"displayName": {"contains": word}}, {"email": {"contains": word}}]


def _someone(word: str) -> dict[str, Any]:
    """A person a contact names who has no account: by name, email, postcode or phone number."""
    fields = ("name", "email", "postcode")
    found: list[dict[str, Any]] = [{name: {"contains": word}} for name in fields]
    key = phone_key(word)
    if key:
        found.append({"phoneKey": {"contains": key}})
    return {"people": {"some": {"or": found}}}


def _phoned(text: str) -> dict[str, Any] | None:
    """Contacts whose person without an account gave the phone number the whole text is, spaces and all
    ("07700 900123"); None when the text is one word (``_someone`` finds it) or not a phone number."""
    key = phone_key(text)
    if key is None or len(text.split()) < 2:
        return None
    return {"people": {"some": {"phoneKey": {"contains": key}}}}


def _home(word: str) -> dict[str, Any]:
    return {"or": [{"postcode": {"contains": word}}, {"address": {"contains": word}}, {"reference": {"eq": word}}]}


def complaint_where(words: list[str], text: str = "") -> dict[str, Any]:
    """Complaints in which each word is found: reference, resident, home, summary, a point, or the contact's words;
    or whose contact's person without an account gave the phone number ``text`` is (see ``_phoned``)."""
    where = {
        "and": [
            {
                "or": [
                    {"reference": {"contains": word}},
                    *({"resident": person} for person in _person(word)),
                    {"home": _home(word)},
                    {"summary": {"contains": word}},
                    {"points": {"some": {"text": {"contains": word}}}},
                    {"contact": {"or": [{"description": {"contains": word}}, _someone(word)]}},
                ]
            }
            for word in words
        ]
    }
    phoned = _phoned(text)
    return {"or": [where, {"contact": phoned}]} if phoned else where


def contact_where(words: list[str], text: str = "") -> dict[str, Any]:
    """Contacts that did not become a complaint (a complaint shows as itself) in which each word is found:
    reference, resident, home, or the resident's own words; or whose person without an account gave the phone
    number ``text`` is."""
    found: dict[str, Any] = {
        "and": [
            {
                "or": [
                    {"reference": {"contains": word}},
                    *({"resident": person} for person in _person(word)),
                    {"home": _home(word)},
                    {"description": {"contains": word}},
                    _someone(word),
                ]
            }
            for word in words
        ],
    }
    phoned = _phoned(text)
    return {"complaints": {"none": {"id": {"isNull": False}}}, **({"or": [found, phoned]} if phoned else found)}


@bp.route("/search")
@roles_required(*STAFF)
def search() -> Any:
    text = (request.args.get("q") or "").strip()
    words = words_of(text)
    complaints = contacts = None
    if words:
        complaints = operations.run_page(
            "ConsoleSearchComplaints",
            {
                "where": complaint_where(words, text[:MAX_QUERY]),
                "after": request.args.get("complaints_after") or None,
                "first": PAGE,
            },
        )["complaints"]
        contacts = operations.run_page(
            "ConsoleSearchContacts",
            {
                "where": contact_where(words, text[:MAX_QUERY]),
                "after": request.args.get("contacts_after") or None,
                "first": PAGE,
            },
        )["contacts"]
    return render_template(
        "console/complaints/search.html",
        q=text,
        cut=len(text) > MAX_QUERY or len(text.split()) > MAX_WORDS,
        words=words,
        complaints=complaints,
        contacts=contacts,
    )


COMPLAINT_HEADER = [
    _l("Reference"),
    _l("Resident"),
    _l("Postcode"),
    _l("Stage"),
    _l("Status"),
    _l("Case handler"),
    _l("Next due"),
    _l("Opened"),
]
CONTACT_HEADER = [_l("Reference"), _l("From"), _l("Postcode"), _l("Received"), _l("How"), _l("Status"), _l("Kind")]


def complaint_row(node: dict[str, Any]) -> list[Any]:
    """A complaint as the CSV's cells: who it is from and its stage and status in words, in the viewer's language."""
    contact = node.get("contact") or {}
    return [
        node["reference"],
        labels.complainant_name(node.get("resident"), bool(contact.get("anonymous")), contact.get("people")),
        labels.complainant_postcode(node.get("home"), bool(contact.get("anonymous")), contact.get("people")),
        labels.stage_text(node["stage"]),
        labels.label(labels.COMPLAINT_STATUSES, node["status"]),
        (node.get("handler") or {}).get("displayName", ""),
        node.get("nextDueOn") or "",
        (node.get("createdAt") or "")[:10],
    ]


def contact_row(node: dict[str, Any]) -> list[Any]:
    """A contact as the CSV's cells: who it is from, and how it came, its status and kind in words."""
    return [
        node["reference"],
        labels.complainant_name(node.get("resident"), bool(node.get("anonymous")), node.get("people")),
        labels.complainant_postcode(node.get("home"), bool(node.get("anonymous")), node.get("people")),
        (node.get("receivedAt") or "")[:10],
        labels.label(labels.CHANNELS, node["channel"]),
        labels.label(labels.CONTACT_STATUSES, node["status"]),
        labels.label(labels.KINDS, node.get("kind")),
    ]


@bp.route("/search.csv")
@roles_required(*STAFF)
def search_csv() -> Any:
    """The search's complaints (``list=complaints``) or contacts as CSV: every page, as the viewer may see them."""
    text = (request.args.get("q") or "").strip()[:MAX_QUERY]
    words = words_of(text)
    if request.args.get("list") == "contacts":
        return exports.csv_download(
            "contacts-search",
            [str(h) for h in CONTACT_HEADER],
            lambda: (
                (
                    contact_row(n)
                    for n in exports.pages(
                        "ConsoleSearchContacts", {"where": contact_where(words, text), "first": 100}, "contacts"
                    )
                )
                if words
                else iter(())
            ),
        )
    return exports.csv_download(
        "complaints-search",
        [str(h) for h in COMPLAINT_HEADER],
        lambda: (
            (
                complaint_row(n)
                for n in exports.pages(
                    "ConsoleSearchComplaints", {"where": complaint_where(words, text), "first": 100}, "complaints"
                )
            )
            if words
            else iter(())
        ),
    )
