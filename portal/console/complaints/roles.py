"""Console pages for the named complaints roles (Code 4.1, 9.4-9.7): who holds each, and naming someone (admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import bp
from portal.console.complaints.cases import case_choices
from portal.console.complaints.forms import BLANK, choices, limit
from portal.forms import show_problem

ROLES = {
    "complaints_officer": _l("Complaints officer (the Ombudsman's point of contact)"),
    "senior_lead": _l("Senior lead for complaints (hazards are escalated to them)"),
    "mrc": _l("Member Responsible for Complaints (governing body)"),
    "senior_manager": _l("Senior manager (signs off improvement actions and gets the overdue digest)"),
    "dpo": _l("Data protection officer (reviews subject access exports before they are released)"),
}


class DesignationForm(FlaskForm):
    role = RadioField(_l("Role"), choices=choices(ROLES), validators=[DataRequired(_l("Choose the role."))])
    person = SelectField(_l("Member of staff"), validators=[DataRequired(_l("Choose who holds it."))])
    starts_on = StringField(_l("From"), validators=[DataRequired(_l("Give the first day they hold it."))])
    ends_on = StringField(
        _l("Until (optional)"), description=_l("Leave empty: until further notice."), validators=[Optional()]
    )
    note = TextAreaField(_l("Decision or note (optional)"), validators=[Optional(), limit(2000)])


class EndForm(FlaskForm):
    ends_on = StringField(
        _l("Last day they hold it"),
        description=_l("They still hold it on this day. To end it at once, use “End it now” instead."),
        validators=[DataRequired(_l("Give the last day."))],
    )


class EndNowForm(FlaskForm):
    """End a designation at once: they no longer hold it from today (withdrawn if it has not started before)."""


def end_now_day(starts_on: str) -> dt.date:
    """The last day that ends a designation at once: yesterday, or the day before it starts if that is later."""
    yesterday = local_date() - dt.timedelta(days=1)
    return max(yesterday, dt.date.fromisoformat(starts_on) - dt.timedelta(days=1))


def _designations() -> list[dict[str, Any]]:
    return operations.run("ConsoleRoleDesignations")["roleDesignations"]["nodes"]


@bp.route("/roles", methods=["GET", "POST"])
@roles_required("admin")
def named_roles() -> Any:
    """Who holds each named complaints role, and a form to name someone from a date."""
    form = DesignationForm()
    form.person.choices = [
        BLANK,
        *(SelectChoice(str(p["id"]), f"{p['displayName']} ({p['email']})") for p in case_choices()["staff"]),
    ]
    status = 200
    if request.method == "GET":
        form.starts_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {
            "role": form.role.data,
            "personId": form.person.data,
            "startsOn": form.starts_on.data,
            "endsOn": form.ends_on.data or None,
            "note": form.note.data or "",
        }
        result = operations.run_mutation("ConsoleRoleDesignationCreate", {"input": variables})
        if result.problem is None:
            flash(_("The role is recorded."), "success")
            return redirect(url_for("console.named_roles"))
        show_problem(form, result.problem, {"personId": "person"})
        status = result.status
    else:
        status = 400
    return render_template(
        "console/complaints/roles.html", designations=_designations(), form=form, roles=ROLES, today=local_date()
    ), status


@bp.route("/roles/<int:designation_id>/end", methods=["GET", "POST"])
@roles_required("admin")
def named_role_end(designation_id: int) -> Any:
    """Set the last day someone holds a role (a handover, or they left)."""
    designation = next((d for d in _designations() if d["id"] == str(designation_id)), None)
    if designation is None:
        abort(404)
    ending_now = request.method == "POST" and request.form.get("end_now") == "1"
    form = EndForm(formdata=None) if ending_now else EndForm()
    now_form = EndNowForm() if ending_now else EndNowForm(formdata=None)
    status = 200
    if request.method == "GET" or ending_now:
        form.ends_on.data = designation["endsOn"] or local_date().isoformat()
    if ending_now and not now_form.validate_on_submit():
        status = 400
    elif ending_now or (request.method == "POST" and form.validate_on_submit()):
        last_day = end_now_day(designation["startsOn"]).isoformat() if ending_now else form.ends_on.data
        variables = {"id": str(designation_id), "endsOn": last_day}
        result = operations.run_mutation("ConsoleRoleDesignationUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The end date is recorded."), "success")
            return redirect(url_for("console.named_roles"))
        show_problem(form, result.problem)
        status = result.status
    elif request.method == "POST":
        status = 400
    return render_template(
        "console/complaints/role_end.html", designation=designation, form=form, now_form=now_form, roles=ROLES
    ), status
