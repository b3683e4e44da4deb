"""The SPSO's complaints performance indicators in the console: a quarter's or a year's figures in tables, chosen
with a form that needs no script, and the complaints behind each figure on their own page.

Staff only. The figures are read through the ``spsoIndicators`` query as the viewer, so the complaints behind a
figure never include cases hidden from them.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from backend.errors import Invalid
from backend.reports.periods import MAX_CODE_LENGTH, Period, parse_period, quarters, regulator_year, year_of
from backend.reports.spso import MAX_KEY, default_period
from backend.reports.spso_report import PERIOD_KINDS as DOCUMENT_PERIOD_KINDS
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from schema.error_texts import message_for
from schema.reports.spso import ABOUT

#: How many regulator's years, back from this one, the form offers.
YEARS_OFFERED = 5
STAGE_NAMES = {
    "stage1": _l("Stage 1 (frontline response)"),
    "stage2_direct": _l("Stage 2, straight to investigation"),
    "stage2_escalated": _l("Stage 2, after escalation"),
}
OUTCOME_NAMES = {
    "upheld": _l("Upheld"),
    "partly_upheld": _l("Partially upheld"),
    "not_upheld": _l("Not upheld"),
    "resolved": _l("Resolved"),
    "not_recorded": _l("No outcome recorded"),
}
FLAG_NAMES = {"none": _l("No complaints"), "few": _l("Few complaints")}
MISSING_NAMES = {
    "no_stock": _l("No value: no homes are entered for the year"),
    "zero_denominator": _l("No value: nothing to divide by"),
}


class PeriodForm(FlaskForm):
    """The period to show: a regulator's year or one of its quarters (read from the address, so no token)."""

    class Meta:
        csrf = False

    period = SelectField(
        _l("Period"),
        description=_l("A quarter, or a whole year from 1 April to 31 March."),
        validate_choice=False,
    )


def period_label(period: Period) -> str:
    if period.kind == "year":
        return _("%(year)s, the whole year", year=period.code)
    if period.kind == "quarter":
        return _(
            "%(year)s, quarter %(number)s (%(first)s to %(last)s)",
            year=period.code[:7],
            number=period.code[-1],
            first=format_date(period.first, "MMMM y"),
            last=format_date(period.last, "MMMM y"),
        )
    return _(
        "%(first)s to %(last)s", first=format_date(period.first, "d MMMM y"), last=format_date(period.last, "d MMMM y")
    )


def period_choices(today: Any) -> list[tuple[str, str]]:
    """The last few regulator's years, newest first, each followed by its quarters that have begun."""
    latest = year_of(today).first.year
    choices = []
    for year in range(latest, latest - YEARS_OFFERED, -1):
        whole = regulator_year(year)
        choices.append((whole.code, period_label(whole)))
        choices.extend((q.code, period_label(q)) for q in reversed(quarters(whole)) if q.first <= today)
    return choices


def chosen_period(form: PeriodForm) -> Period | None:
    """The period the address asks for (the last complete quarter when it asks for none); None, with the field's
    error set, when it names no period that can be shown."""
    raw = request.args.get("period")
    if raw is None or not raw.strip():
        return default_period()
    try:
        return parse_period(raw[: MAX_CODE_LENGTH + 1])
    except Invalid as error:
        worded = Invalid(error.field, error.code, about=ABOUT)
        form.period.errors = [message_for(worded, _, ngettext)]
        return None


def figure_text(figure: dict[str, Any], unit: str = "") -> str:
    if figure["published"] is None:
        return str(MISSING_NAMES.get(figure["missing"] or "", _("No value")))
    return figure["published"] + unit


@bp.route("/reports/spso")
@roles_required(*STAFF)
def reports_spso() -> Any:
    """The SPSO indicators for a quarter or a year, with each figure's numerator, denominator and complaints."""
    form = PeriodForm(request.args)
    period = chosen_period(form)
    today = local_date()
    choices = period_choices(today)
    if period is not None and period.code not in dict(choices):
        choices.insert(0, (period.code, period_label(period)))
    form.period.choices = choices
    form.period.data = period.code if period is not None else None
    if period is None:
        return render_template("console/reports/spso.html", form=form, report=None), 400
    report = operations.run("ConsoleSpsoIndicators", {"period": period.code})["spsoIndicators"]
    document_url = url_for("console.spso_report", period=period.code) if period.kind in DOCUMENT_PERIOD_KINDS else None
    return render_template(
        "console/reports/spso.html",
        form=form,
        report=report,
        document_url=document_url,
        label=period_label(period),
        stage_names=STAGE_NAMES,
        outcome_names=OUTCOME_NAMES,
        flag_names=FLAG_NAMES,
        figure_text=figure_text,
    )


@bp.route("/reports/spso/complaints")
@roles_required(*STAFF)
def reports_spso_complaints() -> Any:
    """The complaints behind one SPSO figure that the reader may see."""
    form = PeriodForm(request.args)
    period = chosen_period(form)
    figure = request.args.get("figure", "")
    if period is None or not figure or len(figure) > MAX_KEY:
        abort(404)
    try:
        found = operations.run("ConsoleSpsoComplaints", {"period": period.code, "figure": figure})["spsoComplaints"]
    except operations.OperationFailed as failure:
        if "BAD_USER_INPUT" in failure.codes:
            abort(404)
        raise
    return render_template(
        "console/reports/spso_complaints.html", found=found, label=period_label(period), period=period, figure=figure
    )
