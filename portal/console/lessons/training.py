"""Console pages for the training log: training delivered because of lessons, with a count for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, WholeNumber, limit, parse_date
from portal.console.lessons.sections import section
from portal.console.lessons.sharing import DATE, action_options, choices, form_page, staff_options, submit
from portal.exports import csv_download, pages

section(46, "console.lessons_training", _l("Training"))


class TrainingForm(FlaskForm):
    title = StringField(_l("What was delivered"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    delivered_on = StringField(
        _l("Day delivered"),
        validators=[DataRequired(_l("Give the day it was delivered.")), IsoDate(not_future=True)],
        render_kw=DATE,
    )
    audience = StringField(
        _l("Audience (optional)"), description=_l("For example, the repairs team."), validators=[Optional(), limit(200)]
    )
    attendees = StringField(
        _l("How many attended"),
        validators=[DataRequired(_l("Give how many attended.")), WholeNumber(0, 100_000)],
        render_kw={"inputmode": "numeric"},
    )
    people = SelectMultipleField(_l("Staff who attended (optional)"), validators=[Optional()], validate_choice=False)
    action = SelectField(_l("Training action it carries out (optional)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), limit(10_000)], render_kw={"rows": 3})


def _period() -> tuple[str, str]:
    today = local_date()
    start = request.args.get("from") or ""
    end = request.args.get("to") or ""
    first = parse_date(start) or dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    last = parse_date(end) or today
    return first.isoformat(), last.isoformat()


def _where(start: str, end: str) -> dict[str, Any]:
    return {"deliveredOn": {"gte": start, "lte": end}}


@bp.route("/lessons/training")
@roles_required(*STAFF)
def lessons_training() -> Any:
    """Training delivered in a period (by default this financial year), with the sessions and attendees in all."""
    start, end = _period()
    variables = {"where": _where(start, end), "after": request.args.get("after"), "start": start, "end": end}
    data = operations.run("ConsoleTraining", variables)
    records = data["trainingRecords"]
    after = records["pageInfo"]["endCursor"] if records["pageInfo"]["hasNextPage"] else None
    return render_template(
        "console/lessons/training.html",
        records=records["nodes"],
        count=data["trainingCount"],
        start=start,
        end=end,
        after=after,
    )


@bp.route("/lessons/training.csv")
@roles_required(*STAFF)
def lessons_training_export() -> Any:
    """The same training as CSV."""
    start, end = _period()
    header = [_("Day"), _("Title"), _("Audience"), _("Attendees"), _("Staff named"), _("Training action"), _("Notes")]

    def rows() -> Any:
        for r in pages("ConsoleTrainingExport", {"where": _where(start, end)}, "trainingRecords"):
            named = "; ".join(p["person"]["displayName"] for p in r["people"] if p["person"])
            yield [
                r["deliveredOn"],
                r["title"],
                r["audience"],
                r["attendees"],
                named,
                r["actionTitle"] or "",
                r["notes"],
            ]

    return csv_download("training", header, rows)


@bp.route("/lessons/training/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_training_new() -> Any:
    """Record training delivered."""
    found = choices()
    form = TrainingForm()
    form.people.choices = staff_options(found["staff"], blank=False)
    form.action.choices = action_options(found["actions"], kind="staff_training")
    status = 200
    if request.method == "GET":
        form.delivered_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {
            "title": form.title.data,
            "deliveredOn": form.delivered_on.data,
            "audience": form.audience.data or "",
            "attendees": int(form.attendees.data),
            "notes": form.notes.data or "",
            "actionId": form.action.data or None,
            "people": form.people.data or [],
        }
        status = submit(
            form, "ConsoleTrainingRecordCreate", variables, _("The training is recorded."), {"actionId": "action"}
        )
        if status is None:
            return redirect(url_for("console.lessons_training"))
    else:
        status = 400
    back = (url_for("console.lessons_training"), _("Back to the training log"))
    return form_page(form, _("Record training delivered"), _("Record the training"), back), status
