"""Console pages for a resident's reasonable adjustments and restrictions on contact: one page that lists them,
and one page for each action (ask, decide, review an adjustment; record, tell, review a restriction).

Each action's page shows its form on GET and does it on POST through the API, then goes back to where staff
came from (the complaint, when they came from one) with a message. The case and contact pages show what is in
force through ``safeguards_for``, so that staff see it before they get in touch with the resident.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from backend.context import STAFF_ROLES
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.cases import case_choices
from portal.console.complaints.forms import BLANK, choices, date_field, limit
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
MAX_TEXT = 5_000

RESTRICTION_KINDS = {
    "single_point_of_contact": _l("A single point of contact: all contact goes through one member of staff"),
    "written_only": _l("Contact in writing only (letter or email)"),
    "email_only": _l("Contact by email only"),
    "set_times": _l("Contact only at set times or on set days"),
    "accompanied_visits": _l("Visits and meetings only with two members of staff"),
    "other": _l("Another restriction (say what in the details)"),
}
ADJUSTMENT_STATUSES = {
    "requested": _l("Asked for, not decided yet"),
    "agreed": _l("Agreed"),
    "declined": _l("Declined"),
    "ended": _l("Ended"),
}
RESTRICTION_STATUSES = {"active": _l("In force"), "ended": _l("Ended")}
DECISIONS = {"agreed": _l("Agree it"), "declined": _l("Decline it")}
OUTCOMES = {"continue": _l("Keep it until the next review"), "end": _l("End it from today")}


class AdjustmentRequestForm(FlaskForm):
    adjustment = TextAreaField(
        _l("What adjustment is asked for"),
        description=_l("For example: large print letters, calls only after 2pm, an interpreter for Polish."),
        validators=[limit(MAX_TEXT)],
    )
    requested_by = StringField(
        _l("Who asked for it"),
        description=_l("For example: the resident, their advocate, their support worker."),
        validators=[limit(120)],
    )
    requested_on = date_field(_l("When it was asked for"), not_future=True)


class AdjustmentDecideForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=choices(DECISIONS), validate_choice=False)
    reasons = TextAreaField(
        _l("Reasons"), description=_l("Tell the resident these reasons."), validators=[limit(MAX_TEXT)]
    )
    review_due_on = date_field(
        _l("Review it by"), description=_l("Needed when you agree it. An agreed adjustment is kept under review.")
    )


class AdjustmentReviewForm(FlaskForm):
    outcome = RadioField(_l("Outcome of the review"), choices=choices(OUTCOMES), validate_choice=False)
    note = TextAreaField(_l("What the review found"), validators=[limit(MAX_TEXT)])
    next_review_on = date_field(_l("Next review by"), description=_l("Needed when you keep it."))


class RestrictionRecordForm(FlaskForm):
    behaviour = TextAreaField(
        _l("The behaviour that was unacceptable"),
        description=_l("Describe what happened, factually."),
        validators=[limit(MAX_TEXT)],
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l("Dates, call records, letters, who saw or heard it. A restriction needs evidence."),
        validators=[limit(MAX_TEXT)],
    )
    kind = RadioField(_l("Restriction"), choices=choices(RESTRICTION_KINDS), validate_choice=False)
    details = TextAreaField(
        _l("The restriction, as the resident is told it"),
        description=_l("What they may do, and how. Their complaints are still handled as usual."),
        validators=[limit(MAX_TEXT)],
    )
    point_of_contact = SelectField(_l("Single point of contact"), validate_choice=False)
    equality_consideration = TextAreaField(
        _l("How the Equality Act 2010 was considered"),
        description=_l(
            "Any disability or other needs, whether the behaviour is linked to them, and the adjustments kept."
        ),
        validators=[limit(MAX_TEXT)],
    )
    starts_on = date_field(_l("Starts on (optional)"), description=_l("Empty: today."))
    review_due_on = date_field(_l("Review it by"))
    resident_told_on = date_field(_l("When the resident was told (optional)"), not_future=True)
    resident_notice = TextAreaField(
        _l("The letter or notice that told them"),
        description=_l("Its text, or where it is kept. Needed with the date they were told."),
        validators=[limit(MAX_TEXT)],
    )


class RestrictionToldForm(FlaskForm):
    resident_told_on = date_field(_l("When the resident was told"), not_future=True)
    resident_notice = TextAreaField(
        _l("The letter or notice that told them"),
        description=_l("Its text, or where it is kept."),
        validators=[limit(MAX_TEXT)],
    )


class RestrictionReviewForm(FlaskForm):
    outcome = RadioField(_l("Outcome of the review"), choices=choices(OUTCOMES), validate_choice=False)
    review_outcome = TextAreaField(
        _l("What the review found, and why"),
        description=_l("For example whether the behaviour has stopped, and whether the restriction is still needed."),
        validators=[limit(MAX_TEXT)],
    )
    next_review_on = date_field(_l("Next review by"), description=_l("Needed when you keep it."))


# --- What the case and contact pages show ----------------------------------------------------------------------


def _wheres(contact_id: Any, resident_id: Any) -> dict[str, Any]:
    """Every record of the resident: those on their account, and those on this contact."""
    conditions: list[dict[str, Any]] = [{"contact": {"id": {"eq": str(contact_id)}}}]
    if resident_id:
        conditions.append({"resident": {"id": {"eq": str(resident_id)}}})
    return {"adjustments": {"or": conditions}, "restrictions": {"or": conditions}}


def safeguards_for(contact_id: Any, resident_id: Any = None) -> dict[str, Any]:
    """The resident's adjustments and restrictions, as the viewer may read them (nothing for non-staff)."""
    if not current_actor().has_role(*STAFF_ROLES) or not contact_id:
        return {"adjustments": [], "restrictions": []}
    data = operations.run("ConsoleSafeguards", _wheres(contact_id, resident_id))
    return {
        "adjustments": data["reasonableAdjustments"]["nodes"],
        "restrictions": data["contactRestrictions"]["nodes"],
    }


