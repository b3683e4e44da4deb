"""Console pages for the tenant perception measures (TP01 to TP12): the report over a period, by tenure, with the
method statement, and the forms managers record the method statement with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from backend.errors import Invalid
from backend.reports.periods import MAX_CODE_LENGTH, parse_period, year_of
from backend.surveys.policies import can_record_tsm_method
from backend.surveys.services import localised
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, WholeNumber, parse_date
from portal.forms import show_problem
from portal.security import current_actor
from schema.error_texts import message_for

DATE = {"type": "date"}
MAX_COUNT = 10_000_000
GROUP_NAMES = {
    "lcra": _l("Low-cost rental (LCRA)"),
    "lcho": _l("Low-cost home ownership (LCHO)"),
    "all": _l("All respondents"),
}
METHOD_NAMES = {
    "postal": _l("Postal"),
    "telephone": _l("Telephone"),
    "online": _l("Online"),
    "face_to_face": _l("Face to face"),
    "mixed": _l("Mixed methods"),
}


class PeriodForm(FlaskForm):
    """Which period and survey the report covers; a GET form, so its address can be shared."""

    class Meta:
        csrf = False

    period = StringField(
        _l("Period"),
        description=_l(
            "A regulator's year such as 2025/26 (1 April to 31 March), a quarter such as 2025/26-Q1, a month such as "
            "2025-04, or days such as 2025-04-01..2025-06-30."
        ),
        validators=[Length(max=MAX_CODE_LENGTH)],
    )
    survey = SelectField(_l("Survey"), validate_choice=False, default="")


class MethodForm(FlaskForm):
    method = RadioField(
        _l("How the survey was carried out"),
        choices=[SelectChoice(code, label) for code, label in METHOD_NAMES.items()],
        validators=[DataRequired(_l("Choose how the survey was carried out."))],
    )
    sample_size = StringField(
        _l("Sample size"),
        description=_l("How many responses the survey achieved."),
        validators=[DataRequired(_l("Give the sample size.")), WholeNumber(1, MAX_COUNT)],
        render_kw={"inputmode": "numeric"},
    )
    population = StringField(
        _l("Population"),
        description=_l("How many homes (households) the survey was drawn from."),
        validators=[DataRequired(_l("Give the population.")), WholeNumber(1, MAX_COUNT)],
        render_kw={"inputmode": "numeric"},
    )
    weighting = TextAreaField(
        _l("Weighting (optional)"),
        description=_l("How the responses were weighted, for example by age and area. Leave empty if they were not."),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3},
    )
    fieldwork_start = StringField(
        _l("First day of fieldwork"),
        validators=[DataRequired(_l("Give the first day of fieldwork.")), IsoDate()],
        render_kw=DATE,
    )
    fieldwork_end = StringField(
        _l("Last day of fieldwork"),
        validators=[DataRequired(_l("Give the last day of fieldwork.")), IsoDate()],
        render_kw=DATE,
    )


def _survey_choices(surveys: list[dict[str, Any]]) -> list[SelectChoice]:
    locale = str(get_locale() or "en")
    return [SelectChoice("", _("Every survey with TSM questions"))] + [
        SelectChoice(s["id"], localised(s["title"], locale)) for s in surveys
    ]


@bp.route("/reports/tsm/perception")
@roles_required(*STAFF)
def tsm_perception() -> Any:
    """TP01 to TP12 over a period, for LCRA, LCHO and all, with the method statement."""
    form = PeriodForm(request.args)
    surveys = operations.run("ConsoleSurveys")["surveys"]["nodes"]
    form.survey.choices = _survey_choices(surveys)
    period = (form.period.data or "").strip() or year_of(local_date()).code
    survey_id = form.survey.data if any(s["id"] == form.survey.data for s in surveys) else None
    report = None
    is_year = False
    status = 200
    try:
        if not form.validate():
            raise Invalid("period", "invalid")
        is_year = parse_period(period).kind == "year"
    except Invalid as error:
        form.period.errors = [message_for(error, _)]
        status = 400
    else:
        variables = {"period": period, "surveyId": survey_id}
        report = operations.run("ConsoleTsmPerception", variables)["tsmPerception"]
    form.period.data = period
    titles = {s["id"]: localised(s["title"], str(get_locale() or "en")) for s in surveys}
    return render_template(
        "console/surveys/tsm_perception.html",
        form=form,
        report=report,
        survey_titles=titles,
        group_names=GROUP_NAMES,
        method_names=METHOD_NAMES,
        can_record=can_record_tsm_method(current_actor()),
        is_year=is_year,
    ), status


def _method_values(form: MethodForm) -> dict[str, Any]:
    return {
        "method": form.method.data,
        "sampleSize": int(form.sample_size.data),
        "population": int(form.population.data),
        "weighting": form.weighting.data or "",
        "fieldworkStart": parse_date(form.fieldwork_start.data).isoformat(),  # type: ignore[union-attr]
        "fieldworkEnd": parse_date(form.fieldwork_end.data).isoformat(),  # type: ignore[union-attr]
    }


def _year(text: str | None) -> int:
    """The regulator's year a period code such as 2025/26 names; 404 for anything else."""
    try:
        period = parse_period(text, today=dt.date.max)
    except Invalid:
        abort(404)
    if period.kind != "year":
        abort(404)
    return period.first.year


