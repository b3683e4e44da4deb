"""The SPSO's complaints performance indicators as a document, for a quarter or a regulator's year, to print,
download, approve and publish.

The figures are those of ``backend.reports.spso`` (indicators 4 to 9) and ``backend.reports.spso_context``
(indicators 1 to 3, and the areas with few or no complaints), laid out one section per group of indicators, in the
SPSO's order. Values are published as the SPSO's indicators publish them: to one decimal place, halves up, and "no
value" where there is nothing to divide by. ``docs/reports.md`` (SPSO indicators) gives each definition.

The document may be published, so it holds counts only: no complaint's reference, no resident, no lesson or action
by name, nothing about one person. The console's SPSO page lists the complaints and lessons behind the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_decimal

from backend import config
from backend.i18n import translations
from backend.reports import spso, spso_context
from backend.reports.board import period_label
from backend.reports.documents import Chart, ChartPoint, Figure, ReportDocument, Section, Table
from backend.reports.periods import QUARTER, YEAR, Period
from backend.timeutil import utcnow

KIND = "spso"
#: The SPSO asks for the indicators quarterly (to senior management) and yearly (to the public).
PERIOD_KINDS = (QUARTER, YEAR)


class _Words:
    """The document's language: translated words, and numbers written as the language writes them."""

    def __init__(self, locale: str) -> None:
        self.gettext: Callable[[str], str] = translations(locale).gettext
        self.babel = config.formatting_locale(locale)

    def number(self, value: int | float) -> str:
        return format_decimal(value, format="#,##0", locale=self.babel)

    def published(self, found: spso.Figure, percent: bool = False) -> str:
        """The figure as published (one decimal place, halves up), or "no value"."""
        if found.published is None:
            return self.gettext("no value")
        text = format_decimal(Decimal(found.published), format="#,##0.0", locale=self.babel)
        return self.gettext("%(rate)s%%") % {"rate": text} if percent else text

    def stage(self, code: str) -> str:
        _ = self.gettext
        names = {
            spso.STAGE1: _("Stage 1 (frontline response)"),
            spso.DIRECT: _("Stage 2, straight to investigation"),
            spso.ESCALATED: _("Stage 2, after escalation"),
        }
        return names[code]

    def outcome(self, code: str) -> str:
        _ = self.gettext
        names = {
            "upheld": _("Upheld"),
            "partly_upheld": _("Partially upheld"),
            "not_upheld": _("Not upheld"),
            "resolved": _("Resolved"),
            spso.NOT_RECORDED: _("No outcome recorded"),
        }
        return names[code]

    def flag(self, code: str | None) -> str:
        _ = self.gettext
        return {spso_context.NONE: _("No complaints"), spso_context.FEW: _("Few complaints")}.get(code or "", "")


def _count(code: str, label: str, value: int | float, words: _Words) -> Figure:
    return Figure(code, label, int(value), words.number(value), "count")


def _share(code: str, label: str, found: spso.Figure, words: _Words) -> Figure:
    return Figure(code, label, found.value, words.published(found, percent=True), "percent")


def spso_document(period: Period, locale: str = "en") -> ReportDocument:
    """The SPSO indicators for ``period`` (a quarter or a regulator's year) in ``locale``, counted now."""
    words = _Words(locale)
    _ = words.gettext
    found = spso.indicators(period)
    sections = (
        _received_section(found, words),
        _closures_section(found, words),
        _outcomes_section(found, words),
        _days_section(found, words),
        _timescales_section(found, words),
        _extensions_section(found, words),
        _learning_section(spso_context.learning(period), words),
        _experience_section(spso_context.experience(period), words),
        _training_section(spso_context.training(period), words),
        _areas_section(period, found, words),
    )
    return ReportDocument(
        kind=KIND,
        title=_("SPSO complaints performance indicators"),
        period_code=period.code,
        period_label=period_label(period, locale),
        locale=locale,
        produced_at=utcnow().replace(microsecond=0).isoformat(),
        sections=sections,
    )


def build(period: Period, locale: str) -> ReportDocument:
    """The builder the catalogue calls."""
    return spso_document(period, locale)


