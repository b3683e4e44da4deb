"""Console pages for hazards: the queue, one hazard, and each action on its own page (flag, dismiss a suggestion,
record what was done, close). Flagging and closing can't be undone, so each asks for a confirmation first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.timeutil import LOCAL_ZONE
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import choices, limit, parse_date
from portal.forms import show_problem

KINDS = {
    "damp_mould": _l("Damp and mould"),
    "disrepair": _l("Disrepair"),
    "gas_electrical": _l("Gas or electrical safety"),
    "serious_harm": _l("Risk of serious harm"),
}
SEVERITIES = {
    "emergency": _l("Emergency: an imminent risk. Investigate and make safe within 24 hours."),
    "significant": _l(
        "Significant: investigate within 10 working days, summary within 3 working days of that, "
        "home made safe within 5 working days of the investigation."
    ),
}
SEVERITY_NAMES = {"emergency": _l("Emergency"), "significant": _l("Significant")}
STATUSES = {"open": _l("Open"), "closed": _l("Closed")}
CLOCKS = {
    "investigate": _l("Investigate"),
    "make_safe": _l("Make safe"),
    "summary": _l("Written summary to the resident"),
    "start_work": _l("Safety work done"),
}
CLOCK_STATUSES = {"running": _l("Running"), "met": _l("Done"), "stopped": _l("Stopped")}
# The input paths that the record form shows under another name.
RECORD_FIELDS = {
    "investigationConcludedAt": "concluded_date",
    "summarySentAt": "summary_date",
    "workStartedAt": "work_date",
    "madeSafeAt": "safe_date",
}


class FlagForm(FlaskForm):
    kind = RadioField(_l("Kind of hazard"), choices=choices(KINDS), validators=[DataRequired(_l("Choose the kind."))])
    severity = RadioField(
        _l("How urgent is it?"),
        choices=choices(SEVERITIES),
        validators=[DataRequired(_l("Choose whether it is an emergency or a significant hazard."))],
    )
    description = TextAreaField(_l("Where it is and what we know (optional)"), validators=[Optional(), limit(2000)])
    keywords = HiddenField()
    confirmed = HiddenField()


class DismissForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this not a hazard?"),
        description=_l("For example: the resident describes a mould-coloured carpet, not mould."),
        validators=[DataRequired(_l("Say why this is not a hazard.")), limit(2000)],
    )


class RecordForm(FlaskForm):
    concluded_date = StringField(_l("Investigation concluded: date"), validators=[Optional()])
    concluded_time = StringField(_l("Investigation concluded: time (UK, 24-hour clock)"), validators=[Optional()])
    findings = TextAreaField(
        _l("What the investigation found"),
        description=_l("Needed with the investigation's conclusion."),
        validators=[Optional(), limit(10_000)],
    )
    summary_date = StringField(_l("Written summary sent to the resident: date"), validators=[Optional()])
    summary_time = StringField(_l("Written summary sent: time"), validators=[Optional()])
    work_date = StringField(_l("Safety work started: date"), validators=[Optional()])
    work_time = StringField(_l("Safety work started: time"), validators=[Optional()])
    safe_date = StringField(_l("Made safe: date"), validators=[Optional()])
    safe_time = StringField(_l("Made safe: time"), validators=[Optional()])


class CloseForm(FlaskForm):
    note = TextAreaField(
        _l("Why can it be closed?"),
        description=_l("For example: the leak is fixed, the wall treated and the resident is happy with the work."),
        validators=[limit(2000)],
    )
    confirmed = HiddenField()


def labels() -> dict[str, Any]:
    return {
        "kinds": KINDS,
        "severities": SEVERITY_NAMES,
        "statuses": STATUSES,
        "clocks": CLOCKS,
        "clock_statuses": CLOCK_STATUSES,
    }


def load_hazard(hazard_id: int) -> dict[str, Any]:
    hazard = operations.run("ConsoleHazard", {"id": str(hazard_id)})["hazard"]
    if hazard is None:
        abort(404)
    return hazard


@bp.route("/hazards")
@roles_required(*STAFF)
def hazards() -> Any:
    """The hazards queue: open ones first due first, or the closed ones."""
    status = request.args.get("status") or "open"
    if status not in STATUSES:
        status = "open"
    data = operations.run_page(
        "ConsoleHazards", {"where": {"status": {"eq": status}}, "after": request.args.get("after") or None}
    )
    return render_template(
        "console/complaints/hazards.html",
        page=data["hazards"],
        open_count=sum(group["count"] for group in data["open"]),
        status=status,
        labels=labels(),
    )


@bp.route("/hazards/<int:hazard_id>")
@roles_required(*STAFF)
def hazard(hazard_id: int) -> Any:
    return render_template("console/complaints/hazard.html", hazard=load_hazard(hazard_id), labels=labels())


def _contact_for_flag(contact_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleHazardContact", {"id": str(contact_id)})
    if data["contact"] is None:
        abort(404)
    return data


@bp.route("/contacts/<int:contact_id>/hazards/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def hazard_flag(contact_id: int) -> Any:
    """Flag a hazard: from a suggestion staff confirm (``?kind=``), or on their own judgement."""
    data = _contact_for_flag(contact_id)
    form = FlagForm()
    if request.method == "GET":
        suggested = {s["kind"]: s["words"] for s in data["hazardSuggestions"]}
        kind = request.args.get("kind")
        if kind in suggested:
            form.kind.data = kind
            form.keywords.data = ",".join(suggested[kind])
        return _flag_page(data, form)
    if not form.validate_on_submit():
        form.confirmed.data = ""
        return _flag_page(data, form, status=400)
    if form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        return _flag_page(data, form, confirming=True)
    variables = {
        "contactId": str(contact_id),
        "kind": form.kind.data,
        "severity": form.severity.data,
        "description": form.description.data or "",
        "keywords": [w for w in (form.keywords.data or "").split(",") if w][:20],
    }
    result = operations.run_mutation("ConsoleHazardFlag", {"input": variables})
    if result.problem is None:
        if result.data["hazard"]["escalatedTo"]:
            flash(
                _("The hazard is flagged. The senior lead has been told, and the resident will get a letter."),
                "success",
            )
        else:  # nobody holds the role today: every manager was told instead
            flash(
                _(
                    "The hazard is flagged. Nobody holds the senior lead role, so every manager has been told, "
                    "and the resident will get a letter."
                ),
                "success",
            )
        return redirect(url_for("console.hazard", hazard_id=result.data["hazard"]["id"]))
    form.confirmed.data = ""
    show_problem(form, result.problem)
    return _flag_page(data, form, status=result.status)


def _flag_page(data: dict[str, Any], form: FlagForm, confirming: bool = False, status: int = 200) -> Any:
    return render_template(
        "console/complaints/hazard_flag.html",
        contact=data["contact"],
        suggestions=data["hazardSuggestions"],
        flagged=data["hazards"]["nodes"],
        form=form,
        confirming=confirming,
        labels=labels(),
        severity_text=SEVERITIES,
    ), status


@bp.route("/contacts/<int:contact_id>/hazards/dismiss", methods=["GET", "POST"])
@roles_required(*STAFF)
def hazard_dismiss(contact_id: int) -> Any:
    """Say that a hazard the resident's words suggest is not one."""
    data = _contact_for_flag(contact_id)
    kind = request.values.get("kind") or ""
    suggestion = next((s for s in data["hazardSuggestions"] if s["kind"] == kind), None)
    if suggestion is None:
        abort(404)
    form = DismissForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"contactId": str(contact_id), "kind": kind, "reason": form.reason.data}
            result = operations.run_mutation("ConsoleHazardSuggestionDismiss", {"input": variables})
            if result.problem is None:
                flash(_("The suggestion is dismissed. It will not be suggested again."), "success")
                return redirect(url_for("console.contact", contact_id=contact_id))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    return render_template(
        "console/complaints/hazard_dismiss.html",
        contact=data["contact"],
        suggestion=suggestion,
        form=form,
        labels=labels(),
    ), status


