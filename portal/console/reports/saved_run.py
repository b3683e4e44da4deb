"""Running a saved report: its parameters' form, then its rows as a table or a chart beside its table, and the same
rows as CSV or XLSX.

The report's query runs in-process as the person reading, against their own schema, under the API's limits
(``schema.reports.saved_query.run_query``): a case hidden from them is not in their rows, whoever saved the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from backend import config
from backend.errors import Invalid
from backend.reports.saved import Parameter, rows_of
from backend.timeutil import LOCAL_ZONE
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit, parse_date
from portal.console.reports.saved import DISPLAYS, SCHEDULES, WEEKDAYS, load_report
from portal.exports import MAX_ROWS, csv_download, xlsx_download
from portal.operations import context_for_request
from portal.security import current_actor
from schema.error_texts import message_for
from schema.reports.saved_query import check_query, run_query

#: The most rows the page shows; the exports hold up to portal.exports.MAX_ROWS.
DISPLAY_ROWS = 500
#: The most bars or points a chart draws; the table beside it holds every row shown.
CHART_POINTS = 60
MAX_PARAMETER = 500


@dataclass
class Run:
    """One reading of a report: its form, and its rows once it ran, or why it did not."""

    form: Any
    ran: bool = False
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    more: bool = False
    problems: list[str] = field(default_factory=list)


def _schema() -> Any:
    return current_app.extensions["learnloop.engine"].schema_for_actor(current_actor())


def _parameter_field(parameter: Parameter) -> Any:
    """The form field that asks for one parameter, labelled with its name and type."""
    label = f"{parameter.name} ({parameter.type})"
    required = [InputRequired(_("Give a value for %(name)s.", name=parameter.name))] if parameter.required else []
    checks = required or [Optional()]
    default = parameter.default
    if parameter.kind == "int":
        return IntegerField(label, validators=checks, default=default)
    if parameter.kind == "float":
        return DecimalField(label, validators=checks, default=default)
    if parameter.kind in ("enum", "boolean"):
        options = parameter.choices if parameter.kind == "enum" else ("true", "false")
        blank = [] if parameter.required else [SelectChoice("", _("Not set"))]
        given = str(default).lower() if isinstance(default, bool) else default
        return SelectField(label, choices=[*blank, *options], validators=checks, default=given)
    render = {"date": {"type": "date"}, "datetime": {"type": "datetime-local"}}.get(parameter.kind, {})
    checks = [*checks, limit(MAX_PARAMETER)]
    if parameter.kind == "date":
        checks.append(_real_date)
    return StringField(label, validators=checks, default=default, render_kw=render)


def _real_date(form: Any, field: Any) -> None:
    if field.data and parse_date(field.data) is None:
        raise ValidationError(_("Enter a real date, for example 2026-03-27."))


def parameter_form(parameters: tuple[Parameter, ...]) -> FlaskForm:
    """A form with one field per parameter, read from the address (it only reads, so it needs no CSRF token)."""

    class ParameterForm(FlaskForm):
        class Meta:
            csrf = False

    for parameter in parameters:
        setattr(ParameterForm, f"p_{parameter.name}", _parameter_field(parameter))
    return ParameterForm(formdata=request.args if "run" in request.args else None)


def _variables(form: FlaskForm, parameters: tuple[Parameter, ...]) -> dict[str, Any]:
    """The form's values as the query's variables; one left empty takes the query's default."""
    variables: dict[str, Any] = {}
    for parameter in parameters:
        value = getattr(form, f"p_{parameter.name}").data
        if value is None or value == "":
            continue
        if parameter.kind == "boolean":
            value = str(value) == "true"
        elif parameter.kind == "float":
            value = float(value)
        elif parameter.kind == "datetime":
            value = _moment(str(value))
        variables[parameter.name] = value
    return variables


def _moment(typed: str) -> str:
    """A date and time typed in the UK (``2026-03-27T09:30``), as a moment with its offset."""
    try:
        local = dt.datetime.fromisoformat(typed)
    except ValueError:
        return typed  # the API refuses it, and the page says so
    if local.tzinfo is None:
        local = local.replace(tzinfo=LOCAL_ZONE)
    return local.isoformat()


