"""Self-assessments against the Complaint Handling Code in the console: the list, one assessment with every row in a
table per section (and the learning checklist with its score), its print view, PDF, CSV and XLSX, filling in a row,
approving, sending back to draft and publishing.

Staff read; managers and admins start, fill in, approve (not one they started), reopen and publish.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.self_assessment import MAX_LABEL, MAX_TEXT, MAX_URL
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, limit, parse_date
from portal.console.lessons.sharing import action_options
from portal.console.lessons.sharing import choices as sharing_choices
from portal.console.reports import output
from portal.console.reports.labels import (
    FIGURES,
    OBLIGATIONS,
    STATUSES,
    TRIGGERS,
    complies_text,
    figure_text,
    label,
)
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
#: How many links a row's form offers.
LINK_SLOTS = 3


@bp.app_template_global("self_assessment_labels")
def _labels() -> dict[str, Any]:
    return {
        "triggers": TRIGGERS,
        "statuses": STATUSES,
        "obligations": OBLIGATIONS,
        "figures": FIGURES,
        "label": label,
        "figure_text": figure_text,
        "complies_text": complies_text,
    }


def _assessment(assessment_id: int) -> dict[str, Any]:
    found = operations.run("ConsoleSelfAssessment", {"id": str(assessment_id)})["selfAssessment"]
    if found is None:
        abort(404)
    return found


def _status(assessment: dict[str, Any]) -> str:
    return str(assessment["status"]).lower()


# --- The list ------------------------------------------------------------------------------------------------------


@bp.route("/reports/self-assessment")
@roles_required(*STAFF)
def self_assessments() -> Any:
    """Every self-assessment, newest period first, with where it is and how far it is filled in."""
    rows = list(exports.pages("ConsoleSelfAssessments", {"first": 100}, "selfAssessments"))
    may_edit = current_actor().has_role(*MANAGERS)
    return render_template("console/reports/self_assessments.html", rows=rows, may_edit=may_edit)


class StartForm(FlaskForm):
    period = StringField(
        _l("Period"),
        description=_l(
            "A year from 1 April as 2025/26 (an annual self-assessment covers one), a quarter as 2025/26-Q1, a month "
            "as 2025-04, or days as 2025-04-01..2025-09-30."
        ),
        validators=[DataRequired(_l("Enter the period it covers.")), limit(40)],
    )
    trigger = RadioField(
        _l("Why it is made"),
        choices=[SelectChoice(code, text) for code, text in TRIGGERS.items()],
        validators=[InputRequired(_l("Choose why it is made."))],
    )
    context = TextAreaField(
        _l("What led to it"),
        description=_l(
            "The restructure, merger, change of procedure or the Ombudsman's request. Not needed for annual."
        ),
        validators=[Optional(), limit(MAX_TEXT)],
    )


@bp.route("/reports/self-assessment/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def self_assessment_new() -> Any:
    """Start a self-assessment: one row for every provision of the Code and learning item in use."""
    form = StartForm(data=None if request.method == "POST" else {"trigger": "annual"})
    if form.validate_on_submit():
        variables = {
            "period": form.period.data.strip(),
            "trigger": form.trigger.data,
            "context": form.context.data or "",
        }
        result = operations.run_mutation("ConsoleSelfAssessmentStart", {"input": variables})
        if result.problem is None:
            flash(_("The self-assessment is started. Fill in each row."), "success")
            made = result.data["selfAssessment"]["id"]
            return redirect(url_for("console.self_assessment", assessment_id=int(made)))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/reports/self_assessment_new.html", form=form), status


# --- One assessment ------------------------------------------------------------------------------------------------


def grouped(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Code's rows by section, in order, and the learning checklist's rows."""
    code = [i for i in items if str(i["checklist"]).lower() == "code"]
    learning = [i for i in items if str(i["checklist"]).lower() == "learning"]
    sections = [
        {"number": number, "title": rows[0]["sectionTitle"], "items": rows}
        for number, found in groupby(code, key=lambda i: i["section"])
        for rows in [list(found)]
    ]
    return sections, learning