@bp.route("/reports/tsm/perception/methods/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def tsm_method_new() -> Any:
    """Record the method statement of a survey for a regulator's year (managers)."""
    if not can_record_tsm_method(current_actor()):
        abort(403)
    year = _year(request.args.get("year"))
    found = (
        operations.run("ConsoleSurvey", {"id": request.args.get("survey", "")})["survey"]
        if (request.args.get("survey", "").isdigit())
        else None
    )
    if found is None:
        abort(404)
    form = MethodForm()
    status = 200
    if form.validate_on_submit():
        values = {"surveyId": found["id"], "year": year, **_method_values(form)}
        result = operations.run_mutation("ConsoleTsmSurveyMethodCreate", {"input": values})
        if result.problem is None:
            flash(_("The method statement has been recorded."), "success")
            return redirect(url_for("console.tsm_perception", period=request.args.get("year")))
        show_problem(form, result.problem)
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "console/surveys/tsm_method.html",
        form=form,
        survey_title=localised(found["title"], str(get_locale() or "en")),
        year=request.args.get("year"),
    ), status


@bp.route("/reports/tsm/perception/methods/<int:method_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def tsm_method(method_id: int) -> Any:
    """Change a method statement (managers)."""
    if not can_record_tsm_method(current_actor()):
        abort(403)
    found = operations.run("ConsoleTsmSurveyMethod", {"id": str(method_id)})["tsmSurveyMethod"]
    if found is None:
        abort(404)
    year = year_of(dt.date(found["year"], 4, 1)).code
    form = MethodForm()
    status = 200
    if request.method == "GET":
        form.method.data = found["method"]
        form.sample_size.data = str(found["sampleSize"])
        form.population.data = str(found["population"])
        form.weighting.data = found["weighting"]
        form.fieldwork_start.data = found["fieldworkStart"]
        form.fieldwork_end.data = found["fieldworkEnd"]
    elif form.validate_on_submit():
        values = {"id": str(method_id), **_method_values(form)}
        result = operations.run_mutation("ConsoleTsmSurveyMethodUpdate", {"input": values})
        if result.problem is None:
            flash(_("The method statement has been changed."), "success")
            return redirect(url_for("console.tsm_perception", period=year))
        show_problem(form, result.problem)
        status = 400
    else:
        status = 400
    return render_template(
        "console/surveys/tsm_method.html",
        form=form,
        survey_title=localised(found["survey"]["title"], str(get_locale() or "en")),
        year=year,
    ), status
