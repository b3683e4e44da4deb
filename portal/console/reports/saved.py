"""Console pages for saved reports: the list of one's own and the shared ones, and saving, changing, sharing and
deleting one's own. Running one is ``saved_run``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.reports.saved import MAX_COLUMNS, MAX_DESCRIPTION, MAX_NAME, MAX_QUERY
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, CheckboxesField, choices, limit
from portal.forms import show_problem

DISPLAYS = {"table": _l("A table"), "bar": _l("A bar chart"), "line": _l("A line chart")}
SCHEDULES = {
    "none": _l("Never: read it when you want"),
    "daily": _l("Every day"),
    "weekly": _l("Once a week"),
    "monthly": _l("Once a month"),
}
WEEKDAYS = {
    "1": _l("Monday"),
    "2": _l("Tuesday"),
    "3": _l("Wednesday"),
    "4": _l("Thursday"),
    "5": _l("Friday"),
    "6": _l("Saturday"),
    "7": _l("Sunday"),
}
SHARING = {"private": _l("Only me (and its recipients)"), "shared": _l("Every member of staff")}
#: Where the API's paths for an update's problems go on the form.
FORM_FIELDS = {
    f"{prefix}{path}": name
    for prefix in ("", "report.")
    for path, name in {
        "name": "name",
        "description": "description",
        "query": "query",
        "display": "display",
        "rowsPath": "rows_path",
        "columns": "columns",
        "labelField": "label_field",
        "valueField": "value_field",
        "schedule": "schedule",
        "scheduleWeekday": "schedule_weekday",
        "scheduleDay": "schedule_day",
        "recipientIds": "recipients",
    }.items()
}


class SavedReportForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the report a name.")), limit(MAX_NAME)])
    description = TextAreaField(
        _l("What it shows (optional)"), validators=[Optional(), limit(MAX_DESCRIPTION)], render_kw={"rows": 3}
    )
    query = TextAreaField(
        _l("GraphQL query"),
        description=_l(
            "One query, as you would write it in GraphiQL. Its variables, such as $from: DateTime, become the "
            "report's parameters. It runs as whoever reads the report, so each reader sees only what they may see."
        ),
        validators=[DataRequired(_l("Write the GraphQL query the report runs.")), limit(MAX_QUERY)],
        render_kw={"rows": 14, "spellcheck": "false", "class": "code"},
    )
    display = RadioField(_l("Show it as"), choices=choices(DISPLAYS), default="table")
    rows_path = StringField(
        _l("Rows (optional)"),
        description=_l("Where the rows are in the result, such as complaints.nodes. Empty: the first list."),
        validators=[Optional(), limit(300)],
    )
    columns = TextAreaField(
        _l("Columns (optional)"),
        description=_l("One value of a row on each line, such as reference or handler.displayName. Empty: all."),
        validators=[Optional(), limit(MAX_COLUMNS * 300)],
        render_kw={"rows": 4, "spellcheck": "false"},
    )
    label_field = StringField(
        _l("Chart label (for a chart)"),
        description=_l("The value that labels each bar or point, such as key.month."),
        validators=[Optional(), limit(300)],
    )
    value_field = StringField(
        _l("Chart number (for a chart)"),
        description=_l("The number shown for each row, such as count."),
        validators=[Optional(), limit(300)],
    )
    sharing = RadioField(_l("Who may read it"), choices=choices(SHARING), default="private")
    schedule = RadioField(
        _l("Tell the recipients it is ready"),
        description=_l("They get a message with a link; they sign in to read it. The message holds no figures."),
        choices=choices(SCHEDULES),
        default="none",
    )
    schedule_weekday = SelectField(_l("Day of the week (weekly)"), validators=[Optional()])
    schedule_day = StringField(
        _l("Day of the month (monthly)"),
        description=_l("1 to 31; in a shorter month, its last day."),
        validators=[Optional(), limit(2)],
        render_kw={"inputmode": "numeric"},
    )
    recipients = CheckboxesField(_l("Recipients (for a schedule)"), validators=[Optional()])

    def fill_choices(self, people: list[dict[str, Any]]) -> None:
        self.schedule_weekday.choices = [BLANK, *choices(WEEKDAYS)]
        self.recipients.choices = [SelectChoice(p["id"], p["displayName"]) for p in people]


def _staff() -> list[dict[str, Any]]:
    return list(operations.run("ConsoleSavedReportChoices")["people"]["nodes"])


def _input(form: SavedReportForm) -> dict[str, Any]:
    day = (form.schedule_day.data or "").strip()
    return {
        "name": form.name.data or "",
        "description": form.description.data or "",
        "query": form.query.data or "",
        "display": form.display.data or "table",
        "rowsPath": form.rows_path.data or "",
        "columns": [line.strip() for line in (form.columns.data or "").splitlines() if line.strip()],
        "labelField": form.label_field.data or "",
        "valueField": form.value_field.data or "",
        "shared": form.sharing.data == "shared",
        "schedule": form.schedule.data or "none",
        "scheduleWeekday": int(form.schedule_weekday.data) if form.schedule_weekday.data else None,
        "scheduleDay": int(day) if day.isdigit() else (0 if day else None),
        "recipientIds": list(form.recipients.data or []),
    }


def load_report(report_id: int) -> dict[str, Any]:
    """The report as the viewer may read it, with the viewer's id; 404 when they may not."""
    data = operations.run("ConsoleSavedReport", {"id": str(report_id)})
    if data["savedReport"] is None:
        abort(404)
    return {**data["savedReport"], "mine": data["savedReport"]["owner"]["id"] == data["viewer"]["id"]}