@bp.route("/reports/self-assessment/<int:assessment_id>")
@roles_required(*STAFF)
def self_assessment(assessment_id: int) -> Any:
    """One self-assessment: where it is, the steps a manager may take, and every row by section."""
    assessment = _assessment(assessment_id)
    sections, learning = grouped(assessment["items"])
    actor = current_actor()
    status = _status(assessment)
    may_edit = actor.has_role(*MANAGERS) and status == "draft"
    drafted_by = (assessment["draftedBy"] or {}).get("id")
    return render_template(
        "console/reports/self_assessment.html",
        assessment=assessment,
        status=status,
        sections=sections,
        learning=learning,
        may_edit=may_edit,
        may_approve=may_edit and drafted_by != str(actor.user_id),
        may_publish=actor.has_role(*MANAGERS) and status == "approved",
    )


def _document(assessment_id: int) -> ReportDocument:
    found = operations.run("ConsoleSelfAssessmentDocument", {"id": str(assessment_id)})["selfAssessmentDocument"]
    if found is None:
        abort(404)
    return document_from_dict(found)


@bp.route("/reports/self-assessment/<int:assessment_id>/print")
@roles_required(*STAFF)
def self_assessment_print(assessment_id: int) -> Any:
    """The self-assessment alone, for printing: no navigation, and nobody's name."""
    back = url_for("console.self_assessment", assessment_id=assessment_id)
    return output.print_view(_document(assessment_id), back)


@bp.route("/reports/self-assessment/<int:assessment_id>.<any(pdf, csv, xlsx):fmt>")
@roles_required(*STAFF)
def self_assessment_file(assessment_id: int, fmt: str) -> Any:
    """The self-assessment as a PDF, or its figures and tables as CSV or XLSX."""
    back = url_for("console.self_assessment", assessment_id=assessment_id)
    return output.download("self-assessment", _document(assessment_id), fmt, back)


def item_form(row: dict[str, Any], actions: list[dict[str, Any]]) -> FlaskForm:
    """The form for one row: complies, evidence, explanation, an action and up to three links."""
    learning = str(row["checklist"]).lower() == "learning"

    class ItemForm(FlaskForm):
        complies = RadioField(
            _l("Does it meet this?") if learning else _l("Does the landlord comply?"),
            choices=[
                SelectChoice("yes", _l("Yes (scores 1)") if learning else _l("Yes")),
                SelectChoice("no", _l("No (scores 0)") if learning else _l("No")),
                SelectChoice("unknown", _l("Not assessed yet")),
            ],
            validators=[InputRequired(_l("Choose yes, no or not assessed yet."))],
        )
        evidence = TextAreaField(
            _l("Evidence"),
            description=_l("What shows it, beside the system's figure: policies, pages, records."),
            validators=[Optional(), limit(MAX_TEXT)],
        )
        explanation = TextAreaField(
            _l("Explanation"),
            description=_l(
                "Required when it does not comply: why, and by when it will (or how it is met another way)."
            ),
            validators=[Optional(), limit(MAX_TEXT)],
        )
        action = SelectField(_l("Improvement action"), validators=[Optional()])

    for slot in range(LINK_SLOTS):
        setattr(
            ItemForm,
            f"links_{slot}_label",
            StringField(_l("Link %(number)s: what it is", number=slot + 1), validators=[Optional(), limit(MAX_LABEL)]),
        )
        setattr(
            ItemForm,
            f"links_{slot}_url",
            StringField(
                _l("Link %(number)s: address", number=slot + 1),
                description=_l("https://… or a page of this site, /console/…"),
                validators=[Optional(), limit(MAX_URL)],
            ),
        )
    given: dict[str, Any] = {
        "complies": {True: "yes", False: "no", None: "unknown"}[row["complies"]],
        "evidence": row["evidence"],
        "explanation": row["explanation"],
        "action": (row["action"] or {}).get("id", ""),
    }
    for slot, link in enumerate(row["links"][:LINK_SLOTS]):
        given[f"links_{slot}_label"], given[f"links_{slot}_url"] = link["label"], link["url"]
    form = ItemForm(data=None if request.method == "POST" else given)
    form.action.choices = action_options(actions)
    return form


