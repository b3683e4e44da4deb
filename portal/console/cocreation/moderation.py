"""Console: moderating residents' comments on changes.

The queue lists the comments held for a moderator (personal data found) and those hidden after reports, oldest
first, each with its words as written beside the words as they would be published. A comment's page holds the
actions, each with its required reason: publish (optionally with edited public words, redacted again), hide, remove,
restore; "make a contact" for a comment that says the resident is dissatisfied, which records it as a contact from
them and offers them the choice to complain; the history of what moderators did; and the official reply form.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, NATIONS, Visible, choices, limit
from portal.forms import show_problem

MOVES = {
    "publish": _l("Publish it"),
    "hide": _l("Hide it"),
    "remove": _l("Remove it (the resident is told, with your reason)"),
    "restore": _l("Restore it to published"),
}
#: What a moderator's action is called in a comment's history.
DONE = {
    "publish": _l("Published"),
    "hide": _l("Hidden"),
    "remove": _l("Removed"),
    "restore": _l("Restored"),
    "make_contact": _l("Recorded as a contact, with the offer to complain"),
}
HELD_REASONS = {
    "personal_data": _l("Personal data was found and taken out of the public words"),
    "reports": _l("Hidden after reports"),
}
STATUSES = {
    "held": _l("Held for a moderator"),
    "published": _l("Published"),
    "hidden": _l("Hidden after reports"),
    "removed": _l("Removed"),
}
REASON_HINT = _l("Required, up to 1,000 characters. It is kept with the comment's history.")


class ModerateForm(FlaskForm):
    action = RadioField(_l("What to do"), choices=choices(MOVES), validators=[DataRequired(_l("Choose what to do."))])
    reason = TextAreaField(
        _l("Why"),
        description=REASON_HINT,
        validators=[
            DataRequired(_l("Give the reason for this decision.")),
            Visible(_l("Give the reason.")),
            limit(1_000),
        ],
    )
    body_public = TextAreaField(
        _l("Words to publish (optional)"),
        description=_l(
            "Only when publishing: change the public words, for example to take out something redaction missed. "
            "They are redacted again. Leave empty to publish the words as shown."
        ),
        validators=[Optional(), limit(2_000)],
    )


class MakeContactForm(FlaskForm):
    contact_reason = TextAreaField(
        _l("Why it is a contact"),
        description=_l(
            "Say what the resident is dissatisfied with. Any dissatisfaction is a complaint under the Code, "
            "so the resident is offered the choice to make one. Required, up to 1,000 characters."
        ),
        validators=[DataRequired(_l("Give the reason for this decision.")), limit(1_000)],
    )
    nation = SelectField(
        _l("Nation of the home"),
        description=_l("Only needed when the resident has no home on record."),
        choices=[BLANK, *NATIONS],
        default="",
    )


class OfficialReplyForm(FlaskForm):
    reply = TextAreaField(
        _l("Official reply"),
        description=_l("Published at once with an “Official reply” badge. Up to 2,000 characters."),
        validators=[DataRequired(_l("Write your reply.")), limit(2_000)],
    )


def _labels() -> dict[str, Any]:
    return {"done": DONE, "held_reasons": HELD_REASONS, "statuses": STATUSES}


@bp.route("/co-creation/moderation")
@roles_required(*STAFF)
def cocreation_moderation() -> Any:
    """The comments waiting for a moderator, oldest first, with their words as written beside the public ones."""
    found = operations.run("ConsoleModerationQueue")["changeComments"]
    return render_template(
        "console/cocreation/moderation.html", comments=found["nodes"], total=found["totalCount"], labels=_labels()
    )


def _comment_page(comment_id: int, status: int = 200, **forms: Any) -> Any:
    comment = operations.run("ConsoleModerationComment", {"id": str(comment_id)})["changeComment"]
    if comment is None:
        abort(404)
    page = render_template(
        "console/cocreation/moderation_comment.html",
        comment=comment,
        moderate_form=forms.get("moderate_form") or ModerateForm(formdata=None),
        contact_form=forms.get("contact_form") or MakeContactForm(formdata=None),
        reply_form=forms.get("reply_form") or OfficialReplyForm(formdata=None),
        labels=_labels(),
    )
    return page, status


@bp.route("/co-creation/moderation/<int:comment_id>")
@roles_required(*STAFF)
def cocreation_moderation_comment(comment_id: int) -> Any:
    """One comment: its words as written and as published, why it waits, its history, and the actions."""
    return _comment_page(comment_id)


def _done(comment_id: int, message: str) -> Any:
    flash(message, "success")
    return redirect(url_for("console.cocreation_moderation_comment", comment_id=comment_id))


@bp.route("/co-creation/moderation/<int:comment_id>/moderate", methods=["POST"])
@roles_required(*STAFF)
def cocreation_moderation_moderate(comment_id: int) -> Any:
    """Publish, hide, remove or restore the comment, with the reason."""
    form = ModerateForm()
    if not form.validate_on_submit():
        return _comment_page(comment_id, 400, moderate_form=form)
    values = {"commentId": str(comment_id), "action": form.action.data, "reason": form.reason.data}
    if (form.body_public.data or "").strip():
        values["bodyPublic"] = form.body_public.data
    result = operations.run_mutation("ConsoleChangeCommentModerate", {"input": values})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem)
        return _comment_page(comment_id, result.status, moderate_form=form)
    return _done(comment_id, _("Your decision is recorded."))


@bp.route("/co-creation/moderation/<int:comment_id>/contact", methods=["POST"])
@roles_required(*STAFF)
def cocreation_moderation_contact(comment_id: int) -> Any:
    """Record the comment as a contact from its resident and offer them the choice to complain."""
    form = MakeContactForm()
    if not form.validate_on_submit():
        return _comment_page(comment_id, 400, contact_form=form)
    values = {"commentId": str(comment_id), "reason": form.contact_reason.data, "nation": form.nation.data or None}
    result = operations.run_mutation("ConsoleChangeCommentMakeContact", {"input": values})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem, {"reason": "contact_reason"})
        return _comment_page(comment_id, result.status, contact_form=form)
    reference = result.data["changeComment"]["contact"]["reference"]
    return _done(
        comment_id,
        _("Recorded as contact %(reference)s. The resident is offered the choice to complain.", reference=reference),
    )


@bp.route("/co-creation/moderation/<int:comment_id>/reply", methods=["POST"])
@roles_required(*STAFF)
def cocreation_moderation_reply(comment_id: int) -> Any:
    """Reply to the comment for the landlord: official, published at once."""
    form = OfficialReplyForm()
    if not form.validate_on_submit():
        return _comment_page(comment_id, 400, reply_form=form)
    values = {"commentId": str(comment_id), "body": form.reply.data}
    result = operations.run_mutation("ConsoleChangeCommentReply", {"input": values})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem, {"body": "reply", "commentId": "reply"})
        return _comment_page(comment_id, result.status, reply_form=form)
    return _done(comment_id, _("Your official reply is published."))
