"""The pages every report built as a document has, made once for each: the report for a chosen period, its print
view, its PDF, CSV and XLSX, and the button that drafts it for a manager's approval (``document_pages``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from backend.errors import Invalid
from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.periods import MAX_CODE_LENGTH, Period, parse_period
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.reports import output
from portal.forms import add_error


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


class DraftForm(FlaskForm):
    period = HiddenField(validators=[DataRequired(), limit(MAX_CODE_LENGTH)])


@dataclass(frozen=True)
class DocumentPage:
    """A report's pages: its kind (as the catalogue knows it), the console address and endpoint they are made at,
    the file name of its downloads, its title and introduction, the operation that reads it and the root field of
    its result, the period shown first, and the kinds of period it takes (others are shown as the form's error)."""

    kind: str
    path: str
    endpoint: str
    file_name: str
    title: Any
    introduction: Any
    operation: str
    root: str
    default_period: Callable[[], Period]
    period_kinds: tuple[str, ...]


def document_pages(page: DocumentPage) -> None:
    """Add the report's page, print view, files and draft button to the console."""

    def document(period: Period) -> ReportDocument:
        return document_from_dict(operations.run(page.operation, {"period": period.code})[page.root]["document"])

    def period_or_404() -> Period:
        try:
            found = parse_period(request.args.get("period", "")[:MAX_CODE_LENGTH])
        except Invalid:
            abort(404)
        if found.kind not in page.period_kinds:
            abort(404)
        return found

    def view() -> Any:
        chosen = request.args.get("period")
        form = PeriodForm(request.args if chosen is not None else None, data={"period": page.default_period().code})
        period, shown = None, None
        if chosen is None or form.validate():
            try:
                period = parse_period(form.period.data)
                if period.kind not in page.period_kinds:
                    raise Invalid("period", "unsupported")
            except Invalid as error:
                period = None
                add_error(form, error, "period")
        if period is not None:
            shown = document(period)
        draft = DraftForm(formdata=None, prefix="draft", data={"period": period.code}) if period is not None else None
        html = render_template(
            "console/reports/document_report.html", page=page, form=form, period=period, document=shown, draft=draft
        )
        return html, 400 if form.errors else 200

    def print_view() -> Any:
        period = period_or_404()
        return output.print_view(document(period), url_for(page.endpoint, period=period.code))

    def file(fmt: str) -> Any:
        period = period_or_404()
        return output.download(page.file_name, document(period), fmt, url_for(page.endpoint, period=period.code))

    def draft() -> Any:
        form = DraftForm(prefix="draft")
        if not form.validate_on_submit():
            abort(400)
        result = operations.run_mutation(
            "ConsoleReportPublicationDraft", {"input": {"kind": page.kind, "period": form.period.data}}
        )
        if result.problem is not None:
            flash(result.problem["message"], "error")
            return redirect(url_for(page.endpoint, period=form.period.data))
        flash(_("The report is drafted. Another manager approves it before it is published."), "success")
        return redirect(url_for("console.report_publication", publication_id=result.data["reportPublication"]["id"]))

    name = page.endpoint.removeprefix("console.")
    guard = roles_required(*STAFF)
    bp.add_url_rule(page.path, name, guard(view))
    bp.add_url_rule(f"{page.path}/print", f"{name}_print", guard(print_view))
    bp.add_url_rule(f"{page.path}.<any(pdf, csv, xlsx):fmt>", f"{name}_file", guard(file))
    bp.add_url_rule(f"{page.path}/draft", f"{name}_draft", guard(draft), methods=["POST"])
