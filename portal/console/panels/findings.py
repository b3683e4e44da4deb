"""Console pages for lesson review, findings and responses: the panel's questions to answer, a review's findings
with accuracy comments, the landlord's response to each recommendation and its approval, and publication.

Staff never edit the panel's draft: they comment on its factual accuracy, and the panel decides.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.panels import publication
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import choices, limit
from portal.forms import show_problem
from portal.panel.findings import signed_by_texts
from portal.scrutiny_labels import BODIES, DECISIONS, RATINGS, REDACTED_HINT, labels
from portal.security import current_actor

MANAGERS = ("manager", "admin")


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Answer"), description=REDACTED_HINT, validators=[DataRequired(_l("Write the answer.")), limit(10_000)]
    )


@bp.route("/panels/questions")
@roles_required(*STAFF)
def panel_questions() -> Any:
    """The panel members' questions waiting for an answer."""
    found = operations.run("ConsolePanelQuestions")["panelQuestions"]["nodes"]
    return render_template("console/panels/questions.html", questions=found, form=AnswerForm(formdata=None))


@bp.route("/panels/questions/<int:question_id>/answer", methods=["POST"])
@roles_required(*STAFF)
def panel_question_answer(question_id: int) -> Any:
    """Answer a member's question; the member is told."""
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Write the answer."), "error")
        return redirect(url_for("console.panel_questions"))
    result = operations.run_mutation(
        "ConsolePanelQuestionAnswer", {"input": {"id": str(question_id), "answer": form.answer.data}}
    )
    if result.problem is None:
        flash(_("The answer is sent to the member."), "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_questions"))


class CommentForm(FlaskForm):
    passage = StringField(_l("The words of the draft it is about"), validators=[limit(2_000)])
    comment = TextAreaField(
        _l("What is not accurate, and why"),
        description=REDACTED_HINT,
        validators=[DataRequired(_l("Write the comment.")), limit(5_000)],
    )


class RespondForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), choices=choices(DECISIONS), validators=[DataRequired(_l("Choose a decision."))]
    )
    reason = TextAreaField(_l("Reason"), description=REDACTED_HINT, validators=[limit(10_000)])
    owner_id = SelectField(_l("Who owns the actions"), choices=[], validate_choice=False)
    due_on = DateField(_l("When the actions are due"), validators=[Optional()])


class ApproveForm(FlaskForm):
    approved_on = DateField(_l("Approved on"), validators=[DataRequired(_l("Give the date it was approved."))])
    note = StringField(_l("Minute or decision reference"), validators=[limit(2_000)])


class SummaryForm(FlaskForm):
    summary = TextAreaField(
        _l("Public summary"),
        description=_l("Shown on the public page. Names and contact details are taken out as it is saved."),
        validators=[DataRequired(_l("Write the summary for the public page.")), limit(5_000)],
    )


def _owners() -> list[Any]:
    people = operations.run("ConsoleActionOwners")["people"]["nodes"]
    return choices({"": _("Choose a member of staff"), **{person["id"]: person["displayName"] for person in people}})


def _review_page(review_id: int, status: int = 200, **forms: Any) -> Any:
    found = operations.run("ConsoleReviewFindings", {"reviewId": str(review_id)})
    versions = found["findingsVersions"]["nodes"]
    respond = forms.get("respond") or RespondForm(formdata=None)
    respond.owner_id.choices = _owners()
    page = render_template(
        "console/panels/findings.html",
        review_id=review_id,
        versions=versions,
        latest=versions[0] if versions else None,
        recommendations=found["recommendations"]["nodes"],
        comment_form=forms.get("comment") or CommentForm(formdata=None),
        respond_form=respond,
        respond_id=str(forms["respond_id"]) if forms.get("respond_id") is not None else None,
        approve_form=ApproveForm(formdata=None),
        summary_form=forms.get("summary") or SummaryForm(formdata=None),
        saved_summary=publication.saved_summary(current_actor(), review_id),
        signed_by=signed_by_texts(versions, review_id),
        is_manager=current_actor().has_role(*MANAGERS),
        still_needed=publication.still_needed(review_id),
        drafted_summary=publication.drafted_by(review_id) == current_actor().user_id,
        labels=labels(),
    )
    return page, status


