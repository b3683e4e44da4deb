"""Console search: contacts and complaints by reference, name, email, postcode, address or words.

Names, emails and postcodes are those of the resident's account and home, and of the people a contact names who
have no account.

Every word typed must match somewhere in a row (in any of those fields, ignoring case). The search is a filter
on the API's own lists, run as the viewer, so a complaint or contact the viewer may not see never shows, whatever
access rules the API gains. Each list pages on its own, and downloads as CSV.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l

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


def _person(word: str) -> list[dict[str, Any]]:
    return [{"displayName": {"contains": word}}, {"email": {"contains": word}}]


def _someone(word: str) -> dict[str, Any]:
    """A person a contact names who has no account: by name, email or postcode."""
    fields = ("name", "email", "postcode")
    return {"people": {"some": {"or": [{name: {"contains": word}} for name in fields]}}}


def _home(word: str) -> dict[str, Any]:
    return {"or": [{"postcode": {"contains": word}}, {"address": {"contains": word}}, {"reference": {"eq": word}}]}


def complaint_where(words: list[str]) -> dict[str, Any]:
    """Complaints in which each word is found: reference, resident, home, summary, a point, or the contact's words."""
    return {
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


def contact_where(words: list[str]) -> dict[str, Any]:
    """Contacts that did not become a complaint (a complaint shows as itself) in which each word is found:
    reference, resident, home, or the resident's own words."""
    return {
        "complaints": {"none": {"id": {"isNull": False}}},
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


@bp.route("/search")
@roles_required(*STAFF)
def search() -> Any:
    text = (request.args.get("q") or "").strip()
    words = words_of(text)
    complaints = contacts = None
    if words:
        complaints = operations.run_page(
            "ConsoleSearchComplaints",
            {"where": complaint_where(words), "after": request.args.get("complaints_after") or None, "first": PAGE},
        )["complaints"]
        contacts = operations.run_page(
            "ConsoleSearchContacts",
            {"where": contact_where(words), "after": request.args.get("contacts_after") or None, "first": PAGE},
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
        (node.get("home") or {}).get("postcode", ""),
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
        (node.get("home") or {}).get("postcode", ""),
        (node.get("receivedAt") or "")[:10],
        labels.label(labels.CHANNELS, node["channel"]),
        labels.label(labels.CONTACT_STATUSES, node["status"]),
        labels.label(labels.KINDS, node.get("kind")),
    ]


@bp.route("/search.csv")
@roles_required(*STAFF)
def search_csv() -> Any:
    """The search's complaints (``list=complaints``) or contacts as CSV: every page, as the viewer may see them."""
    words = words_of((request.args.get("q") or "").strip())
    if request.args.get("list") == "contacts":
        return exports.csv_download(
            "contacts-search",
            [str(h) for h in CONTACT_HEADER],
            lambda: (
                (
                    contact_row(n)
                    for n in exports.pages(
                        "ConsoleSearchContacts", {"where": contact_where(words), "first": 100}, "contacts"
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
                    "ConsoleSearchComplaints", {"where": complaint_where(words), "first": 100}, "complaints"
                )
            )
            if words
            else iter(())
        ),
    )
