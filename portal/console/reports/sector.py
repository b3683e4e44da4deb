"""Learning from the sector in the console (learning item 8): benchmarking exercises and complaint-handling network
meetings in a regulator's year, who attended from the staff, and the attendance rate the self-assessment shows.

Staff read; managers and admins record and change them.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from backend.lessons.sharing import MAX_TEXT, MAX_TITLE
from backend.reports.periods import regulator_year, year_code, year_of
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, limit, parse_date
from portal.console.lessons.sharing import choices as sharing_choices
from portal.console.lessons.sharing import staff_options
from portal.console.reports.labels import EVENT_KINDS, figure_text
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")


def _year() -> int:
    raw = request.args.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= local_date().year:
        return int(raw)
    return year_of(local_date()).first.year


@bp.route("/reports/self-assessment/sector-learning")
@roles_required(*STAFF)
def sector_events() -> Any:
    """A regulator's year of benchmarking and network meetings, with who attended and the attendance rate."""
    year = _year()
    period = regulator_year(year)
    events = operations.run("ConsoleSectorEvents", {"from": period.first.isoformat(), "to": period.last.isoformat()})[
        "sectorEvents"
    ]["nodes"]
    figure = operations.run(
        "ConsoleEvidenceFigure", {"checklist": "learning", "number": "8", "period": year_code(year)}
    )["evidenceFigure"]
    names = {person["id"]: person["displayName"] for person in sharing_choices()["staff"]}
    return render_template(
        "console/reports/sector_events.html",
        events=events,
        names=names,
        year=year,
        year_label=year_code(year),
        years=range(local_date().year, 1999, -1)[:6],
        attendance=figure_text(figure),
        may_edit=current_actor().has_role(*MANAGERS),
        kinds=EVENT_KINDS,
    )


class EventForm(FlaskForm):
    kind = RadioField(
        _l("Kind"),
        choices=[SelectChoice(code, text) for code, text in EVENT_KINDS.items()],
        validators=[InputRequired(_l("Choose benchmarking or a network meeting."))],
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter its name.")), limit(MAX_TITLE)])
    held_on = StringField(
        _l("Day it took place"),
        description=_l("For example 2025-06-12."),
        validators=[DataRequired(_l("Enter the day it took place.")), IsoDate(not_future=True)],
    )
    expected = BooleanField(
        _l("We were expected to attend (a meeting of a network we belong to): it counts towards the attendance rate")
    )
    attendees = SelectMultipleField(
        _l("Who attended from the staff"),
        description=_l("Choose everyone who went. Leave empty if nobody did."),
        validators=[Optional()],
    )
    notes = TextAreaField(_l("What was compared or learnt"), validators=[Optional(), limit(MAX_TEXT)])


def _values(form: EventForm) -> dict[str, Any]:
    day = parse_date(form.held_on.data)
    return {
        "kind": form.kind.data,
        "name": form.name.data.strip(),
        "heldOn": day.isoformat() if day else None,
        "expected": bool(form.expected.data),
        "notes": form.notes.data or "",
        "attendeeIds": list(form.attendees.data or []),
    }


def _event_page(form: EventForm, heading: str, operation: str, extra: dict[str, Any]) -> Any:
    form.attendees.choices = staff_options(sharing_choices()["staff"], blank=False)
    if form.validate_on_submit():
        result = operations.run_mutation(operation, {"input": {**extra, **_values(form)}})
        if result.problem is None:
            flash(_("The event is saved."), "success")
            day = parse_date(form.held_on.data)
            year = year_of(day).first.year if day else _year()
            return redirect(url_for("console.sector_events", year=year))
        show_problem(form, result.problem, {"attendeeIds": "attendees"})
    status = 400 if request.method == "POST" else 200
    return render_template("console/reports/sector_event_form.html", form=form, heading=heading), status


@bp.route("/reports/self-assessment/sector-learning/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def sector_event_new() -> Any:
    """Record a benchmarking exercise or a network meeting."""
    form = EventForm(data=None if request.method == "POST" else {"kind": "network_meeting", "expected": True})
    return _event_page(form, _("Record benchmarking or a network meeting"), "ConsoleSectorEventRecord", {})


@bp.route("/reports/self-assessment/sector-learning/<int:event_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def sector_event_edit(event_id: int) -> Any:
    """Change a recorded event and who attended."""
    found = operations.run("ConsoleSectorEvent", {"id": str(event_id)})["sectorEvent"]
    if found is None:
        abort(404)
    given = {
        "kind": str(found["kind"]).lower(),
        "name": found["name"],
        "held_on": found["heldOn"],
        "expected": found["expected"],
        "notes": found["notes"],
        "attendees": found["attendeeIds"],
    }
    form = EventForm(data=None if request.method == "POST" else given)
    return _event_page(form, _("Change the event"), "ConsoleSectorEventUpdate", {"id": str(event_id)})