def _cell(value: Any) -> Any:
    """A value as a table cell shows it: yes or no, a list joined, nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(_cell(item)) for item in value)
    return value


def run_report(report: dict[str, Any], limit_rows: int) -> Run:
    """Read the parameters from the address and, once they are valid, run the report as the viewer."""
    settings = config.current()
    schema = _schema()
    try:
        shape = check_query(schema._schema, report["query"], settings)
    except Invalid as problem:
        texts = [message_for(p, _, locale=None) for p in problem.problems]
        return Run(form=FlaskForm(meta={"csrf": False}), problems=texts)
    form = parameter_form(shape.parameters)
    wanted = "run" in request.args or not any(p.required for p in shape.parameters)
    if not wanted or ("run" in request.args and not form.validate()):
        return Run(form=form)
    outcome = run_query(schema, report["query"], _variables(form, shape.parameters), context_for_request(), settings)
    if outcome.code:
        return Run(form=form, problems=_outcome_problems(outcome.code, outcome.params or {}, outcome.details))
    rows, more = rows_of(outcome.data or {}, report["rowsPath"], report["columns"], limit_rows)
    return Run(form=form, ran=True, header=list(report["columns"]), rows=rows, more=more)


def _outcome_problems(code: str, params: dict[str, Any], details: tuple[str, ...]) -> list[str]:
    if code == "cost_limit":
        return [
            _(
                "This report could return too much for you: its cost is %(cost)s and your limit is %(limit)s. "
                "Ask its owner to ask for fewer rows with first.",
                cost=format_decimal(params["cost"]),
                limit=format_decimal(params["limit"]),
            )
        ]
    if code == "time_limit":
        return [_("This report took longer than %(limit)s milliseconds and was stopped.", limit=params["limit"])]
    if code == "not_a_query":
        return [_("A report can only read, and this one's text is not a query. Ask its owner to change it.")]
    if code == "input_too_large":
        return [_("A value you gave is too long.")]
    return [_("The report could not run for you: %(detail)s", detail=detail) for detail in details]


def _chart(report: dict[str, Any], run: Run) -> list[dict[str, Any]]:
    """The bars or points of a chart: the label and number of each of the first rows."""
    if report["display"] == "table" or not run.ran:
        return []
    label_at, value_at = run.header.index(report["labelField"]), run.header.index(report["valueField"])
    points = []
    for row in run.rows[:CHART_POINTS]:
        number = row[value_at]
        value = float(number) if isinstance(number, int | float) and not isinstance(number, bool) else None
        text = format_decimal(number) if value is not None else "–"
        points.append({"label": str(_cell(row[label_at])), "value": value, "text": text})
    return points


@bp.route("/reports/saved/<int:report_id>")
@roles_required(*STAFF)
def saved_report(report_id: int) -> Any:
    """A saved report: its parameters, then its rows as a table, or as a chart with its table, run as you."""
    report = load_report(report_id)
    run = run_report(report, DISPLAY_ROWS)
    rows = [[_cell(value) for value in row] for row in run.rows]
    return render_template(
        "console/reports/saved_run.html",
        report=report,
        run=run,
        rows=rows,
        chart=_chart(report, run),
        chart_points=CHART_POINTS,
        display_rows=DISPLAY_ROWS,
        displays=DISPLAYS,
        schedules=SCHEDULES,
        weekdays=WEEKDAYS,
        export_args={key: value for key, value in request.args.items()},
    ), (200 if not run.problems else 400)


def _export(report_id: int) -> tuple[dict[str, Any], Run]:
    report = load_report(report_id)
    return report, run_report(report, MAX_ROWS)


@bp.route("/reports/saved/<int:report_id>.csv")
@roles_required(*STAFF)
def saved_report_csv(report_id: int) -> Any:
    """The report's rows as CSV, run as you with the parameters in the address; formulas are neutralised."""
    report, run = _export(report_id)
    if not run.ran:
        return saved_report(report_id)
    return csv_download("report", run.header, lambda: ([_cell(v) for v in row] for row in run.rows))


@bp.route("/reports/saved/<int:report_id>.xlsx")
@roles_required(*STAFF)
def saved_report_xlsx(report_id: int) -> Any:
    """The report's rows as an Excel workbook, run as you with the parameters in the address."""
    report, run = _export(report_id)
    if not run.ran:
        return saved_report(report_id)
    rows = ([_cell(v) for v in row] for row in run.rows)
    return xlsx_download("report", str(report["name"]), run.header, rows)
