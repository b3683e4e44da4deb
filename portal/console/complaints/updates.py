"""The update interval page (Code 5.9): when an answer will be late, record how often the resident will hear from
us, as agreed with them. GET shows the agreement and the form, POST records it and goes back to the case."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from backend.complaints.updates import MAX_EVERY_DAYS, MAX_NOTE, MIN_EVERY_DAYS
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import WholeNumber, date_field, limit, parse_date
from portal.forms import show_problem

METHODS = {
    "phone": _l("By phone"),
    "email": _l("By email"),
    "sms": _l("By text message"),
    "post": _l("By post"),
    "portal": _l("On their case in the portal"),
}


class UpdateIntervalForm(FlaskForm):
    # Required parts are checked by the API, which names every missing one at once.
    every_days = StringField(
        _l("How many working days apart"),
        description=_l("The resident will hear from us at least this often, from 1 to 20 working days."),
        validators=[Optional(), WholeNumber(MIN_EVERY_DAYS, MAX_EVERY_DAYS)],
        render_kw={"inputmode": "numeric"},
    )
    agreed_on = date_field(_l("Date agreed with the resident"), not_future=True)
    method = RadioField(
        _l("How the resident will get the updates"),
        choices=[SelectChoice(code, label) for code, label in METHODS.items()],
        validators=[Optional()],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Anything else agreed (optional)"),
        description=_l("For example a time of day to call. Staff only."),
        validators=[limit(MAX_NOTE)],
    )


def _load(complaint_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleComplaintUpdates", {"id": str(complaint_id)})
    if data["complaint"] is None:
        abort(404)
    return data


def _render(data: dict[str, Any], form: UpdateIntervalForm, status: int = 200) -> Any:
    complaint = data["complaint"]
    current = next((i for i in data["updateIntervals"]["nodes"] if i["stage"] == complaint["stage"]), None)
    allowed = any(item["step"].lower() == "agree_updates" for item in complaint["availableSteps"])
    return render_template(
        "console/complaints/updates.html",
        complaint=complaint,
        current=current,
        allowed=allowed,
        form=form,
        methods=METHODS,
    ), status


@bp.route("/complaints/<int:complaint_id>/update-interval", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_update_interval(complaint_id: int) -> Any:
    """Agree how often the resident will be updated while their answer is late."""
    data = _load(complaint_id)
    form = UpdateIntervalForm()
    if request.method == "GET":
        current = next((i for i in data["updateIntervals"]["nodes"] if i["stage"] == data["complaint"]["stage"]), None)
        if current is not None:
            form.every_days.data = str(current["everyDays"])
            form.agreed_on.data = current["agreedOn"]
            form.method.data = current["method"]
            form.note.data = current["note"]
        return _render(data, form)
    if not form.validate():
        return _render(data, form, 400)
    raw_days = (form.every_days.data or "").strip()
    variables = {
        "id": str(complaint_id),
        "everyDays": int(raw_days) if raw_days else None,
        "agreedOn": (day.isoformat() if (day := parse_date(form.agreed_on.data)) else None),
        "method": form.method.data or None,
        "note": form.note.data or "",
    }
    result = operations.run_mutation("ConsoleComplaintUpdatesAgree", {"input": variables})
    if result.problem is None:
        flash(_("The update interval is recorded. You will be told if an update is missed."), "success")
        return redirect(url_for("console.complaint", complaint_id=complaint_id))
    show_problem(form, result.problem)
    return _render(_load(complaint_id), form, result.status)