@bp.route("/reports/saved")
@roles_required(*STAFF)
def saved_reports() -> Any:
    """Your saved reports and those shared with every member of staff or sent to you."""
    data = operations.run_page("ConsoleSavedReports", {"after": request.args.get("after")})
    page = data["savedReports"]
    after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    return render_template(
        "console/reports/saved_list.html",
        reports=page["nodes"],
        viewer_id=data["viewer"]["id"],
        displays=DISPLAYS,
        schedules=SCHEDULES,
        after=after,
    )


def _form_page(form: SavedReportForm, heading: str, back: str, status: int) -> Any:
    return render_template("console/reports/saved_form.html", form=form, heading=heading, back_url=back), status


@bp.route("/reports/saved/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def saved_report_new() -> Any:
    """Save a GraphQL query as a report."""
    form = SavedReportForm()
    form.fill_choices(_staff())
    status = 200
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleSavedReportCreate", {"input": _input(form)})
        if result.problem is None:
            flash(_("The report is saved."), "success")
            return redirect(url_for("console.saved_report", report_id=result.data["savedReport"]["id"]))
        show_problem(form, result.problem, FORM_FIELDS)
        status = result.status
    elif request.method == "POST":
        status = 400
    return _form_page(form, _("Save a query as a report"), url_for("console.saved_reports"), status)


@bp.route("/reports/saved/<int:report_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def saved_report_edit(report_id: int) -> Any:
    """Change a report you saved."""
    report = load_report(report_id)
    if not report["mine"]:
        abort(403)
    form = SavedReportForm()
    form.fill_choices(_staff())
    status = 200
    if request.method == "GET":
        _fill(form, report)
    elif form.validate_on_submit():
        variables = {"input": {"id": str(report_id), "report": _input(form)}}
        result = operations.run_mutation("ConsoleSavedReportUpdate", variables)
        if result.problem is None:
            flash(_("The report is saved."), "success")
            return redirect(url_for("console.saved_report", report_id=report_id))
        show_problem(form, result.problem, FORM_FIELDS)
        status = result.status
    else:
        status = 400
    back = url_for("console.saved_report", report_id=report_id)
    return _form_page(form, _("Change the report “%(name)s”", name=report["name"]), back, status)


def _fill(form: SavedReportForm, report: dict[str, Any]) -> None:
    form.name.data, form.description.data, form.query.data = report["name"], report["description"], report["query"]
    form.display.data, form.rows_path.data = report["display"], report["rowsPath"]
    form.columns.data = "\n".join(report["columns"] or [])
    form.label_field.data, form.value_field.data = report["labelField"], report["valueField"]
    form.sharing.data = "shared" if report["shared"] else "private"
    form.schedule.data = report["schedule"]
    form.schedule_weekday.data = str(report["scheduleWeekday"] or "")
    form.schedule_day.data = str(report["scheduleDay"] or "")
    form.recipients.data = [r["person"]["id"] for r in report["recipients"]]


@bp.route("/reports/saved/<int:report_id>/share", methods=["POST"])
@roles_required(*STAFF)
def saved_report_share(report_id: int) -> Any:
    """Share a report you saved with every member of staff, or make it private again."""
    shared = request.form.get("shared") == "true"
    result = operations.run_mutation("ConsoleSavedReportShare", {"input": {"id": str(report_id), "shared": shared}})
    if result.problem is not None:
        flash(result.problem["message"], "error")
    elif shared:
        flash(_("Every member of staff may now read the report. Each sees only what they may see."), "success")
    else:
        flash(_("The report is private again."), "success")
    return redirect(url_for("console.saved_report", report_id=report_id))


@bp.route("/reports/saved/<int:report_id>/delete", methods=["GET", "POST"])
@roles_required(*STAFF)
def saved_report_delete(report_id: int) -> Any:
    """Ask, then delete a report you saved."""
    report = load_report(report_id)
    if not report["mine"]:
        abort(403)
    if request.method == "POST":
        form = FlaskForm()
        if form.validate_on_submit():
            result = operations.run_mutation("ConsoleSavedReportDelete", {"input": {"id": str(report_id)}})
            if result.problem is None:
                flash(_("The report “%(name)s” is deleted.", name=result.data["name"]), "success")
                return redirect(url_for("console.saved_reports"))
            flash(result.problem["message"], "error")
    return render_template("console/reports/saved_delete.html", report=report)
