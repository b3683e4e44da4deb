"""Console pages for scrutiny reviews: a review's page (scope, questions, timeline, meetings, interviews,
conclusion, and the places other parts of the panel's work add to), and the forms that start, change, move and
conclude a review, manage the work programme, and set up the follow-up review."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.panels.reviews import MOVES
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, IsoDate, choices, limit
from portal.console.panels.panels import (
    DATE,
    KINDS,
    LABELS,
    SOURCES,
    STATUSES,
    form_page,
    get_panel,
    panel_choices,
    submit,
)
from portal.forms import show_problem


def get_review(review_id: int) -> dict[str, Any]:
    review = operations.run("ConsoleScrutinyReview", {"id": str(review_id)})["scrutinyReview"]
    if review is None:
        abort(404)
    return review


def theme_options(themes: list[dict[str, Any]], figures: bool = False) -> list[SelectChoice]:
    """The themes in use, highest priority first; with ``figures``, each with its priority, votes and upheld
    complaints, so a topic for the work programme is chosen from themes, votes and trends."""

    def label(theme: dict[str, Any]) -> str:
        if not figures:
            return str(theme["name"])
        return _(
            "%(name)s (priority %(score)s, %(votes)s votes, %(upheld)s upheld complaints)",
            name=theme["name"],
            score=round(theme["priorityScore"], 1),
            votes=theme["votes"],
            upheld=theme["upheldComplaintCount"],
        )

    return [BLANK, *(SelectChoice(t["id"], label(t)) for t in themes)]


@bp.route("/panels/reviews/<int:review_id>")
@roles_required(*STAFF)
def scrutiny_review(review_id: int) -> Any:
    """A review: topic, scope, questions, timeline, meetings, staff interviewed, conclusion and follow-up."""
    review = get_review(review_id)
    moves = sorted(MOVES.get(review["status"], ()), key=list(STATUSES).index)
    return render_template("console/panels/review.html", review=review, labels=LABELS, moves=moves)


class ReviewForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[DataRequired(_l("Give the topic.")), limit(200)])
    kind = RadioField(_l("What it reviews"), choices=choices(KINDS), default="service")
    scope = TextAreaField(
        _l("Scope"), description=_l("What is in and out of scope."), validators=[Optional(), limit(10_000)]
    )
    questions = TextAreaField(
        _l("Questions"), description=_l("The questions it sets out to answer."), validators=[Optional(), limit(10_000)]
    )
    starts_on = StringField(_l("Start (optional)"), validators=[Optional(), IsoDate()], render_kw=DATE)
    ends_on = StringField(_l("Planned report (optional)"), validators=[Optional(), IsoDate()], render_kw=DATE)
    theme = SelectField(_l("Theme it came from (optional)"), validators=[Optional()])


def _review_values(form: ReviewForm) -> dict[str, Any]:
    return {
        "topic": form.topic.data,
        "kind": form.kind.data,
        "scope": form.scope.data or "",
        "questions": form.questions.data or "",
        "startsOn": form.starts_on.data or None,
        "endsOn": form.ends_on.data or None,
        "themeId": form.theme.data or None,
    }


@bp.route("/panels/<int:panel_id>/reviews/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def scrutiny_review_new(panel_id: int) -> Any:
    """Start a review for the panel, from a topic of its work programme or afresh."""
    panel = get_panel(panel_id)
    form = ReviewForm()
    form.theme.choices = theme_options(panel_choices()["themes"])
    work_item = request.args.get("work_item", "")
    item = next((w for w in panel["workProgramme"] if str(w["id"]) == work_item and not w["review"]), None)
    status = 200
    if request.method == "GET":
        if item is not None:
            form.topic.data = item["topic"]
            form.theme.data = item["theme"]["id"] if item["theme"] else ""
    elif form.validate_on_submit():
        variables = {"panelId": str(panel_id), **_review_values(form)}
        if item is not None:
            variables["workItemId"] = str(item["id"])
        result = operations.run_mutation("ConsoleScrutinyReviewCreate", {"input": variables})
        if result.problem is None:
            flash(_("The review is started."), "success")
            return redirect(url_for("console.scrutiny_review", review_id=result.data["scrutinyReview"]["id"]))
        show_problem(form, result.problem, {"themeId": "theme"})
        status = result.status
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Start a review"), _("Start the review"), back, (panel["name"],)), status


@bp.route("/panels/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def scrutiny_review_edit(review_id: int) -> Any:
    """Change a review's topic, scope, questions, timeline or theme."""
    review = get_review(review_id)
    form = ReviewForm()
    form.theme.choices = theme_options(panel_choices()["themes"])
    status = 200
    if request.method == "GET":
        form.topic.data, form.kind.data = review["topic"], review["kind"]
        form.scope.data, form.questions.data = review["scope"], review["questions"]
        form.starts_on.data, form.ends_on.data = review["startsOn"] or "", review["endsOn"] or ""
        form.theme.data = review["theme"]["id"] if review["theme"] else ""
    elif form.validate_on_submit():
        variables = {"id": str(review_id), **_review_values(form)}
        status = submit(form, "ConsoleScrutinyReviewUpdate", variables, _("The review is saved."))
        if status is None:
            return redirect(url_for("console.scrutiny_review", review_id=review_id))
    else:
        status = 400
    back = (url_for("console.scrutiny_review", review_id=review_id), _("Back to the review"))
    return form_page(form, _("Change the review"), _("Save"), back, (review["reference"],)), status