def _links_of(form: FlaskForm) -> list[dict[str, str]]:
    links = []
    for slot in range(LINK_SLOTS):
        text = (getattr(form, f"links_{slot}_label").data or "").strip()
        url = (getattr(form, f"links_{slot}_url").data or "").strip()
        if text or url:
            links.append({"label": text, "url": url})
    return links


@bp.route("/reports/self-assessment/<int:assessment_id>/items/<int:item_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def self_assessment_item(assessment_id: int, item_id: int) -> Any:
    """One row: what the Code requires, the system's figure, and (for managers, on a draft) the form to fill it in."""
    row = operations.run("ConsoleSelfAssessmentItem", {"id": str(item_id)})["selfAssessmentItem"]
    if row is None or int(row["assessment"]["id"]) != assessment_id:
        abort(404)
    may_edit = current_actor().has_role(*MANAGERS) and _status(row["assessment"]) == "draft"
    form = item_form(row, sharing_choices()["actions"] if may_edit else [])
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit():
            links = _links_of(form)
            variables = {
                "id": str(item_id),
                "complies": {"yes": True, "no": False}.get(form.complies.data),
                "evidence": form.evidence.data or "",
                "explanation": form.explanation.data or "",
                "actionId": form.action.data or None,
                "links": links,
            }
            result = operations.run_mutation("ConsoleSelfAssessmentItemUpdate", {"input": variables})
            if result.problem is None:
                flash(_("Row %(number)s is saved.", number=row["number"]), "success")
                return redirect(url_for("console.self_assessment", assessment_id=assessment_id) + f"#row-{item_id}")
            show_problem(form, result.problem, {"actionId": "action"})
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/reports/self_assessment_item.html",
        row=row,
        assessment=row["assessment"],
        form=form,
        may_edit=may_edit,
        link_slots=range(LINK_SLOTS),
    ), status


# --- Approve, reopen, publish --------------------------------------------------------------------------------------


class ConfirmForm(FlaskForm):
    pass


@bp.route("/reports/self-assessment/<int:assessment_id>/approve", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def self_assessment_approve(assessment_id: int) -> Any:
    """Approve a draft (not one you started): the system's figures are kept as they are now."""
    assessment = _assessment(assessment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleSelfAssessmentApprove", {"input": {"id": str(assessment_id)}})
        if result.problem is None:
            flash(_("The self-assessment is approved."), "success")
            return redirect(url_for("console.self_assessment", assessment_id=assessment_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/reports/self_assessment_approve.html", assessment=assessment, form=form), status


@bp.route("/reports/self-assessment/<int:assessment_id>/reopen", methods=["POST"])
@roles_required(*MANAGERS)
def self_assessment_reopen(assessment_id: int) -> Any:
    """Send an approved self-assessment back to draft."""
    form = ConfirmForm()
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleSelfAssessmentReopen", {"input": {"id": str(assessment_id)}})
        if result.problem is not None:
            flash(result.problem.get("message") or _("Check this value and try again."), "error")
        else:
            flash(_("The self-assessment is a draft again."), "success")
    return redirect(url_for("console.self_assessment", assessment_id=assessment_id))


class PublishForm(FlaskForm):
    governing_body_approved_on = StringField(
        _l("Day the governing body approved it"),
        description=_l("For example 2025-06-24. Publishing freezes the self-assessment: nothing can change it after."),
        validators=[DataRequired(_l("Enter the day the governing body approved it.")), IsoDate(not_future=True)],
    )


@bp.route("/reports/self-assessment/<int:assessment_id>/publish", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def self_assessment_publish(assessment_id: int) -> Any:
    """Publish an approved self-assessment with the day its governing body approved it."""
    assessment = _assessment(assessment_id)
    form = PublishForm()
    if form.validate_on_submit():
        day = parse_date(form.governing_body_approved_on.data)
        variables = {"id": str(assessment_id), "governingBodyApprovedOn": day.isoformat() if day else None}
        result = operations.run_mutation("ConsoleSelfAssessmentPublish", {"input": variables})
        if result.problem is None:
            flash(_("The self-assessment is published. It can no longer change."), "success")
            return redirect(url_for("console.self_assessment", assessment_id=assessment_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/reports/self_assessment_publish.html", assessment=assessment, form=form), status