def _moments(form: RecordForm) -> dict[str, tuple[Any, Any]]:
    """The record form's date and time fields for each moment the API takes."""
    return {
        "investigationConcludedAt": (form.concluded_date, form.concluded_time),
        "summarySentAt": (form.summary_date, form.summary_time),
        "workStartedAt": (form.work_date, form.work_time),
        "madeSafeAt": (form.safe_date, form.safe_time),
    }


def _moment(day_field: Any, time_field: Any) -> str | None:
    """The UK date and time typed, as ISO text with its UK offset; None when both are empty or one is wrong."""
    typed_day, typed_time = (day_field.data or "").strip(), (time_field.data or "").strip()
    if not typed_day and not typed_time:
        return None
    day = parse_date(typed_day)
    if day is None:
        day_field.errors.append(_("Enter a real date, for example 2026-03-02."))
        return None
    try:
        time = dt.time.fromisoformat(typed_time or "00:00")
    except ValueError:
        time_field.errors.append(_("Enter a time on the 24-hour clock, for example 14:05."))
        return None
    return dt.datetime.combine(day, time, tzinfo=LOCAL_ZONE).isoformat()


@bp.route("/hazards/<int:hazard_id>/record", methods=["GET", "POST"])
@roles_required(*STAFF)
def hazard_record(hazard_id: int) -> Any:
    """Record the investigation, the written summary, the start of the work or the made-safe date."""
    found = load_hazard(hazard_id)
    form = RecordForm()
    status = 200
    if request.method == "POST":
        valid = form.validate_on_submit()
        moments = {name: _moment(*fields) for name, fields in _moments(form).items()}
        typed_wrong = any(f.errors for f in form)
        if valid and not typed_wrong:
            variables: dict[str, Any] = {"id": str(hazard_id), **{k: v for k, v in moments.items() if v}}
            if form.findings.data:
                variables["findings"] = form.findings.data
            result = operations.run_mutation("ConsoleHazardRecord", {"input": variables})
            if result.problem is None:
                flash(_("Recorded."), "success")
                return redirect(url_for("console.hazard", hazard_id=hazard_id))
            show_problem(form, result.problem, RECORD_FIELDS)
            status = result.status
        else:
            status = 400
    return render_template("console/complaints/hazard_record.html", hazard=found, form=form, labels=labels()), status


