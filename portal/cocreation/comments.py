"""Comments on a change: the part of the change page that shows them, and what residents do there.

The change page calls :func:`change_page_part` with the change as it read it through the API (at least its
``reference``) and includes ``cocreation/changes/_comments.html``, which reads the ``comments`` value the part gives.
The comments read oldest first, as a conversation does, each reply indented under the comment it answers; the landlord's
replies carry an "Official reply" badge in words.

The forms post here: a comment (``/changes/<reference>/comments``), a reply, a report and a delete
(``/comments/<id>/...``). A problem with the words shows the comment page again with the error summary, the error by
the field and the words kept; a comment or change that is not there, or not the viewer's to delete, is a 404 alike.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from backend.cocreation.comments import BODY_MAX, COMMENTERS
from backend.cocreation.models import Change
from portal import operations
from portal.access import roles_required
from portal.cocreation.blueprint import bp
from portal.console.complaints.forms import Visible, limit
from portal.forms import show_problem
from portal.security import current_actor
from schema.access import SIGNED_IN

RIGHT_TO_LEFT = ("ar", "ur")
COMMENT_HINT = _l(
    "Say what the change has meant for you, in up to 2,000 characters. Leave out names, addresses and phone "
    "numbers: if we find any, a moderator checks your comment before it is public."
)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        description=COMMENT_HINT,
        validators=[DataRequired(_l("Write your comment.")), Visible(_l("Write your comment.")), limit(BODY_MAX)],
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"),
        id="reply-body",
        validators=[DataRequired(_l("Write your reply.")), Visible(_l("Write your reply.")), limit(BODY_MAX)],
    )


class ActionForm(FlaskForm):
    """A form that is one button (report, delete): its CSRF token is all it carries."""


def change_url(reference: str) -> str:
    """The change page's address (``/changes/<reference>``), at the comments."""
    return url_for("cocreation.change", reference=reference, _anchor="comments")


def _title(reference: str) -> tuple[str, str]:
    """The change's title in the reader's language (English as the fallback), and the language it is in."""
    change = Change.get_or_none(Change.reference == reference, Change.published_at.is_null(False))
    if change is None:
        abort(404)
    locale = str(get_locale() or "en")
    titles = change.title or {}
    if titles.get(locale):
        return titles[locale], locale
    return titles.get("en") or reference, "en"


def change_page_part(
    change: dict[str, Any],
    form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """What the change page needs to show its comments: ``{"comments": {...}}`` for ``_comments.html``.

    ``form`` and ``reply_form`` (with ``reply_to``, the comment answered) carry a form that failed, words kept.
    """
    reference = str(change["reference"])
    # Newest first, a page at a time: ?comments_after=<cursor> turns to older ones.
    after = (request.args.get("comments_after") or "")[:200] or None
    found = operations.run("ResidentChangeComments", {"reference": reference, "after": after})["changeComments"]
    actor = current_actor()
    may_comment = actor.has_role(*COMMENTERS) and not actor.is_staff
    return {
        "comments": {
            "reference": reference,
            "nodes": found["nodes"],
            "count": found["totalCount"],
            "older": found["pageInfo"]["endCursor"] if found["pageInfo"]["hasNextPage"] else None,
            "newest": after is None,
            "form": form or CommentForm(formdata=None),
            "reply_form": reply_form,
            "reply_to": reply_to,
            "signed_in": current_user.is_authenticated,
            "may_comment": may_comment,
            "may_reply": may_comment or actor.is_staff,
            "is_staff": actor.is_staff,
            "locale": str(get_locale() or "en"),
            "right_to_left": RIGHT_TO_LEFT,
            "sign_in_url": url_for("accounts.sign_in", next=change_url(reference)),
        }
    }


def _comment_page(reference: str, status: int, **part: Any) -> Any:
    """The change's comments on a page of their own: where a form that failed is shown again, words kept."""
    title, title_locale = _title(reference)
    values = change_page_part({"reference": reference}, **part)
    page = render_template(
        "cocreation/changes/comments_page.html",
        title=title,
        title_locale=title_locale,
        change_url=change_url(reference),
        own_page=url_for("cocreation.change_comments", reference=reference),
        language_return=url_for("cocreation.change_comments", reference=reference),
        **values,
    )
    return page, status


@bp.route("/changes/<reference>/comments")
def change_comments(reference: str) -> Any:
    """A change's comments on a page of their own, with the comment form (a change not published is a 404)."""
    return _comment_page(reference[:40], 200)


@bp.route("/changes/<reference>/comments", methods=["POST"])
@roles_required(*COMMENTERS)
def post_comment(reference: str) -> Any:
    """Comment on a change: published at once, or held for a moderator when it may hold personal details."""
    reference = reference[:40]
    _title(reference)
    form = CommentForm()
    if not form.validate_on_submit():
        return _comment_page(reference, 400, form=form)
    values = {"reference": reference, "body": form.body.data, "locale": str(get_locale() or "en")}
    result = operations.run_mutation("ResidentChangeCommentPost", {"input": values})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem)
        return _comment_page(reference, result.status, form=form)
    if result.data["changeComment"]["status"] == "held":
        flash(_("Thank you. Your comment is waiting for a moderator, because it may hold personal details."), "success")
    else:
        flash(_("Thank you. Your comment is published."), "success")
    return redirect(change_url(reference))


