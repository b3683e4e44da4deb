"""Workspace pages for lesson review, findings and responses: annotate a lesson of the pack, ask staff questions
and read the answers, draft the findings (each save a new version, every version listed), accept or reject staff's
accuracy comments, sign off, and follow the landlord's responses and their progress, recording satisfaction.

A review or item outside the member's own pack is answered 404, as if it were not there.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.panels import findings, responses
from portal import operations
from portal.access import roles_required
from portal.console.complaints.forms import choices, limit
from portal.forms import show_problem
from portal.panel.blueprint import bp
from portal.scrutiny_labels import RATINGS, SATISFACTION, labels
from portal.security import current_actor
from schema.access import PANEL_ROLES

MEMBER = ("panel_member",)


def _review_or_404(review_id: int) -> None:
    """404 for a review the viewer may not see, as for one that is not there (the API answers both alike)."""
    if operations.run("PanelFindingsReview", {"id": str(review_id)})["scrutinyReview"] is None:
        abort(404)


class AnnotationForm(FlaskForm):
    comment = TextAreaField(_l("Your comment"), validators=[limit(5_000)])
    rating = RadioField(
        _l("Do the lesson's actions address its root cause?"),
        choices=choices(RATINGS),
        validators=[Optional()],
    )


@bp.route("/reviews/<int:review_id>/items/<int:item_id>/annotations", methods=["GET", "POST"])
@roles_required(*MEMBER)
def annotate_item(review_id: int, item_id: int) -> Any:
    """Annotate a lesson in the pack, and see the panel's annotations of it."""
    item = operations.run("PanelAnnotatedItem", {"id": str(item_id)})["packItem"]
    if item is None or item["reviewId"] != str(review_id) or item["kind"] != "lesson":
        abort(404)
    form = AnnotationForm()
    status = 200
    if form.validate_on_submit():
        values = {"itemId": str(item_id), "comment": form.comment.data or "", "rating": form.rating.data or None}
        result = operations.run_mutation("PanelLessonAnnotationAdd", {"input": values})
        if result.problem is None:
            flash(_("Your annotation is saved."), "success")
            return redirect(url_for("panel.annotate_item", review_id=review_id, item_id=item_id))
        show_problem(form, result.problem)
        status = result.status
    elif request.method == "POST":
        status = 400
    found = operations.run("PanelItemAnnotations", {"itemId": str(item_id)})["lessonAnnotations"]["nodes"]
    page = render_template(
        "panel/annotations.html", form=form, annotations=found, review_id=review_id, labels=labels(), item=item
    )
    return page, status


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Your question"), validators=[DataRequired(_l("Write your question.")), limit(2_000)])


@bp.route("/reviews/<int:review_id>/questions", methods=["GET", "POST"])
@roles_required(*PANEL_ROLES)
def review_questions(review_id: int) -> Any:
    """The panel's questions to staff about the review, with the answers; members ask here."""
    _review_or_404(review_id)
    form = QuestionForm()
    status = 200
    if form.validate_on_submit():
        result = operations.run_mutation(
            "PanelQuestionAsk", {"input": {"reviewId": str(review_id), "text": form.text.data}}
        )
        if result.problem is None:
            flash(_("Your question has gone to the panel's support staff."), "success")
            return redirect(url_for("panel.review_questions", review_id=review_id))
        show_problem(form, result.problem, {"question": "text"})
        status = result.status
    elif request.method == "POST":
        status = 400
    found = operations.run("PanelReviewQuestions", {"reviewId": str(review_id)})["panelQuestions"]["nodes"]
    page = render_template("panel/questions.html", form=form, questions=found, review_id=review_id, labels=labels())
    return page, status


class DraftForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[limit(5_000)])
    findings = TextAreaField(_l("Findings"), validators=[limit(50_000)])
    recommendations = TextAreaField(
        _l("Recommendations"),
        description=_l("One recommendation to a line. Each is answered by the landlord."),
        validators=[limit(62_000)],
    )


class DecideForm(FlaskForm):
    accept = RadioField(
        _l("The panel's decision"),
        choices=choices({"yes": _l("Accept it"), "no": _l("Reject it")}),
        validators=[DataRequired(_l("Choose to accept or reject it."))],
    )
    note = TextAreaField(_l("Why (needed to reject it)"), validators=[limit(2_000)])


class SignOffForm(FlaskForm):
    present = SelectMultipleField(_l("Members present"), choices=[], validate_choice=False)
    confirm = BooleanField(_l("The panel agrees this version is its report"), validators=[DataRequired()])


class SatisfactionForm(FlaskForm):
    satisfaction = RadioField(
        _l("Is the panel satisfied with what was done?"),
        choices=choices(SATISFACTION),
        validators=[DataRequired(_l("Choose whether the panel is satisfied."))],
    )
    note = StringField(_l("Why"), validators=[limit(2_000)])


def signed_by_texts(versions: list[dict[str, Any]], review_id: int) -> dict[str, str]:
    """Each signed version's "Signed off by Alex Morgan, chair." line, with the role word for the rule used."""
    roles = findings.signers(review_id)
    texts: dict[str, str] = {}
    for version in versions:
        if not version.get("signedOffAt"):
            continue
        role, present = roles.get(int(version["id"]), ("", 0))
        name = version.get("signedOffByName") or _("a member")
        if role == "quorum":
            texts[version["id"]] = ngettext(
                "Signed off by %(name)s, for a quorum of %(num)d member.",
                "Signed off by %(name)s, for a quorum of %(num)d members.",
                present,
                name=name,
            )
        elif role == "vice_chair":
            texts[version["id"]] = _("Signed off by %(name)s, vice-chair.", name=name)
        else:
            texts[version["id"]] = _("Signed off by %(name)s, chair.", name=name)
    return texts