def _closable(found: dict[str, Any], note: str) -> bool:
    """Whether closing looks complete, so worth confirming; if not, the API's refusal names every missing part."""
    summary_done = found["severity"] != "significant" or found["summarySentAt"]
    return bool(found["madeSafeAt"] and found["investigationConcludedAt"] and summary_done and note.strip())


@bp.route("/hazards/<int:hazard_id>/close", methods=["GET", "POST"])
@roles_required(*STAFF)
def hazard_close(hazard_id: int) -> Any:
    """Close a hazard once it was made safe; asks for a confirmation, as closing can't be undone."""
    found = load_hazard(hazard_id)
    form = CloseForm()
    status, confirming = 200, False
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        elif form.confirmed.data != "yes" and _closable(found, form.note.data or ""):
            form.confirmed.data, confirming = "yes", True
        else:
            result = operations.run_mutation(
                "ConsoleHazardClose", {"input": {"id": str(hazard_id), "note": form.note.data or ""}}
            )
            if result.problem is None:
                flash(_("The hazard is closed."), "success")
                return redirect(url_for("console.hazard", hazard_id=hazard_id))
            form.confirmed.data = ""
            show_problem(form, result.problem)  # an incomplete hazard's message names every missing part
            status = result.status
    return render_template(
        "console/complaints/hazard_close.html", hazard=found, form=form, confirming=confirming, labels=labels()
    ), status


@bp.app_template_global()
def hazard_suggestions(contact_id: Any) -> list[dict[str, Any]]:
    """The hazards a contact's words suggest, for the notice on the contact page (staff see them; others none)."""
    return operations.run("ConsoleHazardContact", {"id": str(contact_id)})["hazardSuggestions"]


@bp.app_template_global()
def hazard_kind_label(kind: str) -> Any:
    """A kind of hazard in the viewer's language."""
    return KINDS.get(kind, kind)
