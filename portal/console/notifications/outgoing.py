"""Console pages for messages: wording in every language (edit, preview and review after the English changes),
the delivery log, and letters to post."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend import config
from backend.config import LANGUAGE_NAMES
from backend.errors import NotAllowed, NotFound
from backend.notifications.letters import letter_document, letter_for_staff
from backend.notifications.letters import letter_pdf as render_pdf
from backend.notifications.models import CHANNELS
from backend.timeutil import LOCAL_ZONE
from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.security import current_actor
from tasks.dispatch import deliver

CHANNEL_NAMES = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "letter": _l("Letter"),
    "portal": _l("Portal"),
    "call": _l("Phone call"),
}
STATUS_NAMES = {
    "pending": _l("Pending"),
    "held": _l("Held for a digest"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "digested": _l("Sent in a digest"),
    "failed": _l("Failed, will retry"),
    "dead": _l("Gave up (dead letter)"),
    "bounced": _l("Bounced"),
    "skipped": _l("Not sent (turned off)"),
    "unreachable": _l("Needs action: no postal address"),
}
STATUSES = tuple(STATUS_NAMES)


@bp.route("/templates")
@roles_required(*STAFF)
def templates() -> Any:
    events = operations.run("ConsoleMessageEvents")["messageEvents"]
    states = {
        (s["event"], s["channel"], s["locale"]): dated(s)
        for s in operations.run("ConsoleWordingStates")["messageWordingStates"]
    }
    pending = sum(1 for state in states.values() if state["englishChangedAt"])
    return render_template(
        "console/templates.html",
        events=events,
        states=states,
        pending=pending,
        channels=CHANNELS,
        channel_names=CHANNEL_NAMES,
        locales=config.current().enabled_locales,
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/templates/reviews")
@roles_required(*STAFF)
def template_reviews() -> Any:
    states = operations.run("ConsoleWordingStates", {"reviewPending": True})["messageWordingStates"]
    return render_template(
        "console/template_reviews.html",
        reviews=[dated(s) for s in states],
        channel_names=CHANNEL_NAMES,
        language_names=LANGUAGE_NAMES,
        can_edit=current_can_edit(),
        form=EmptyForm(),
    )


@bp.route("/templates/<event>/<channel>/<locale>/review", methods=["POST"])
@roles_required(*STAFF)
def template_review(event: str, channel: str, locale: str) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not current_can_edit():
        abort(403)
    problem = mark_reviewed(event, channel, locale, request.form.get("english_changed_at", ""))
    if problem:
        flash(problem, "error")
    else:
        flash(_("The %(language)s wording is marked as reviewed.", language=language_name(locale)), "success")
    if request.form.get("back") == "edit":
        return redirect(url_for("console.template_edit", event=event, channel=channel, locale=locale))
    return redirect(url_for("console.template_reviews"))


def mark_reviewed(event: str, channel: str, locale: str, english_changed_at: str) -> str | None:
    """Record the review through the API; return the problem to show, or None once it is recorded."""
    changed_again = _("The English wording changed again since you opened this page. Read it, then review again.")
    try:
        # The moment the page showed, given back as it was; anything else can't be what they read.
        moment = dt.datetime.fromisoformat(english_changed_at) if len(english_changed_at) <= 40 else None
    except ValueError:
        moment = None
    if moment is None:
        return changed_again
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # the API gives moments in UTC
    variables = {"event": event, "channel": channel, "locale": locale, "englishChangedAt": moment.isoformat()}
    try:
        result = operations.run_mutation("ConsoleMessageTranslationMarkReviewed", {"input": variables})
    except operations.OperationFailed:
        return changed_again
    if result.problem is None:
        return None
    if result.problem["code"] == "english_changed":
        return changed_again
    if result.problem["code"] == "nothing_to_review":
        return _("There is nothing to review: the English wording is the standard wording again.")
    return str(result.problem["message"])


def wording_errors(problem: dict[str, Any]) -> dict[str, list[str]]:
    """Every message of the problem, by the part of the wording page it belongs to: ``subject``, or else ``body``."""
    errors: dict[str, list[str]] = {}
    for each in problem.get("problems") or [problem]:
        found = errors.setdefault("subject" if each.get("field") == "subject" else "body", [])
        if each["message"] not in found:
            found.append(each["message"])
    return errors


def same_wording(typed: tuple[str, str], saved: tuple[str, str]) -> bool:
    """Whether what came back from the form is the saved wording (browsers send a textarea's lines as CRLF)."""

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    return [plain(t) for t in typed] == [plain(t) for t in saved]


def language_name(locale: str) -> str:
    return str(LANGUAGE_NAMES.get(locale, locale))


def dated(state: dict[str, Any]) -> dict[str, Any]:
    """A wording state with its moments as the days they fell on in the UK, as staff read dates."""
    return state | {
        f"{key}Day": uk_day(state[key]) for key in ("changedAt", "englishChangedAt", "reviewedAt") if key in state
    }


def uk_day(moment: str | None) -> dt.date | None:
    """The UK calendar day of a moment the API gives in UTC."""
    if not moment:
        return None
    parsed = dt.datetime.fromisoformat(moment)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(LOCAL_ZONE).date()


@bp.route("/templates/<event>/<channel>/<locale>", methods=["GET", "POST"])
@roles_required(*STAFF)
def template_edit(event: str, channel: str, locale: str) -> Any:
    if channel not in CHANNELS or locale not in config.current().enabled_locales:
        abort(404)
    wording = operations.run("ConsoleMessageWording", {"event": event, "channel": channel, "locale": locale})
    wording = wording["messageWording"]
    if wording is None:
        abort(404)
    subject, body = wording["subject"], wording["body"]
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        subject, body = request.form.get("subject", ""), request.form.get("body", "")
        action = request.form.get("action")
        if action in ("save", "review") and not current_can_edit():
            # Case handlers may preview wording but not change it.
            errors["body"] = [_("You do not have permission to do that.")]
            status = 403
        elif action == "review" and not same_wording((subject, body), (wording["subject"], wording["body"])):
            # Marking as reviewed would drop what they typed: saving it is what clears the review.
            errors["body"] = [_("You have changed the wording. Save it instead: saving also clears the review.")]
            status = 400
        elif action == "review":
            problem = mark_reviewed(event, channel, locale, request.form.get("english_changed_at", ""))
            if problem is None:
                flash(_("The %(language)s wording is marked as reviewed.", language=language_name(locale)), "success")
                return redirect(url_for("console.template_edit", event=event, channel=channel, locale=locale))
            errors["review"] = [problem]
            status = 409
        elif action == "save":
            result = operations.run_mutation(
                "ConsoleMessageTemplateSave",
                {"input": {"event": event, "channel": channel, "locale": locale, "subject": subject, "body": body}},
            )
            if result.problem is None:
                flash(_("The wording has been saved."), "success")
                return redirect(url_for("console.template_edit", event=event, channel=channel, locale=locale))
            errors.update(wording_errors(result.problem))
            status = 400
    previewed = operations.run_mutation(
        "ConsoleMessagePreview",
        {"event": event, "channel": channel, "locale": locale, "subject": subject, "body": body},
    )
    preview = previewed.data or None
    if previewed.problem is not None:
        errors = wording_errors(previewed.problem) | errors
        status = 400 if request.method == "POST" else status
    events = {e["name"]: e for e in operations.run("ConsoleMessageEvents")["messageEvents"]}
    (state,) = operations.run("ConsoleWordingStates", {"event": event, "channel": channel, "locale": locale})[
        "messageWordingStates"
    ]
    english = None
    if locale != "en":
        english = operations.run("ConsoleMessageWording", {"event": event, "channel": channel, "locale": "en"})[
            "messageWording"
        ]
    return render_template(
        "console/template_edit.html",
        event=events.get(event),
        channel=channel,
        locale=locale,
        subject=subject,
        body=body,
        origin=wording["origin"],
        state=dated(state),
        english=english,
        preview=preview,
        errors=errors,
        channel_names=CHANNEL_NAMES,
        language_names=LANGUAGE_NAMES,
        can_edit=current_can_edit(),
        form=EmptyForm(),
        panel_approved=operations.run(
            "ConsoleWordingPanelApproval", {"event": event, "channel": channel, "locale": locale}
        )["panelApprovalOfWording"],
    ), status


def current_can_edit() -> bool:
    return current_actor().has_role("manager", "admin")


@bp.route("/deliveries")
@roles_required(*STAFF)
def deliveries() -> Any:
    status = request.args.get("status") if request.args.get("status") in STATUSES else ""
    where = {"status": {"eq": status}} if status else None
    variables = {"where": where, "after": request.args.get("after") or None}
    page = operations.run_page("ConsoleDeliveries", variables)["deliveries"]
    info = page["pageInfo"]
    return render_template(
        "console/deliveries.html",
        deliveries=page["nodes"],
        total=page["totalCount"],
        status=status,
        statuses=STATUSES,
        status_names=STATUS_NAMES,
        form=EmptyForm(),
        channel_names=CHANNEL_NAMES,
        next_after=info["endCursor"] if info["hasNextPage"] else None,
    )


@bp.route("/deliveries/<int:delivery_id>/retry", methods=["POST"])
@roles_required(*STAFF)
def delivery_retry(delivery_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ConsoleDeliveryRetry", {"input": {"id": str(delivery_id)}})
    if result.problem is None:
        deliver(delivery_id)
        flash(_("The message will be sent again."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(
        request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("console.deliveries")
    )


@bp.route("/letters")
@roles_required(*STAFF)
def letters() -> Any:
    status = "posted" if request.args.get("status") == "posted" else "queued"
    page = operations.run("ConsoleLetters", {"status": status})["letters"]
    return render_template(
        "console/letters.html",
        letters=page["nodes"],
        total=page["totalCount"],
        status=status,
        form=EmptyForm(),
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/letters/<int:letter_id>/posted", methods=["POST"])
@roles_required(*STAFF)
def letter_posted(letter_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ConsoleLetterMarkPosted", {"input": {"id": str(letter_id)}})
    if result.problem is None:
        flash(_("The letter is marked as posted."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.letters"))


def _staff_letter(letter_id: int) -> Any:
    try:
        return letter_document(letter_for_staff(current_actor(), letter_id))
    except (NotAllowed, NotFound):
        abort(404)


@bp.route("/letters/<int:letter_id>")
@roles_required(*STAFF)
def letter_page(letter_id: int) -> Any:
    """One letter laid out for printing from the browser, with a link to its PDF."""
    return render_template("console/letter.html", letter=_staff_letter(letter_id))


@bp.route("/letters/<int:letter_id>.pdf")
@roles_required(*STAFF)
def letter_pdf(letter_id: int) -> Any:
    """One letter as a PDF, with the stage's leaflet after it."""
    document = _staff_letter(letter_id)
    response = Response(render_pdf(document), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="letter-{letter_id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
