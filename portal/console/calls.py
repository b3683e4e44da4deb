"""Console page "Calls to make": messages to read out to people who asked for a phone call."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from backend.config import LANGUAGE_NAMES, text_direction
from portal import operations
from portal.access import roles_required
from portal.console import STAFF, bp
from portal.console.complaint_forms import attach_error, limit

OUTCOMES = [
    SelectChoice("done", _l("Done: I read the message to them")),
    SelectChoice("not_reached", _l("Not reached: a message about a complaint then goes by post")),
]
OUTCOME_NAMES = {"open": _l("To call"), "done": _l("Done"), "not_reached": _l("Not reached")}


class CallOutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("How did the call go?"), choices=OUTCOMES, validators=[DataRequired(_l("Choose how the call went."))]
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("For example what they said, or when you tried. Staff only."),
        validators=[limit(2_000)],
    )


def _forms(calls: list[dict[str, Any]], submitted: str | None) -> dict[str, CallOutcomeForm]:
    """A form per open call, each with its own prefix; only the one submitted reads the request."""
    forms = {}
    for call in calls:
        prefix = f"call-{call['id']}"
        kwargs: dict[str, Any] = {"prefix": prefix}
        if prefix != submitted:
            kwargs["formdata"] = None
        forms[call["id"]] = CallOutcomeForm(**kwargs)
    return forms


def render_calls(status: str, submitted: str | None = None, code: int = 200) -> Any:
    page = operations.run("ConsoleCalls", {"status": status})["callTasks"]
    forms = _forms(page["nodes"], submitted) if status == "open" else {}
    return render_template(
        "console/calls.html",
        calls=page["nodes"],
        total=page["totalCount"],
        status=status,
        forms=forms,
        failed=[form for form in forms.values() if form.errors],
        outcome_names=OUTCOME_NAMES,
        language_names=LANGUAGE_NAMES,
        text_direction_of=text_direction,
    ), code


@bp.route("/calls")
@roles_required(*STAFF)
def calls() -> Any:
    status = request.args.get("status") if request.args.get("status") in ("done", "not_reached") else "open"
    return render_calls(status)


@bp.route("/calls/<int:call_id>", methods=["POST"])
@roles_required(*STAFF)
def call_outcome(call_id: int) -> Any:
    """Record how a call went; a problem is shown next to the field, with what was typed kept."""
    submitted = f"call-{call_id}"
    form = CallOutcomeForm(prefix=submitted)
    if form.validate_on_submit():
        variables = {"id": str(call_id), "outcome": form.outcome.data, "note": form.note.data or ""}
        result = operations.run("CallTaskComplete", {"input": variables})["callTaskComplete"]
        if result["__typename"] == "CallTaskCompleted":
            if result.get("letterDeliveryId"):
                from tasks.dispatch import deliver

                deliver(int(result["letterDeliveryId"]))
                flash(_("The call is recorded. The message goes to them by post instead."), "success")
            else:
                flash(_("The call is recorded."), "success")
            return redirect(url_for("console.calls"))
        if result["__typename"] in ("ConflictError", "NotFoundError"):
            flash(result["message"], "error")
            return redirect(url_for("console.calls"))
        attach_error(form, result)
    page = render_calls("open", submitted, 400)
    return page
