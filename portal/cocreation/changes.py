""" "You said, we did" changes, for anyone, signed in or not: /changes lists the published ones, newest first, and
/changes/<reference> shows one: its easy-read summary first, what changed and why, its progress as a bar and in
words, its dated milestones and its timeline, its themes, and how many contacts (and complaints) it answers.

They are read through the API as the viewer, so only published changes are there, and nothing of who recorded them
or which contacts are behind them. The change page also shows the parts the other co-creation pages add: whether
it made a difference (``impact``), following it (``follows``) and residents' comments (``comments``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, render_template, request
from flask_babel import get_locale

from backend.config import text_direction
from portal import operations
from portal.cocreation import comments, follows, impact
from portal.cocreation.blueprint import bp
from portal.cocreation.labels import STATUSES

REFERENCE_MAX = 20


@dataclass(frozen=True)
class Local:
    """Text in the reader's language, or its English fallback; ``lang`` and ``dir`` are set only for a fallback."""

    text: str
    lang: str | None = None
    dir: str | None = None

    def __str__(self) -> str:
        return self.text


def reader_locale() -> str:
    return str(get_locale() or "en")


def local(texts: dict[str, str] | None, locale: str | None = None) -> Local:
    """The text in the reader's language, else in English (marked with its language), else empty."""
    texts = texts or {}
    wanted = locale or reader_locale()
    if texts.get(wanted):
        return Local(texts[wanted])
    if texts.get("en"):
        return Local(texts["en"], "en", text_direction("en") if text_direction(wanted) != "ltr" else None)
    return Local("")


def _theme(view: dict[str, Any]) -> dict[str, Any]:
    return {"id": view["id"], "name": local(view["name"])}


def shown(change: dict[str, Any]) -> dict[str, Any]:
    """The change as a page shows it: its texts in the reader's language and its themes named."""
    shaped = dict(change)
    for name in ("title", "easyRead", "what", "why"):
        if name in change:
            shaped[name] = local(change[name])
    shaped["themes"] = [_theme(t) for t in change.get("publicThemes", [])]
    shaped["statusText"] = STATUSES.get(change["status"], change["status"])
    return shaped


def _filters() -> tuple[dict[str, Any], dict[str, str]]:
    chosen = {name: (request.args.get(name) or "")[:100] for name in ("theme", "area", "status")}
    where: dict[str, Any] = {}
    if chosen["theme"].isdigit() and 0 < int(chosen["theme"]) < 2**63:
        where["themes"] = {"some": {"themeKey": {"eq": chosen["theme"]}}}
    if chosen["area"]:
        where["serviceAreaName"] = {"eq": chosen["area"]}
    if chosen["status"] in STATUSES:
        where["status"] = {"eq": chosen["status"]}
    return where, chosen


@bp.route("/changes")
def changes() -> Any:
    """Published changes, newest first, filtered by theme, service area and status, a page at a time."""
    where, chosen = _filters()
    data = operations.run_page(
        "ResidentChanges", {"where": where or None, "after": (request.args.get("after") or "")[:200] or None}
    )
    choices = operations.run("ResidentChangeChoices")["changeChoices"]
    page = data["changes"]
    return render_template(
        "cocreation/changes/list.html",
        changes=[shown(node) for node in page["nodes"]],
        page=page,
        chosen=chosen,
        themes=[{"id": t["id"], "name": str(local(t["name"]))} for t in choices["themes"]],
        areas=choices["serviceAreas"],
        statuses=STATUSES,
    )


def milestone_rows(milestones: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**m, "title": local(m["title"])} for m in milestones]


def timeline(updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The change's updates, newest first, each with its note and milestone in the reader's language."""
    rows = []
    for update in reversed(updates):
        milestone = update.get("milestone")
        rows.append(
            {
                **update,
                "note": local(update["note"]),
                "statusText": STATUSES.get(update["status"], update["status"]),
                "milestoneTitle": local(milestone["title"]) if milestone else None,
                "on": dt.datetime.fromisoformat(update["createdAt"]),
            }
        )
    return rows


@bp.route("/changes/<reference>")
def change(reference: str) -> Any:
    """One published change: easy-read first, then what and why, progress, milestones, timeline and themes; with
    ``?print=1``, the same without the site's navigation, to print."""
    found = operations.run("ResidentChange", {"reference": reference[:REFERENCE_MAX].upper()})["changes"]["nodes"]
    if not found:
        abort(404)
    change = found[0]
    # The parts the other co-creation pages add, each under the name its template reads; the page's own come last.
    variables: dict[str, Any] = {
        "impact": impact.change_page_part(change),
        "follow": follows.change_page_part(change),
        **comments.change_page_part(change),
    }
    template = "cocreation/changes/print.html" if request.args.get("print") == "1" else "cocreation/changes/change.html"
    variables.update(
        change=shown(change),
        milestones=milestone_rows(change["milestones"]),
        updates=timeline(change["updates"]),
        direction=text_direction(reader_locale()),
        locale=reader_locale(),
    )
    return render_template(template, **variables)