def _findings_page(review_id: int, draft: DraftForm | None = None, status: int = 200) -> Any:
    found = operations.run("PanelReviewFindings", {"reviewId": str(review_id)})
    versions = found["findingsVersions"]["nodes"]
    latest = versions[0] if versions else None
    if draft is None:
        draft = DraftForm(formdata=None)
        if latest is not None:
            draft.summary.data = latest["summary"]
            draft.findings.data = latest["findings"]
            draft.recommendations.data = "\n".join(latest["recommendations"] or [])
    rule, may_sign, members = findings.sign_off_choices(current_actor(), review_id)
    sign_form = SignOffForm(formdata=None)
    sign_form.present.choices = choices({str(person): name for person, name in members})
    page = render_template(
        "panel/findings.html",
        review_id=review_id,
        versions=versions,
        latest=latest,
        recommendations=found["recommendations"]["nodes"],
        draft=draft,
        decide_form=DecideForm(formdata=None),
        sign_form=sign_form,
        satisfaction_form=SatisfactionForm(formdata=None),
        may_record_view=responses.may_record_view(current_actor(), review_id),
        signed_by=signed_by_texts(versions, review_id),
        rule=rule,
        may_sign=may_sign and latest is not None and not latest["signedOffAt"],
        may_draft=findings.drafting_open(review_id),
        labels=labels(),
    )
    return page, status


@bp.route("/reviews/<int:review_id>/findings", methods=["GET", "POST"])
@roles_required(*PANEL_ROLES)
def review_findings(review_id: int) -> Any:
    """The panel's findings: the draft to edit (each save a new version), every version, staff's accuracy
    comments, sign-off, and the landlord's responses with their progress."""
    _review_or_404(review_id)
    if request.method == "GET":
        return _findings_page(review_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return _findings_page(review_id, form, 400)
    lines = [line.strip() for line in (form.recommendations.data or "").splitlines() if line.strip()]
    values = {
        "reviewId": str(review_id),
        "summary": form.summary.data or "",
        "findings": form.findings.data or "",
        "recommendations": lines,
    }
    result = operations.run_mutation("PanelFindingsDraftSave", {"input": values})
    if result.problem is not None:
        show_problem(form, result.problem, {"recommendations[0]": "recommendations"})
        return _findings_page(review_id, form, result.status)
    flash(_("The draft is saved as a new version."), "success")
    return redirect(url_for("panel.review_findings", review_id=review_id))


def _after(review_id: int, result: Any, done: str) -> Any:
    if result.problem is None:
        flash(done, "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("panel.review_findings", review_id=review_id))


@bp.route("/reviews/<int:review_id>/findings/<int:version_id>/sign-off", methods=["POST"])
@roles_required(*PANEL_ROLES)
def sign_off_findings(review_id: int, version_id: int) -> Any:
    """Sign off the latest version, as the panel's rule says."""
    _review_or_404(review_id)
    form = SignOffForm()
    form.present.choices = choices({value: value for value in request.form.getlist("present")})
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm the panel agrees this version."), "error")
        return redirect(url_for("panel.review_findings", review_id=review_id))
    values = {"id": str(version_id), "present": list(form.present.data or [])[:50] or None}
    result = operations.run_mutation("PanelFindingsSignOff", {"input": values})
    return _after(review_id, result, _("The report is signed off. The landlord's response is now on the clock."))


@bp.route("/reviews/<int:review_id>/comments/<int:comment_id>/decide", methods=["POST"])
@roles_required(*PANEL_ROLES)
def decide_comment(review_id: int, comment_id: int) -> Any:
    """Accept or reject a staff comment on the accuracy of the draft."""
    _review_or_404(review_id)
    form = DecideForm()
    if not form.validate_on_submit():
        flash(_("Choose to accept or reject it."), "error")
        return redirect(url_for("panel.review_findings", review_id=review_id))
    values = {"id": str(comment_id), "accept": form.accept.data == "yes", "note": form.note.data or ""}
    result = operations.run_mutation("PanelAccuracyCommentDecide", {"input": values})
    return _after(review_id, result, _("The panel's decision is recorded."))


@bp.route("/reviews/<int:review_id>/recommendations/<int:recommendation_id>/satisfaction", methods=["POST"])
@roles_required(*PANEL_ROLES)
def record_satisfaction(review_id: int, recommendation_id: int) -> Any:
    """Record whether the panel is satisfied with what was done about a recommendation."""
    _review_or_404(review_id)
    form = SatisfactionForm()
    if not form.validate_on_submit():
        flash(_("Choose whether the panel is satisfied."), "error")
        return redirect(url_for("panel.review_findings", review_id=review_id))
    values = {"id": str(recommendation_id), "satisfaction": form.satisfaction.data, "note": form.note.data or ""}
    result = operations.run_mutation("PanelRecommendationSatisfactionRecord", {"input": values})
    return _after(review_id, result, _("The panel's view is recorded."))