@bp.context_processor
def inject_safeguards() -> dict[str, Any]:
    return {
        "safeguards_for": safeguards_for,
        "restriction_kinds": RESTRICTION_KINDS,
        "adjustment_statuses": ADJUSTMENT_STATUSES,
        "restriction_statuses": RESTRICTION_STATUSES,
    }


# --- The list page ---------------------------------------------------------------------------------------------


def _contact(contact_id: int) -> dict[str, Any]:
    contact = operations.run("ConsoleSafeguardsContact", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    return contact


def _back(contact_id: int) -> str:
    """Where an action returns to: the complaint staff came from, else the contact's adjustments and restrictions."""
    complaint = request.args.get("complaint") or ""
    if complaint.isdigit():
        return url_for("console.complaint", complaint_id=int(complaint))
    return url_for("console.safeguards", contact_id=contact_id)


@bp.route("/contacts/<int:contact_id>/safeguards")
@roles_required(*STAFF)
def safeguards(contact_id: int) -> Any:
    """Everything recorded on how to deal with the resident: adjustments and restrictions, current and past."""
    contact = _contact(contact_id)
    found = safeguards_for(contact_id, (contact.get("resident") or {}).get("id"))
    return render_template(
        "console/complaints/safeguards.html",
        contact=contact,
        adjustments=found["adjustments"],
        restrictions=found["restrictions"],
        manager=current_actor().has_role(*MANAGERS),
        complaint_arg=request.args.get("complaint") or None,
    )


# --- The action pages ------------------------------------------------------------------------------------------


def _action(
    contact_id: int,
    form: FlaskForm,
    title: Any,
    operation: str,
    variables: Any,
    done: Any,
    record: dict[str, Any] | None = None,
    fields: dict[str, str] | None = None,
) -> Any:
    """Show an action's form, or (on a valid POST) run its mutation and go back with a message."""
    contact = _contact(contact_id)
    status = 200
    if request.method == "POST":
        valid = form.validate()
        if valid and _needs_confirming(form):
            return _render(contact, form, title, record, confirming=True), 200
        if valid:
            result = operations.run_mutation(operation, {"input": variables()})
            if result.problem is None:
                flash(str(done), "success")
                return redirect(_back(contact_id))
            show_problem(form, result.problem, fields)
            status = result.status
        else:
            status = 400
    return _render(contact, form, title, record), status


def _needs_confirming(form: FlaskForm) -> bool:
    """Ending an adjustment or a restriction can't be undone, so it is confirmed on a page of its own first."""
    outcome = getattr(form, "outcome", None)
    why = getattr(form, "note", None) or getattr(form, "review_outcome", None)
    # Without the reasons the API refuses it anyway: show that first rather than ask to confirm.
    said = why is not None and bool((why.data or "").strip())
    return outcome is not None and outcome.data == "end" and said and request.form.get("confirmed") != "yes"


def _render(
    contact: dict[str, Any], form: FlaskForm, title: Any, record: dict[str, Any] | None, confirming: bool = False
) -> str:
    return render_template(
        "console/complaints/safeguard_action.html",
        contact=contact,
        form=form,
        title=title,
        record=record,
        back=_back(contact["id"]),
        confirming=confirming,
    )


def _date(value: str | None) -> str | None:
    return (value or "").strip() or None


@bp.route("/contacts/<int:contact_id>/adjustments/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def adjustment_request(contact_id: int) -> Any:
    form = AdjustmentRequestForm()
    return _action(
        contact_id,
        form,
        _l("Record an adjustment someone asked for"),
        "ConsoleAdjustmentRequest",
        lambda: {
            "contactId": str(contact_id),
            "adjustment": form.adjustment.data or "",
            "requestedBy": form.requested_by.data or "",
            "requestedOn": _date(form.requested_on.data),
        },
        _l("The adjustment is recorded as asked for. Agree or decline it next."),
    )


def _theirs(row: dict[str, Any] | None, contact_id: int) -> dict[str, Any]:
    """The record, when it is one the contact's page lists (on the contact, or on its resident); else a 404."""
    if row is None:
        abort(404)
    contact = _contact(contact_id)
    resident = (contact.get("resident") or {}).get("id")
    on_contact = (row.get("contact") or {}).get("id") == contact["id"]
    on_resident = resident is not None and (row.get("resident") or {}).get("id") == resident
    if not (on_contact or on_resident):
        abort(404)
    return row


def _adjustment(adjustment_id: int, contact_id: int) -> dict[str, Any]:
    row = operations.run("ConsoleAdjustment", {"id": str(adjustment_id)})["reasonableAdjustment"]
    return _theirs(row, contact_id)


@bp.route("/contacts/<int:contact_id>/adjustments/<int:adjustment_id>/decide", methods=["GET", "POST"])
@roles_required(*STAFF)
def adjustment_decide(contact_id: int, adjustment_id: int) -> Any:
    record = _adjustment(adjustment_id, contact_id)
    form = AdjustmentDecideForm()
    return _action(
        contact_id,
        form,
        _l("Agree or decline an adjustment"),
        "ConsoleAdjustmentDecide",
        lambda: {
            "id": str(adjustment_id),
            "decision": form.decision.data or None,
            "reasons": form.reasons.data or "",
            "reviewDueOn": _date(form.review_due_on.data),
        },
        _l("The decision on the adjustment is recorded."),
        {"kind": "adjustment", **record},
    )


@bp.route("/contacts/<int:contact_id>/adjustments/<int:adjustment_id>/review", methods=["GET", "POST"])
@roles_required(*STAFF)
def adjustment_review(contact_id: int, adjustment_id: int) -> Any:
    record = _adjustment(adjustment_id, contact_id)
    form = AdjustmentReviewForm()
    return _action(
        contact_id,
        form,
        _l("Review an adjustment"),
        "ConsoleAdjustmentReview",
        lambda: {
            "id": str(adjustment_id),
            "outcome": form.outcome.data or None,
            "note": form.note.data or "",
            "nextReviewOn": _date(form.next_review_on.data),
        },
        _l("The review of the adjustment is recorded."),
        {"kind": "adjustment", **record},
    )


@bp.route("/contacts/<int:contact_id>/restrictions/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def restriction_record(contact_id: int) -> Any:
    form = RestrictionRecordForm()
    staff = case_choices()["staff"]
    form.point_of_contact.choices = [
        SelectChoice("", BLANK.label),
        *(SelectChoice(str(p["id"]), f"{p['displayName']} ({p['email']})") for p in staff),
    ]
    return _action(
        contact_id,
        form,
        _l("Record a restriction on contact"),
        "ConsoleRestrictionRecord",
        lambda: {
            "contactId": str(contact_id),
            "behaviour": form.behaviour.data or "",
            "evidence": form.evidence.data or "",
            "kind": form.kind.data if form.kind.data in RESTRICTION_KINDS else None,
            "details": form.details.data or "",
            "pointOfContactId": form.point_of_contact.data or None,
            "equalityConsideration": form.equality_consideration.data or "",
            "startsOn": _date(form.starts_on.data),
            "reviewDueOn": _date(form.review_due_on.data),
            "residentToldOn": _date(form.resident_told_on.data),
            "residentNotice": form.resident_notice.data or "",
        },
        _l("The restriction is recorded. The resident's complaints are still handled as usual."),
        fields={"pointOfContactId": "point_of_contact"},
    )


def _restriction(restriction_id: int, contact_id: int) -> dict[str, Any]:
    row = operations.run("ConsoleRestriction", {"id": str(restriction_id)})["contactRestriction"]
    return _theirs(row, contact_id)


@bp.route("/contacts/<int:contact_id>/restrictions/<int:restriction_id>/told", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def restriction_told(contact_id: int, restriction_id: int) -> Any:
    record = _restriction(restriction_id, contact_id)
    form = RestrictionToldForm()
    return _action(
        contact_id,
        form,
        _l("Record that the resident was told of a restriction"),
        "ConsoleRestrictionResidentTold",
        lambda: {
            "id": str(restriction_id),
            "residentToldOn": _date(form.resident_told_on.data),
            "residentNotice": form.resident_notice.data or "",
        },
        _l("We have recorded when the resident was told."),
        {"kind": "restriction", **record},
    )


@bp.route("/contacts/<int:contact_id>/restrictions/<int:restriction_id>/review", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def restriction_review(contact_id: int, restriction_id: int) -> Any:
    record = _restriction(restriction_id, contact_id)
    form = RestrictionReviewForm()
    return _action(
        contact_id,
        form,
        _l("Review a restriction on contact"),
        "ConsoleRestrictionReview",
        lambda: {
            "id": str(restriction_id),
            "outcome": form.outcome.data or None,
            "reviewOutcome": form.review_outcome.data or "",
            "nextReviewOn": _date(form.next_review_on.data),
        },
        _l("The review of the restriction is recorded."),
        {"kind": "restriction", **record},
    )
