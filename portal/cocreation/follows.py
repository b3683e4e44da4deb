"""Following a change: the follow part of a change's page, the follow and stop buttons, the changes a resident
follows, and the signed one-click links that stop a change's messages.

The buttons run ``changeFollow`` and ``changeUnfollow`` through the API as the viewer. The stop link needs no
sign-in: its signed token names the person and the change (``backend.cocreation.followers``); opening it only asks,
and the button on that page (with its CSRF token) stops.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from backend.cocreation import followers
from backend.cocreation.change_messages import in_language
from backend.errors import Invalid
from portal import operations
from portal.accounts.forms import EmptyForm
from portal.cocreation.blueprint import bp
from portal.security import speak_as
from schema.error_texts import message_for

#: Why someone follows a change, as the page says it.
REASONS = {
    "pressed": _l("you chose to follow it"),
    "contact": _l("you told us about something it changes"),
    "voter": _l("you voted for what it answers"),
}
STATUS_WORDS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "implemented": _l("Implemented by the landlord"),
    "confirmed": _l("Confirmed by residents"),
}


def change_page_part(change: dict[str, Any]) -> dict[str, Any]:
    """What ``cocreation/changes/_follow.html`` needs for the change (as read through the API, with its
    ``reference``): whether the viewer follows it and why, and where its buttons post. Include the template with
    this dict as ``follow``."""
    reference = str(change.get("reference") or "")
    state = operations.run("ResidentChangeFollowing", {"reference": reference})["changeFollowing"] or {}
    return {
        "reference": reference,
        "signed_in": bool(current_user.is_authenticated),
        "following": bool(state.get("following")),
        "reasons": [str(REASONS[reason]) for reason in state.get("reasons") or () if reason in REASONS],
        "follow_url": url_for("cocreation.change_follow", reference=reference),
        "unfollow_url": url_for("cocreation.change_unfollow", reference=reference),
        "sign_in_url": url_for("accounts.sign_in", next=f"/changes/{reference}"),
    }


def _change_id(reference: str) -> str:
    state = operations.run("ResidentChangeFollowing", {"reference": reference[:20]})["changeFollowing"]
    if state is None:
        abort(404)
    return str(state["changeId"])


def _press(reference: str, operation: str, done: str) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation(operation, {"input": {"changeId": _change_id(reference)}})
    if result.problem is None:
        flash(done, "success")
    elif result.problem.get("__typename") == "NotFoundError":
        abort(404)
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(f"/changes/{reference}")


@bp.route("/changes/<reference>/follow", methods=["POST"])
@login_required
def change_follow(reference: str) -> Any:
    """Follow a change, then go back to its page."""
    return _press(reference, "ResidentChangeFollow", _("You follow this change. We will tell you when it moves on."))


@bp.route("/changes/<reference>/unfollow", methods=["POST"])
@login_required
def change_unfollow(reference: str) -> Any:
    """Stop following a change, then go back to its page."""
    return _press(
        reference, "ResidentChangeUnfollow", _("You no longer follow this change. We will not write about it.")
    )


@bp.route("/changes/following")
@login_required
def changes_following() -> Any:
    """The changes the signed-in person follows, and why."""
    rows = operations.run("ResidentChangesFollowed")["changesFollowed"]
    for row in rows:
        row["reason_words"] = [str(REASONS[reason]) for reason in row["reasons"] if reason in REASONS]
        row["status_words"] = str(STATUS_WORDS.get(row["status"], row["status"]))
    return render_template("cocreation/changes/following.html", rows=rows)


@bp.route("/changes/stop/<token>", methods=["GET", "POST"])
def change_stop(token: str) -> Any:
    """Ask whether to stop a change's messages (GET); stop them (POST, with its CSRF token). A bad link changes
    nothing and says so."""
    try:
        user, change = followers.read_stop_token(token)
    except Invalid as error:
        return render_template("cocreation/changes/stop.html", problem=message_for(error, _)), 400
    speak_as(user)  # in the language of the messages the link came in
    title, lang = _title(change.title)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            followers.stop_by_link(token)
        except Invalid as error:
            return render_template("cocreation/changes/stop.html", problem=message_for(error, _)), 400
        return render_template("cocreation/changes/stop.html", done=True, change=change, title=title, lang=lang)
    return render_template("cocreation/changes/stop.html", change=change, title=title, lang=lang, form=form)


def _title(texts: dict[str, str]) -> tuple[str, str]:
    """A change's title in the reader's language, else English, and the language it is in."""
    locale = str(get_locale() or "en")
    lang = next((key for key in (locale, "en", *sorted(texts or {})) if (texts or {}).get(key)), locale)
    return in_language(texts, locale), lang
