"""/console/reports/board: the board report for a chosen period (the last full quarter unless one is chosen), with
its print view, PDF, CSV and XLSX, and the button that drafts it for a manager's approval."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from backend.errors import Invalid
from backend.reports import board
from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.periods import MAX_CODE_LENGTH, Period, parse_period, quarter_of
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.reports import output
from portal.forms import add_error

NAME = "board-report"


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to read

    period = StringField(
        _l("Period"),
        description=_l(
            "A year (2025/26, from 1 April), a quarter (2025/26-Q1), a month (2025-04) or a range of days "
            "(2025-04-01..2025-06-30)."
        ),
        validators=[DataRequired(_l("Enter the period to report on.")), limit(MAX_CODE_LENGTH)],
    )


def default_period() -> Period:
    """The last full quarter of the regulator's year."""
    return quarter_of(local_date()).previous()


def _document(period: Period) -> ReportDocument:
    data = operations.run("ConsoleBoardReport", {"period": period.code})
    return document_from_dict(data["boardReport"]["document"])


def _period_or_404() -> Period:
    try:
        return parse_period(request.args.get("period", "")[:MAX_CODE_LENGTH])
    except Invalid:
        abort(404)


@bp.route("/reports/board")
@roles_required(*STAFF)
def board_report() -> Any:
    """The board report for the period asked for, with links to print it and download it, and to draft it."""
    chosen = request.args.get("period")
    form = PeriodForm(request.args if chosen is not None else None, data={"period": default_period().code})
    period, document = None, None
    if chosen is None or form.validate():
        try:
            period = parse_period(form.period.data)
        except Invalid as error:
            add_error(form, error, "period")
    if period is not None:
        document = _document(period)
    status = 400 if form.errors else 200
    draft = DraftForm(formdata=None, prefix="draft", data={"period": period.code}) if period is not None else None
    page = render_template("console/reports/board.html", form=form, period=period, document=document, draft=draft)
    return page, status


@bp.route("/reports/board/print")
@roles_required(*STAFF)
def board_report_print() -> Any:
    """The board report alone, for printing."""
    period = _period_or_404()
    return output.print_view(_document(period), url_for("console.board_report", period=period.code))


@bp.route("/reports/board.<any(pdf, csv, xlsx):fmt>")
@roles_required(*STAFF)
def board_report_file(fmt: str) -> Any:
    """The board report as a PDF, or its figures and tables as CSV or XLSX."""
    period = _period_or_404()
    return output.download(NAME, _document(period), fmt, url_for("console.board_report", period=period.code))


class DraftForm(FlaskForm):
    period = HiddenField(validators=[DataRequired(), limit(MAX_CODE_LENGTH)])


@bp.route("/reports/board/draft", methods=["POST"])
@roles_required(*STAFF)
def board_report_draft() -> Any:
    """Keep the board report for the period as a draft for a manager to approve (counted again if drafted)."""
    form = DraftForm(prefix="draft")
    if not form.validate_on_submit():
        abort(400)
    result = operations.run_mutation(
        "ConsoleReportPublicationDraft", {"input": {"kind": board.KIND, "period": form.period.data}}
    )
    if result.problem is not None:
        flash(result.problem["message"], "error")
        return redirect(url_for("console.board_report", period=form.period.data))
    flash(_("The report is drafted. Another manager approves it before it is published."), "success")
    return redirect(url_for("console.report_publication", publication_id=result.data["reportPublication"]["id"]))
