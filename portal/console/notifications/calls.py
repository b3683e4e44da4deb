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
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from tasks.dispatch import deliver

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


def _form(call_id: object, formdata: bool) -> CallOutcomeForm:
    """The outcome form of one call, with its own prefix (CSRFProtect checks every POST before a view runs)."""
    kwargs: dict[str, Any] = {"prefix": f"call-{call_id}", "meta": {"csrf": False}}
    if not formdata:
        kwargs["formdata"] = None
    return CallOutcomeForm(**kwargs)


def render_calls(status: str, failed: tuple[str, CallOutcomeForm] | None = None, code: int = 200) -> Any:
    """The list of calls; ``failed`` is (call id, form) for a form sent with mistakes, shown as typed."""
    page = operations.run("ConsoleCalls", {"status": status})["callTasks"]
    forms = {call["id"]: _form(call["id"], formdata=False) for call in page["nodes"]} if status == "open" else {}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
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
    form = _form(call_id, formdata=True)
    if form.validate():
        variables = {"id": str(call_id), "outcome": form.outcome.data, "note": form.note.data or ""}
        result = operations.run_mutation("ConsoleCallTaskComplete", {"input": variables})
        if result.problem is None:
            if result.data.get("letterDeliveryId"):
                deliver(int(result.data["letterDeliveryId"]))
                flash(_("The call is recorded. The message goes to them by post instead."), "success")
            else:
                flash(_("The call is recorded."), "success")
            return redirect(url_for("console.calls"))
        if not result.about_values:
            flash(result.problem["message"], "error")
            return redirect(url_for("console.calls"))
        show_problem(form, result.problem)
    return render_calls("open", (str(call_id), form), 400)


CSV_HEADER = [
    _l("Name"),
    _l("Phone number"),
    _l("Language"),
    _l("Subject"),
    _l("Outcome"),
    _l("Note"),
    _l("Added"),
    _l("Done"),
    _l("By"),
]


@bp.route("/calls.csv")
@roles_required(*STAFF)
def calls_csv() -> Any:
    """The calls of one status (to make, done, not reached) as CSV, every page of them."""
    status = request.args.get("status") if request.args.get("status") in ("done", "not_reached") else "open"

    def rows() -> Any:
        for call in exports.pages("ConsoleCallsExport", {"status": status, "first": 100}, "callTasks"):
            yield [
                call["name"],
                call["phone"],
                LANGUAGE_NAMES.get(call["locale"], call["locale"]),
                call["subject"],
                str(OUTCOME_NAMES.get(call["status"], call["status"])),
                call["outcomeNote"] or "",
                call["createdAt"],
                call["completedAt"] or "",
                (call["completedBy"] or {}).get("displayName", ""),
            ]

    return exports.csv_download(f"calls-{status}", [str(h) for h in CSV_HEADER], rows)
