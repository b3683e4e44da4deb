"""Refuse a request to take an answered complaint to the next stage: its own page, with a confirmation, since the
refusal is sent to the resident and can't be undone."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.complaints import labels as case_labels
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.cases import load_case
from portal.console.complaints.forms import choices, limit, ombudsman_details_field
from portal.forms import show_problem


class RefuseEscalationForm(FlaskForm):
    ground = RadioField(
        _l("Ground for not taking it to the next stage"),
        validators=[DataRequired(_l("Choose the ground for refusing the complaint."))],
    )
    reasons = TextAreaField(
        _l("Reasons, as the resident will read them"),
        validators=[DataRequired(_l("Give the reasons.")), limit(10_000)],
    )
    ombudsman_details_given = ombudsman_details_field()
    confirm = BooleanField(
        _l("I have checked: the request is refused and the resident is told now. This cannot be undone."),
        validators=[DataRequired(_l("Confirm that the request to escalate is refused."))],
    )


@bp.route("/complaints/<int:complaint_id>/refuse-escalation", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_refuse_escalation(complaint_id: int) -> Any:
    """GET shows the form; POST refuses the request and goes back to the case."""
    case = load_case(complaint_id)
    if "refuse_escalation" not in {item["step"].lower() for item in case["availableSteps"]}:
        abort(404)
    form = RefuseEscalationForm()
    allowed = tuple(case["regime"].get("refusalGrounds") or ())
    form.ground.choices = choices({k: v for k, v in case_labels.REFUSAL_GROUNDS.items() if k in allowed})
    if form.validate_on_submit():
        variables = {
            "id": str(complaint_id),
            "ground": form.ground.data,
            "reasons": form.reasons.data,
            "ombudsmanDetailsGiven": bool(form.ombudsman_details_given.data),
        }
        result = operations.run_mutation("ConsoleComplaintRefuseEscalation", {"input": variables})
        if result.problem is None:
            flash(
                _("The request to escalate is refused. The resident is sent the reasons and the Ombudsman."), "success"
            )
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/complaints/refuse_escalation.html", case=case, form=form), status