def _received_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    year = f"{found.stock_year}/{(found.stock_year + 1) % 100:02d}"
    paragraphs = [
        _(
            "Complaints about homes in Scotland handled under the SPSO's model complaints handling procedure, "
            "received in the period: stage 1 complaints, and complaints taken straight to stage 2. An escalation "
            "is not a new complaint. A complaint refused before any response was not taken forward: it is not "
            "counted, and is shown apart."
        ),
        _("The rate divides by the homes in Scotland at the end of %(year)s, the year in which the period ends.")
        % {"year": year},
    ]
    if found.homes is None:
        paragraphs.append(
            _("No homes in Scotland are entered for %(year)s, so the rate per 1,000 homes has no value.")
            % {"year": year}
        )
    homes = (
        _count("homes", _("Homes in Scotland at the year end"), found.homes, words)
        if found.homes is not None
        else Figure("homes", _("Homes in Scotland at the year end"), None, _("no value"), "count")
    )
    return Section(
        "received",
        _("Indicator 4: complaints received"),
        paragraphs=tuple(paragraphs),
        figures=(
            _count("received", _("Complaints received"), found.received.numerator, words),
            homes,
            Figure(
                "received_per_1000",
                _("Complaints received per 1,000 homes"),
                found.per_thousand.value,
                words.published(found.per_thousand),
                "per_1000",
            ),
            _count("refused", _("Refused before any response (not counted)"), found.refused.numerator, words),
        ),
    )


def _closures_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    figures = [_count("closed", _("All complaints closed"), found.closed.numerator, words)]
    for stage in found.stages:
        figures.append(
            _share(
                f"closed_{stage.stage}",
                _("%(stage)s: share of all closures") % {"stage": words.stage(stage.stage)},
                stage.closed,
                words,
            )
        )
    chart = Chart(
        "closed_by_stage",
        "bar",
        _("Complaints closed at each stage"),
        _("A bar for the number of complaints closed at each stage in the period."),
        _("Stage"),
        _("Complaints closed"),
        tuple(
            ChartPoint(words.stage(stage.stage), int(stage.closed.numerator), words.number(stage.closed.numerator))
            for stage in found.stages
        ),
    )
    return Section(
        "closures",
        _("Indicator 5: complaints closed at each stage"),
        paragraphs=(
            _(
                "A complaint is closed at a stage when its full response is issued, on the UK day it was issued. "
                "Each stage's closures are shown as a share of all closures in the period."
            ),
        ),
        figures=tuple(figures),
        charts=(chart,),
    )


def _outcomes_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    figures = [
        _share(
            f"outcome_{stage.stage}_{code}",
            _("%(stage)s: %(outcome)s") % {"stage": words.stage(stage.stage), "outcome": words.outcome(code)},
            share,
            words,
        )
        for stage in found.stages
        for code, share in stage.outcomes
    ]
    counts = Table(
        "outcomes",
        _("Complaints closed by outcome and stage (number)"),
        (_("Outcome"), *(words.stage(stage.stage) for stage in found.stages)),
        tuple(
            (words.outcome(code), *(int(dict(stage.outcomes)[code].numerator) for stage in found.stages))
            for code in spso.OUTCOMES
        ),
    )
    return Section(
        "outcomes",
        _("Indicator 6: outcomes at each stage"),
        paragraphs=(
            _(
                "The outcome of each full response issued in the period, as a share of the complaints closed at "
                "its stage. Responses from before outcomes were recorded have no outcome recorded."
            ),
        ),
        figures=tuple(figures),
        tables=(counts,),
    )


def _timescale(stage: spso.StageFigures, words: _Words) -> str:
    return "" if stage.timescale_days is None else words.number(stage.timescale_days)


def _days_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    return Section(
        "working_days",
        _("Indicator 7: average working days to respond"),
        paragraphs=(
            _(
                "Working days from the stage's start (the complaint's receipt, or the request to escalate) to the "
                "full response, skipping weekends and Scotland's bank holidays, added up and divided by the "
                "complaints closed at the stage."
            ),
        ),
        figures=tuple(
            Figure(
                f"average_days_{stage.stage}",
                words.stage(stage.stage),
                stage.average_days.value,
                words.published(stage.average_days),
                "days",
            )
            for stage in found.stages
        ),
    )


def _timescales_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    table = Table(
        "within_timescale",
        _("Complaints closed within the timescale (number)"),
        (_("Stage"), _("Timescale (working days)"), _("Closed"), _("Closed within the timescale")),
        tuple(
            (
                words.stage(stage.stage),
                _timescale(stage, words),
                int(stage.closed.numerator),
                int(stage.within.numerator),
            )
            for stage in found.stages
        ),
    )
    return Section(
        "timescales",
        _("Indicator 8: closed within 5 and 20 working days"),
        paragraphs=(
            _(
                "Complaints closed within the stage's base timescale (5 working days at stage 1, 20 at stage 2, as in "
                "force when the complaint was received), as a share of those closed at the stage. An extension does "
                "not change the timescale this measures against."
            ),
        ),
        figures=tuple(
            _share(
                f"within_{stage.stage}",
                _("%(stage)s: closed within the timescale") % {"stage": words.stage(stage.stage)},
                stage.within,
                words,
            )
            for stage in found.stages
        ),
        tables=(table,),
    )


