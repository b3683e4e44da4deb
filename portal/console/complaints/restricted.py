"""Restricted cases in the console, one action per page: the staff a complaint names (with a confirmation, since
it can't be undone) and their support record; making a case need-to-know and its access list; the read log.

Every read and write runs a named operation as the viewer, so a case hidden from them is a 404 here as anywhere.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.cases import case_choices
from portal.console.complaints.forms import date_field, limit, parse_date
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
MAX_DETAILS = 2_000
MAX_REASON = 2_000
MAX_SUPPORT = 10_000
PARTS = {"subject": _l("The complaint is about them"), "involved": _l("They were involved, or saw what happened")}
KINDS = {"safeguarding": _l("Safeguarding"), "domestic_abuse": _l("Domestic abuse")}


def _people(blank: Any) -> list[SelectChoice]:
    staff = case_choices()["staff"]
    return [SelectChoice("", blank), *(SelectChoice(p["id"], f"{p['displayName']} ({p['email']})") for p in staff)]


class NameStaffForm(FlaskForm):
    person = SelectField(_l("Member of staff"), validators=[DataRequired(_l("Choose a member of staff."))])
    part = RadioField(
        _l("Their part"),
        choices=[SelectChoice(code, label) for code, label in PARTS.items()],
        validators=[DataRequired(_l("Choose their part: the complaint is about them, or they were involved."))],
    )
    details = TextAreaField(_l("What they did, in a few words (optional)"), validators=[limit(MAX_DETAILS)])
    confirmed = HiddenField()


class SupportForm(FlaskForm):
    told_on = date_field(_l("Day they were told of the complaint (optional)"), not_future=True)
    support_offered = TextAreaField(
        _l("Support offered (optional)"),
        description=_l("For example a meeting with their manager, a union representative, or the wellbeing service."),
        validators=[limit(MAX_SUPPORT)],
    )
    staff_input = TextAreaField(_l("Their account, in their words (optional)"), validators=[limit(MAX_SUPPORT)])
    outcome_shared_on = date_field(_l("Day the outcome was shared with them (optional)"), not_future=True)


class RestrictForm(FlaskForm):
    kind = RadioField(
        _l("Why is this case need-to-know?"),
        choices=[SelectChoice(code, label) for code, label in KINDS.items()],
        validators=[DataRequired(_l("Choose why the case is need-to-know: safeguarding or domestic abuse."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "Only the staff on the access list will see the case. Every time anyone opens it, it is logged."
        ),
        validators=[DataRequired(_l("Give the reason.")), limit(MAX_REASON)],
    )


class GrantForm(FlaskForm):
    person = SelectField(_l("Member of staff to add"), validators=[DataRequired(_l("Choose a member of staff."))])
    reason = TextAreaField(
        _l("Why they need to know"), validators=[DataRequired(_l("Give the reason.")), limit(MAX_REASON)]
    )


class LiftForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it need no longer be need-to-know"),
        validators=[DataRequired(_l("Give the reason.")), limit(MAX_REASON)],
    )


@bp.context_processor
def restricted_links() -> dict[str, Any]:
    """Whether the case page links to the need-to-know page: it is for managers."""
    return {"may_restrict": current_actor().has_role(*MANAGERS)}


# --- The staff a complaint names ----------------------------------------------------------------------------


def _complaint_staff(complaint_id: int) -> dict[str, Any]:
    complaint = operations.run("ConsoleComplaintStaff", {"id": str(complaint_id)})["complaint"]
    if complaint is None:
        abort(404)
    return complaint


def _may_manage(complaint: dict[str, Any]) -> bool:
    """Managers, and the case's handler, record who a complaint names and their support (the API decides too)."""
    handler = complaint.get("handler") or {}
    return current_actor().has_role(*MANAGERS) or str(handler.get("id")) == str(current_actor().user_id)


