"""The public face of "you said, we did": the hub, the quarterly digests, success stories, the landlord's own pages
and the Atom feeds. Open to everyone, signed in or not; each page has a print view (``?print=1``) and prints
cleanly anyway.

Pages read through the API as the viewer (``portal/operations/cocreation_publication.graphql``), so only what is
published is there. The feeds are built from the same published rows (``backend.cocreation.feeds``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request, send_file, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend.cocreation import feeds, pages
from backend.cocreation import stories as public_stories
from backend.cocreation.models import ChangeStatus, PageKind
from backend.config import current
from backend.errors import NotFound
from portal import operations
from portal.cocreation.blueprint import bp

STATUS_LABELS = {
    ChangeStatus.PLANNED.value: _l("Planned"),
    ChangeStatus.IN_PROGRESS.value: _l("In progress"),
    ChangeStatus.IMPLEMENTED.value: _l("Implemented by the landlord"),
    ChangeStatus.CONFIRMED.value: _l("Confirmed by residents"),
}
DIRECTION_LABELS = {"up": _l("Up"), "down": _l("Down"), "same": _l("The same")}
PAGE_LABELS = {
    PageKind.CONTACT.value: _l("Contact us"),
    PageKind.COMPLAINTS_POLICY.value: _l("Complaints policy"),
    PageKind.ACCESSIBILITY.value: _l("Accessibility statement"),
    PageKind.PRIVACY.value: _l("Privacy notice"),
}


def _locale() -> str:
    return str(get_locale() or "en")


def localised(texts: dict[str, str] | None) -> tuple[str, str]:
    """The text in the reader's language, else English, else any; with the language it is in (for ``lang``)."""
    return feeds.in_language(texts, _locale())


def _print_view() -> bool:
    return request.args.get("print") == "1"


def _print_url() -> str:
    """This page's print view."""
    return url_for(request.endpoint or "cocreation.hub", **(request.view_args or {}), print="1")


def _render(template: str, **values: Any) -> str:
    return render_template(
        template,
        print_view=_print_view(),
        localised=localised,
        status_labels=STATUS_LABELS,
        direction_labels=DIRECTION_LABELS,
        page_labels=PAGE_LABELS,
        print_url=_print_url(),
        **values,
    )


@bp.route("/you-said-we-did")
def hub() -> Any:
    """You said, we did: where to find themes, rounds, changes, digests, stories, scrutiny reports and feeds."""
    digests = operations.run("ResidentDigests")["digests"]["nodes"]
    shown = operations.run("ResidentStories")["publicStories"]
    return _render("cocreation/publication/hub.html", latest=digests[0] if digests else None, stories=shown[:3])


@bp.route("/digests")
def digests() -> Any:
    """Every published quarterly digest, newest quarter first."""
    found = operations.run("ResidentDigests")["digests"]["nodes"]
    return _render("cocreation/publication/digests.html", digests=found)


@bp.route("/digests/<int:year>-q<int:quarter>")
def digest(year: int, quarter: int) -> Any:
    """One published digest: the introduction, the quarter's changes by status, the themes' trends, the rounds'
    results and its success stories."""
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        abort(404)
    found = operations.run("ResidentDigest", {"year": year, "quarter": quarter})["digests"]["nodes"]
    if not found:
        abort(404)
    content = found[0]["content"] or {}
    by_status = {
        status: [change for change in content.get("changes", []) if change.get("status") == status]
        for status in STATUS_LABELS
    }
    return _render("cocreation/publication/digest.html", digest=found[0], content=content, by_status=by_status)


@bp.route("/stories", endpoint="stories")
def stories_list() -> Any:
    """Approved success stories, newest first."""
    return _render("cocreation/publication/stories.html", stories=operations.run("ResidentStories")["publicStories"])


@bp.route("/stories/<int:story_id>")
def story(story_id: int) -> Any:
    """One approved success story with its before and after figures and its media."""
    found = operations.run("ResidentStory", {"id": str(story_id)})["publicStory"]
    if found is None:
        abort(404)
    return _render("cocreation/publication/story.html", story=found)


@bp.route("/stories/<int:story_id>/images/<int:media_id>")
def story_image(story_id: int, media_id: int) -> Any:
    """An uploaded image of an approved story."""
    try:
        media, content = public_stories.open_public_image(story_id, media_id)
    except NotFound:
        abort(404)
    response = send_file(content, mimetype=media.media_type or "application/octet-stream", max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/pages/<kind>")
def landlord_page(kind: str) -> Any:
    """One of the landlord's own pages in the reader's language (English, or the built-in default, otherwise)."""
    found = operations.run("ResidentLandlordPage", {"kind": kind[:30], "locale": _locale()})["landlordPageShown"]
    if found is None:
        abort(404)
    return _render("cocreation/publication/page.html", page=found, blocks=pages.blocks(found["body"]))


def _atom(body: bytes) -> Response:
    return Response(body, mimetype="application/atom+xml")


def _feed_locale() -> str:
    wanted = (request.args.get("lang") or "")[:10]
    return wanted if wanted in current().enabled_locales else _locale()


@bp.route("/changes.atom")
def changes_feed() -> Any:
    """The Atom feed of published changes, in ``?lang=`` (or the reader's language)."""
    locale = _feed_locale()
    with force_locale(locale):
        title = _("You said, we did: changes")
    return _atom(feeds.changes_feed(current().base_url, locale, title))


@bp.route("/digests.atom")
def digests_feed() -> Any:
    """The Atom feed of published quarterly digests, in ``?lang=`` (or the reader's language)."""
    locale = _feed_locale()
    with force_locale(locale):
        title = _("You said, we did: quarterly digests")
        entry = _("You said, we did: %(period)s", period="{year} Q{quarter}")
    return _atom(feeds.digests_feed(current().base_url, locale, title, entry))