def _extensions_section(found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    table = Table(
        "extended",
        _("Complaints closed with an authorised extension (number)"),
        (_("Stage"), _("Closed"), _("Closed with an authorised extension")),
        tuple(
            (words.stage(stage.stage), int(stage.closed.numerator), int(stage.extended.numerator))
            for stage in found.stages
        ),
    )
    return Section(
        "extensions",
        _("Indicator 9: extensions"),
        paragraphs=(
            _(
                "Complaints closed whose stage had an authorised extension to its timescale, as a share of those "
                "closed at the stage."
            ),
        ),
        figures=tuple(
            _share(
                f"extended_{stage.stage}",
                _("%(stage)s: closed with an authorised extension") % {"stage": words.stage(stage.stage)},
                stage.extended,
                words,
            )
            for stage in found.stages
        ),
        tables=(table,),
    )


def _learning_section(found: spso_context.Learning, words: _Words) -> Section:
    _ = words.gettext
    said = (
        _("Lessons were learnt from these complaints and improvements made, as the figures show.")
        if found.lessons or found.actions
        else _(
            "No lesson from these complaints was closed, and no improvement action on one was completed, in the period."
        )
    )
    return Section(
        "learning",
        _("Indicator 1: learning from complaints"),
        paragraphs=(
            _(
                "Lessons drawn from these complaints and closed in the period, and the improvement actions on such "
                "lessons completed in the period."
            ),
            said,
        ),
        figures=(
            _count("lessons_closed", _("Lessons from complaints closed"), found.lessons, words),
            _count("actions_completed", _("Improvement actions completed"), found.actions, words),
        ),
    )


def _experience_section(found: spso_context.Experience, words: _Words) -> Section:
    _ = words.gettext
    said = (
        _("Ratings of 4 or 5 out of 5, as a share of all the ratings given in the complainants' answers.")
        if found.evidence
        else _("No evidence yet: no complainant answered a survey in the period.")
    )
    return Section(
        "experience",
        _("Indicator 2: complainants' experience"),
        paragraphs=(
            _(
                "What complainants said of how their complaint was handled, in their answers, submitted in the "
                "period, to the surveys sent about complaints."
            ),
            said,
        ),
        figures=(
            _count("survey_responses", _("Survey responses from complainants"), found.responses, words),
            _share("satisfied", _("Ratings of 4 or 5 out of 5"), found.satisfied, words),
        ),
    )


def _training_section(found: spso_context.Training, words: _Words) -> Section:
    _ = words.gettext
    return Section(
        "training",
        _("Indicator 3: staff training"),
        paragraphs=(_("Training on complaint handling delivered to staff in the period, from the training log."),),
        figures=(
            _count("training_sessions", _("Training sessions delivered"), found.sessions, words),
            _count("training_attendees", _("Attendees in all"), found.attendees, words),
        ),
    )


def _flagged(areas: list[spso_context.Area], flag: str) -> int:
    return sum(1 for area in areas if area.flag == flag)


def _areas_section(period: Period, found: spso.Indicators, words: _Words) -> Section:
    _ = words.gettext
    services = spso_context.service_areas(period, found.homes)
    districts, without_home = spso_context.postcode_areas(period)
    by_service = Table(
        "service_areas",
        _("Complaints received per 1,000 homes by service area"),
        (_("Service area"), _("Complaints"), _("Per 1,000 homes"), _("Flag")),
        tuple(
            (
                area.name or _("Not filed under a service area"),
                area.complaints,
                words.published(area.per_thousand),
                words.flag(area.flag),
            )
            for area in services
        ),
    )
    by_district = Table(
        "postcode_districts",
        _("Complaints received per 1,000 homes on the system by postcode district"),
        (_("Postcode district"), _("Homes"), _("Complaints"), _("Per 1,000 homes"), _("Flag")),
        tuple(
            (
                area.name or _("No postcode"),
                area.homes,
                area.complaints,
                words.published(area.per_thousand),
                words.flag(area.flag),
            )
            for area in districts
        ),
    )
    return Section(
        "areas",
        _("Areas with few or no complaints"),
        paragraphs=(
            _(
                "Few or no complaints may show good practice, or barriers to complaining. An area with none is "
                "flagged, and so is one whose rate is under half the rate of all the areas together (for service "
                "areas, under half the average per area)."
            ),
        ),
        figures=(
            _count(
                "districts_none",
                _("Postcode districts with no complaints"),
                _flagged(districts, spso_context.NONE),
                words,
            ),
            _count(
                "districts_few",
                _("Postcode districts with few complaints"),
                _flagged(districts, spso_context.FEW),
                words,
            ),
            _count(
                "service_areas_none",
                _("Service areas with no complaints"),
                _flagged(services, spso_context.NONE),
                words,
            ),
            _count(
                "service_areas_few", _("Service areas with few complaints"), _flagged(services, spso_context.FEW), words
            ),
            _count("received_without_home", _("Complaints about no home on record"), without_home, words),
        ),
        tables=(by_service, by_district),
    )