@bp.route("/panels/reviews/<int:review_id>/move", methods=["POST"])
@roles_required(*STAFF)
def scrutiny_review_move(review_id: int) -> Any:
    """Move a review to the status chosen."""
    status = request.form.get("status", "")[:30]
    result = operations.run_mutation("ConsoleScrutinyReviewMove", {"input": {"id": str(review_id), "status": status}})
    flash_result(result, _("The review has moved on."))
    return redirect(url_for("console.scrutiny_review", review_id=review_id))


def flash_result(result: Any, done: str) -> None:
    if result.problem is None:
        flash(done, "success")
    elif result.problem.get("__typename") == "NotFoundError":
        abort(404)
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")


class ConclusionForm(FlaskForm):
    conclusion = TextAreaField(
        _l("The panel's conclusion"), validators=[Optional(), limit(10_000)], render_kw={"rows": 8}
    )


@bp.route("/panels/reviews/<int:review_id>/conclusion", methods=["GET", "POST"])
@roles_required(*STAFF)
def scrutiny_review_conclusion(review_id: int) -> Any:
    """Record the panel's conclusion of the review."""
    review = get_review(review_id)
    form = ConclusionForm()
    status = 200
    if request.method == "GET":
        form.conclusion.data = review["conclusion"]
    elif form.validate_on_submit():
        variables = {"id": str(review_id), "conclusion": form.conclusion.data or ""}
        status = submit(form, "ConsoleScrutinyReviewConclude", variables, _("The conclusion is saved."))
        if status is None:
            return redirect(url_for("console.scrutiny_review", review_id=review_id))
    else:
        status = 400
    back = (url_for("console.scrutiny_review", review_id=review_id), _("Back to the review"))
    return form_page(form, _("Record the conclusion"), _("Save"), back, (review["reference"],)), status


@bp.route("/panels/reviews/<int:review_id>/follow-up-due", methods=["POST"])
@roles_required(*STAFF)
def scrutiny_review_follow_up_due(review_id: int) -> Any:
    """Set when the follow-up review is due, and put it on the work programme."""
    result = operations.run_mutation("ConsoleScrutinyReviewFollowUpDueSet", {"input": {"id": str(review_id)}})
    flash_result(result, _("The follow-up is due on the date shown, and is on the work programme."))
    return redirect(url_for("console.scrutiny_review", review_id=review_id))