def _comment_or_404(comment_id: int) -> dict[str, Any]:
    found = operations.run("ResidentChangeCommentOf", {"id": str(comment_id)})["changeComment"]
    if found is None:
        abort(404)
    return found


@bp.route("/comments/<int:comment_id>/reply", methods=["POST"])
@roles_required(*SIGNED_IN)
def reply_comment(comment_id: int) -> Any:
    """Reply to a comment, one level deep; staff reply for the landlord."""
    comment = _comment_or_404(comment_id)
    reference = comment["changeReference"]
    form = ReplyForm()
    if not form.validate_on_submit():
        return _comment_page(reference, 400, reply_form=form, reply_to=str(comment_id))
    values = {"commentId": str(comment_id), "body": form.body.data, "locale": str(get_locale() or "en")}
    result = operations.run_mutation("ResidentChangeCommentReply", {"input": values})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem, {"commentId": "body"})
        return _comment_page(reference, result.status, reply_form=form, reply_to=str(comment_id))
    if result.data["changeComment"]["status"] == "held":
        flash(_("Thank you. Your reply is waiting for a moderator, because it may hold personal details."), "success")
    else:
        flash(_("Your reply is published."), "success")
    return redirect(change_url(reference))


@bp.route("/comments/<int:comment_id>/report", methods=["POST"])
@roles_required(*SIGNED_IN)
def report_comment(comment_id: int) -> Any:
    """Report a comment as unsuitable: once per person, never your own."""
    comment = _comment_or_404(comment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ResidentChangeCommentReport", {"input": {"commentId": str(comment_id)}})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        flash(result.problem.get("message") or _("That could not be done."), "error")
    elif result.data["whyNot"] == "own":
        flash(_("This is your own comment, so you can't report it. You can delete it instead."), "info")
    elif result.data["whyNot"] == "already":
        flash(_("You have already reported this comment. A report counts once."), "info")
    else:
        flash(_("Thank you. A moderator will look at the comment you reported."), "success")
    return redirect(change_url(comment["changeReference"]))


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@roles_required(*SIGNED_IN)
def delete_comment(comment_id: int) -> Any:
    """Delete your own comment, with any replies to it."""
    comment = _comment_or_404(comment_id)
    if not comment["mine"]:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ResidentChangeCommentDelete", {"input": {"commentId": str(comment_id)}})
    if result.problem is not None:
        abort(404 if result.problem.get("__typename") == "NotFoundError" else result.status)
    flash(_("Your comment is deleted."), "success")
    return redirect(change_url(comment["changeReference"]))