@bp.route("/complaints/<int:complaint_id>/staff", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_staff(complaint_id: int) -> Any:
    """The staff a complaint names; managers and the handler record another, after a confirmation."""
    complaint = _complaint_staff(complaint_id)
    form = NameStaffForm()
    form.person.choices = _people(_l("Choose a member of staff"))
    confirming = False
    status = 200
    if form.validate_on_submit() and _may_manage(complaint):
        if form.confirmed.data != "yes":
            confirming = True
            form.confirmed.data = "yes"
        else:
            variables = {
                "id": str(complaint_id),
                "personId": form.person.data,
                "part": form.part.data,
                "details": form.details.data or "",
            }
            result = operations.run_mutation("ConsoleComplaintStaffName", {"input": variables})
            if result.problem is None:
                flash(_("Recorded. The complaint is now hidden from that member of staff."), "success")
                return redirect(url_for("console.complaint", complaint_id=complaint_id))
            form.confirmed.data = ""
            show_problem(form, result.problem, {"personId": "person"})
            status = 400
    elif form.is_submitted():
        status = 400 if _may_manage(complaint) else 403
    chosen = dict((choice.value, choice.label) for choice in form.person.choices).get(form.person.data or "")
    return render_template(
        "console/complaints/staff_named.html",
        complaint=complaint,
        form=form,
        may_manage=_may_manage(complaint),
        confirming=confirming,
        chosen=chosen,
        parts=PARTS,
    ), status


@bp.route("/complaints/<int:complaint_id>/staff/<int:row_id>/support", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_staff_support(complaint_id: int, row_id: int) -> Any:
    """The support record of a member of staff the complaint names (PHSO: keep them informed and engaged)."""
    complaint = _complaint_staff(complaint_id)
    row = next((r for r in complaint["staffNamed"] if r["id"] == str(row_id)), None)
    if row is None or not _may_manage(complaint):
        abort(404)
    if request.method == "GET":
        form = SupportForm(
            data={
                "told_on": row["toldOn"] or "",
                "support_offered": row["supportOffered"],
                "staff_input": row["staffInput"],
                "outcome_shared_on": row["outcomeSharedOn"] or "",
            }
        )
    else:
        form = SupportForm()
    status = 200
    if form.validate_on_submit():
        variables = {
            "id": str(row_id),
            "toldOn": _iso(form.told_on.data),
            "supportOffered": form.support_offered.data or "",
            "staffInput": form.staff_input.data or "",
            "outcomeSharedOn": _iso(form.outcome_shared_on.data),
        }
        result = operations.run_mutation("ConsoleComplaintStaffSupport", {"input": variables})
        if result.problem is None:
            flash(_("The support record is saved."), "success")
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        show_problem(form, result.problem)
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "console/complaints/staff_support.html", complaint=complaint, row=row, form=form, parts=PARTS
    ), status


def _iso(value: str | None) -> str | None:
    day = parse_date(value)
    return day.isoformat() if day else None


# --- Need-to-know ----------------------------------------------------------------------------------------


def _case_access(contact_id: int) -> dict[str, Any]:
    contact = operations.run("ConsoleCaseAccess", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    return contact


def _back_to_case(contact: dict[str, Any]) -> Any:
    complaint = contact["complaints"][0] if contact.get("complaints") else None
    if complaint is not None:
        return redirect(url_for("console.complaint", complaint_id=complaint["id"]))
    return redirect(url_for("console.contact", contact_id=contact["id"]))


@bp.route("/contacts/<int:contact_id>/need-to-know", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def need_to_know(contact_id: int) -> Any:
    """Make a case need-to-know, or manage its access list while it is."""
    contact = _case_access(contact_id)
    # CSRFProtect checks every POST; the page's one token is the csrf() macro's.
    restrict_form = RestrictForm(prefix="restrict", meta={"csrf": False})
    grant_form = GrantForm(prefix="grant", meta={"csrf": False})
    grant_form.person.choices = _people(_l("Choose a member of staff"))
    lift_form = LiftForm(prefix="lift", meta={"csrf": False})
    action = request.form.get("action") if request.method == "POST" else None
    forms: dict[str, FlaskForm] = {"restrict": restrict_form, "grant": grant_form, "lift": lift_form}
    status = 200
    if action in forms:
        form = forms[action]
        if form.validate_on_submit():
            result = operations.run_mutation(*_need_to_know_mutation(action, contact_id, form))
            if result.problem is None:
                flash(str(NEED_TO_KNOW_DONE[action]), "success")
                return _back_to_case(contact)
            show_problem(form, result.problem, {"personId": "person"})
        status = 400
    for name, form in forms.items():
        if name != action:
            form.process(formdata=None)
    grant_form.person.choices = _people(_l("Choose a member of staff"))
    return render_template(
        "console/complaints/need_to_know.html",
        contact=contact,
        restrict_form=restrict_form,
        grant_form=grant_form,
        lift_form=lift_form,
        failed=forms.get(action or ""),
        kinds=KINDS,
    ), status


NEED_TO_KNOW_DONE = {
    "restrict": _l("The case is now need-to-know. Only the staff on its access list can see it."),
    "grant": _l("They are on the access list."),
    "lift": _l("The case is no longer need-to-know."),
}


def _need_to_know_mutation(action: str, contact_id: int, form: Any) -> tuple[str, dict[str, Any]]:
    base = {"id": str(contact_id), "reason": form.reason.data}
    if action == "restrict":
        return "ConsoleContactNeedToKnowMark", {"input": {**base, "kind": form.kind.data}}
    if action == "grant":
        return "ConsoleContactAccessGrant", {"input": {**base, "personId": form.person.data}}
    return "ConsoleContactNeedToKnowLift", {"input": base}


@bp.route("/contacts/<int:contact_id>/need-to-know/remove/<int:person_id>", methods=["POST"])
@roles_required(*MANAGERS)
def need_to_know_remove(contact_id: int, person_id: int) -> Any:
    """Take someone off the access list (they can be put back on it)."""
    variables = {"input": {"id": str(contact_id), "personId": str(person_id)}}
    result = operations.run_mutation("ConsoleContactAccessRevoke", variables)
    if result.problem is None:
        flash(_("They are off the access list and can no longer see the case."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.need_to_know", contact_id=contact_id))


@bp.route("/contacts/<int:contact_id>/reads")
@roles_required(*MANAGERS)
def case_reads(contact_id: int) -> Any:
    """Who read a need-to-know case, when and through what, newest first."""
    data = operations.run_page("ConsoleCaseReads", {"id": str(contact_id), "after": request.args.get("after")})
    if data["contact"] is None:
        abort(404)
    info = data["caseReads"]["pageInfo"]
    return render_template(
        "console/complaints/case_reads.html",
        contact=data["contact"],
        reads=data["caseReads"]["nodes"],
        next_after=info["endCursor"] if info["hasNextPage"] else None,
    )