@bp.route("/panels/reviews/<int:review_id>/follow-up", methods=["POST"])
@roles_required(*STAFF)
def scrutiny_review_follow_up_start(review_id: int) -> Any:
    """Start the follow-up review."""
    result = operations.run_mutation("ConsoleScrutinyReviewFollowUpStart", {"input": {"id": str(review_id)}})
    if result.problem is None:
        flash(_("The follow-up review is started."), "success")
        return redirect(url_for("console.scrutiny_review", review_id=result.data["scrutinyReview"]["id"]))
    flash_result(result, "")
    return redirect(url_for("console.scrutiny_review", review_id=review_id))


class WorkItemForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[DataRequired(_l("Give the topic.")), limit(200)])
    source = RadioField(_l("Where it came from"), choices=choices(SOURCES), default="panel")
    theme = SelectField(_l("Theme (for a theme's topic)"), validators=[Optional()])
    note = TextAreaField(_l("Why it is on the programme (optional)"), validators=[Optional(), limit(10_000)])
    planned_for = StringField(_l("Planned to start (optional)"), validators=[Optional(), IsoDate()], render_kw=DATE)


@bp.route("/panels/<int:panel_id>/work-programme/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def work_programme_item_new(panel_id: int) -> Any:
    """Put a topic on the panel's work programme, chosen from themes, votes and trends."""
    panel = get_panel(panel_id)
    form = WorkItemForm()
    form.theme.choices = theme_options(panel_choices()["themes"], figures=True)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "panelId": str(panel_id),
                "topic": form.topic.data,
                "source": form.source.data,
                "themeId": form.theme.data or None,
                "note": form.note.data or "",
                "plannedFor": form.planned_for.data or None,
            }
            result = operations.run_mutation("ConsoleWorkProgrammeItemAdd", {"input": variables})
            if result.problem is None:
                flash(_("The topic is on the work programme."), "success")
                return redirect(url_for("console.panel", panel_id=panel_id, _anchor="work-programme"))
            show_problem(form, result.problem, {"themeId": "theme"})
            status = result.status
        else:
            status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Add a topic to the work programme"), _("Add the topic"), back, (panel["name"],)), status


@bp.route("/panels/<int:panel_id>/work-programme/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def work_programme_item_edit(panel_id: int, item_id: int) -> Any:
    """Change a topic of the work programme."""
    panel = get_panel(panel_id)
    item = next((w for w in panel["workProgramme"] if str(w["id"]) == str(item_id)), None)
    if item is None:
        abort(404)
    form = WorkItemForm()
    form.theme.choices = theme_options(panel_choices()["themes"], figures=True)
    status = 200
    if request.method == "GET":
        form.topic.data, form.source.data, form.note.data = item["topic"], item["source"], item["note"]
        form.theme.data = item["theme"]["id"] if item["theme"] else ""
        form.planned_for.data = item["plannedFor"] or ""
    elif form.validate_on_submit():
        variables = {
            "id": str(item_id),
            "topic": form.topic.data,
            "source": form.source.data,
            "themeId": form.theme.data or None,
            "note": form.note.data or "",
            "plannedFor": form.planned_for.data or None,
        }
        result = operations.run_mutation("ConsoleWorkProgrammeItemUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The topic is saved."), "success")
            return redirect(url_for("console.panel", panel_id=panel_id, _anchor="work-programme"))
        show_problem(form, result.problem, {"themeId": "theme"})
        status = result.status
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Change a topic"), _("Save"), back, (panel["name"],)), status


@bp.route("/panels/<int:panel_id>/work-programme/<int:item_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def work_programme_item_remove(panel_id: int, item_id: int) -> Any:
    """Take a topic off the work programme."""
    result = operations.run_mutation("ConsoleWorkProgrammeItemRemove", {"input": {"id": str(item_id)}})
    flash_result(result, _("The topic is off the work programme."))
    return redirect(url_for("console.panel", panel_id=panel_id, _anchor="work-programme"))