def _review_or_404(review_id: int) -> None:
    if operations.run("PanelFindingsReview", {"id": str(review_id)})["scrutinyReview"] is None:
        abort(404)


@bp.route("/panels/reviews/<int:review_id>/findings")
@roles_required(*STAFF)
def panel_review_findings(review_id: int) -> Any:
    """A review's findings: every version, accuracy comments, responses, approval and publication."""
    _review_or_404(review_id)
    return _review_page(review_id)


def _back(review_id: int, result: Any, done: str) -> Any:
    if result.problem is None:
        flash(done, "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_review_findings", review_id=review_id))


@bp.route("/panels/reviews/<int:review_id>/versions/<int:version_id>/comments", methods=["POST"])
@roles_required(*STAFF)
def panel_accuracy_comment(review_id: int, version_id: int) -> Any:
    """Comment on the factual accuracy of a draft version."""
    _review_or_404(review_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _review_page(review_id, 400, comment=form)
    values = {"versionId": str(version_id), "comment": form.comment.data, "passage": form.passage.data or ""}
    result = operations.run_mutation("ConsoleAccuracyCommentAdd", {"input": values})
    if result.problem is not None and result.about_values:
        show_problem(form, result.problem)
        return _review_page(review_id, result.status, comment=form)
    return _back(review_id, result, _("Your comment is with the panel, who decide whether to accept it."))


@bp.route("/panels/reviews/<int:review_id>/recommendations/<int:recommendation_id>/respond", methods=["POST"])
@roles_required(*MANAGERS)
def panel_recommendation_respond(review_id: int, recommendation_id: int) -> Any:
    """Respond to a recommendation: accepting needs an owner and a due date, and logs a lesson and an action."""
    _review_or_404(review_id)
    form = RespondForm()
    form.owner_id.choices = _owners()
    # The error summary links to this recommendation's fields, as the page names them.
    for name, prefix in (("decision", "decision"), ("reason", "reason"), ("owner_id", "owner"), ("due_on", "due")):
        form[name].id = f"{prefix}-{recommendation_id}"
    if not form.validate_on_submit():
        return _review_page(review_id, 400, respond=form, respond_id=recommendation_id)
    values = {
        "id": str(recommendation_id),
        "decision": form.decision.data,
        "reason": form.reason.data or "",
        "ownerId": form.owner_id.data or None,
        "dueOn": form.due_on.data.isoformat() if form.due_on.data else None,
    }
    result = operations.run_mutation("ConsoleRecommendationRespond", {"input": values})
    if result.problem is not None and result.about_values:
        show_problem(form, result.problem)
        return _review_page(review_id, result.status, respond=form, respond_id=recommendation_id)
    return _back(review_id, result, _("The response is recorded."))


@bp.route("/panels/reviews/<int:review_id>/recommendations/<int:recommendation_id>/approve", methods=["POST"])
@roles_required(*MANAGERS)
def panel_recommendation_approve(review_id: int, recommendation_id: int) -> Any:
    """Record the approval body's approval of a response, with its date."""
    _review_or_404(review_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        flash(_("Give the date it was approved."), "error")
        return redirect(url_for("console.panel_review_findings", review_id=review_id))
    values = {"id": str(recommendation_id), "approvedOn": form.approved_on.data.isoformat(), "note": form.note.data}
    result = operations.run_mutation("ConsoleRecommendationApprove", {"input": values})
    return _back(review_id, result, _("The approval is recorded."))


@bp.route("/panels/reviews/<int:review_id>/summary", methods=["POST"])
@roles_required(*STAFF)
def panel_report_summary(review_id: int) -> Any:
    """Draft the public summary of the report."""
    _review_or_404(review_id)
    form = SummaryForm()
    if not form.validate_on_submit():
        return _review_page(review_id, 400, summary=form)
    values = {"reviewId": str(review_id), "summary": form.summary.data}
    result = operations.run_mutation("ConsoleScrutinyReportSummaryDraft", {"input": values})
    return _back(review_id, result, _("The summary is saved. Another manager publishes it."))


@bp.route("/panels/reviews/<int:review_id>/publish", methods=["POST"])
@roles_required(*MANAGERS)
def panel_report_publish(review_id: int) -> Any:
    """Publish the report on the public page."""
    _review_or_404(review_id)
    result = operations.run_mutation("ConsoleScrutinyReportPublish", {"input": {"reviewId": str(review_id)}})
    return _back(review_id, result, _("The report is published."))


class ApprovalMeetingForm(FlaskForm):
    body = RadioField(_l("Body"), choices=choices(BODIES), validators=[DataRequired(_l("Choose the body."))])
    meets_on = DateField(_l("The day it meets"), validators=[DataRequired(_l("Give the date of the meeting."))])


@bp.route("/panels/approval-meetings", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_approval_meetings() -> Any:
    """The approval bodies' planned meetings, which response clocks allow for; managers add them."""
    form = ApprovalMeetingForm()
    status = 200
    if current_actor().has_role(*MANAGERS) and form.validate_on_submit():
        values = {"body": form.body.data, "meetsOn": form.meets_on.data.isoformat()}
        result = operations.run_mutation("ConsoleApprovalMeetingAdd", {"input": values})
        if result.problem is None:
            flash(_("The meeting is recorded."), "success")
            return redirect(url_for("console.panel_approval_meetings"))
        show_problem(form, result.problem)
        status = result.status
    elif form.is_submitted():
        status = 400
    found = operations.run("ConsoleApprovalMeetings")["approvalMeetings"]["nodes"]
    page = render_template(
        "console/panels/approval_meetings.html",
        form=form,
        meetings=found,
        is_manager=current_actor().has_role(*MANAGERS),
        labels=labels(),
    )
    return page, status


STAFF_CHANNELS = {"paper": _l("On paper"), "phone": _l("By phone"), "meeting": _l("At a meeting")}


class OnBehalfForm(FlaskForm):
    member_id = SelectField(_l("The member"), choices=[], validate_choice=False)
    channel = RadioField(
        _l("How they gave it"), choices=choices(STAFF_CHANNELS), validators=[DataRequired(_l("Choose how."))]
    )
    item_id = SelectField(_l("The lesson (for an annotation)"), choices=[], validate_choice=False)
    rating = SelectField(_l("Their rating of the lesson's actions"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Their words"), validators=[DataRequired(_l("Write what the member said.")), limit(5_000)])


def _on_behalf_form(review_id: int, form: OnBehalfForm | None = None) -> OnBehalfForm:
    form = form or OnBehalfForm(formdata=None)
    people = operations.run("ConsolePanelMemberPeople")["people"]["nodes"]
    form.member_id.choices = choices({"": _("Choose the member"), **{p["id"]: p["displayName"] for p in people}})
    found = operations.run("ConsoleReviewLessonItems", {"reviewId": str(review_id)})["packItems"]["nodes"]
    items = {item["id"]: item["title"] for item in found}
    form.item_id.choices = choices({"": _("None: it is a question to staff"), **items})
    form.rating.choices = choices({"": _("No rating"), **RATINGS})
    return form


@bp.route("/panels/reviews/<int:review_id>/on-behalf", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_on_behalf(review_id: int) -> Any:
    """Enter a member's question, or annotation of a lesson, given on paper, by phone or at a meeting."""
    _review_or_404(review_id)
    form = _on_behalf_form(review_id, OnBehalfForm() if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        common = {"memberId": form.member_id.data or None, "channel": form.channel.data}
        if form.item_id.data:
            values = {
                **common,
                "itemId": form.item_id.data,
                "comment": form.text.data,
                "rating": form.rating.data or None,
            }
            result = operations.run_mutation("PanelLessonAnnotationAdd", {"input": values})
        else:
            values = {**common, "reviewId": str(review_id), "text": form.text.data}
            result = operations.run_mutation("PanelQuestionAsk", {"input": values})
        if result.problem is None:
            flash(_("The member's words are recorded, with how they gave them."), "success")
            return redirect(url_for("console.panel_review_findings", review_id=review_id))
        show_problem(form, result.problem, {"comment": "text", "question": "text"})
        status = result.status
    elif request.method == "POST":
        status = 400
    page = render_template("console/panels/on_behalf.html", form=form, review_id=review_id)
    return page, status
